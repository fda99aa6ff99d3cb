// `ecs-pull doctor`: the resolved endpoint per service with its source (flag, per-service variable, AWS_ENDPOINT_URL,
// AWS default), whether each answers, the credentials source without secrets, Docker and the registry; exit 0 when
// the essentials are there, 1 when not, 2 for a malformed endpoint.
// The AWS CLI: every `aws` found with its version, the one used, whether it honours AWS_ENDPOINT_URL; no network
// call to AWS without an endpoint unless --check-aws.
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { connectDocker } from "../../agent-sim/index.ts";
import {
  type AwsCliFound,
  LOCALSTACK_LICENSE_EXIT,
  NOT_CONTACTED,
  chooseAwsCli,
  honoursEndpointUrl,
  localStackRefusals,
  parseAwsCliVersion,
  resolveEndpoint,
  resolveEndpoints,
} from "../../stack/doctor/index.ts";
import { ensureBaseImage } from "../support/base-image.ts";
import { runCli } from "../support/cli.ts";

const SECRET_CANARY = "doctor-secret-canary-2b7f";
const KEY_ID = "AKIAIOSFODNN7DOCTOR1";
let emulator: StartedEmulator;

before(async () => {
  emulator = await startEmulator({ port: 0 });
});
after(() => emulator.close());

describe("endpoint resolution (the SDK's precedence)", () => {
  it("--endpoint > AWS_ENDPOINT_URL_<SERVICE> > AWS_ENDPOINT_URL > AWS default", () => {
    const env = { AWS_ENDPOINT_URL: "http://127.0.0.1:4566", AWS_ENDPOINT_URL_KMS: "http://localhost:9000/" };
    assert.deepEqual(
      resolveEndpoints("eu-west-1", env).map((e) => [e.service, e.url, e.variable, e.kind]),
      [
        ["secretsmanager", "http://127.0.0.1:4566", "AWS_ENDPOINT_URL", "local"],
        ["sts", "http://127.0.0.1:4566", "AWS_ENDPOINT_URL", "local"],
        ["iam", "http://127.0.0.1:4566", "AWS_ENDPOINT_URL", "local"],
        ["kms", "http://localhost:9000", "AWS_ENDPOINT_URL_KMS", "local"],
      ],
    );
    assert.equal(resolveEndpoint("kms", "eu-west-1", env, "http://10.0.0.5:4566").source, "--endpoint");
    assert.equal(resolveEndpoint("kms", "eu-west-1", env, "http://10.0.0.5:4566").kind, "remote");
    assert.deepEqual(
      resolveEndpoints("eu-west-1", {}).map((e) => [e.url, e.source, e.kind]),
      [
        ["https://secretsmanager.eu-west-1.amazonaws.com", "AWS default", "aws"],
        ["https://sts.eu-west-1.amazonaws.com", "AWS default", "aws"],
        ["https://iam.amazonaws.com", "AWS default", "aws"],
        ["https://kms.eu-west-1.amazonaws.com", "AWS default", "aws"],
      ],
    );
    assert.equal(resolveEndpoint("sts", "us-east-1", { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }).source, "AWS default");
  });
});

describe("ecs-pull doctor", { timeout: 180_000 }, () => {
  it("against the emulator: every endpoint answers, test/test is the local default, STS names the root; exit 0", async () => {
    const { code, stdout, stderr } = await runCli(["doctor", "--endpoint", emulator.url, "--json"]);
    assert.equal(code, 0, stderr + stdout);
    const report = JSON.parse(stdout);
    assert.equal(report.ok, true);
    for (const e of report.endpoints) {
      assert.equal(e.url, emulator.url);
      assert.equal(e.source, "--endpoint");
      assert.equal(e.answers, true);
    }
    assert.equal(report.credentials.kind, "local-default");
    assert.equal(report.credentials.identity, "arn:aws:iam::000000000000:root");
    assert.equal(report.docker.ok, true);
    assert.match(report.docker.version, /^\d+\.\d+/);
    assert.ok(report.docker.storageDriver);
    assert.equal(report.registry.ok, true);
    assert.ok(["container", "native"].includes(report.registry.mode));
    assert.equal(report.missing.filter((m: { essential: boolean }) => m.essential).length, 0);
  });

  it("a per-service variable wins for its service; an optional service down keeps exit 0", async () => {
    const { code, stdout } = await runCli(["doctor", "--json"], { AWS_ENDPOINT_URL: emulator.url, AWS_ENDPOINT_URL_KMS: "http://127.0.0.1:1" });
    const report = JSON.parse(stdout);
    const kms = report.endpoints.find((e: { service: string }) => e.service === "kms");
    assert.equal(kms.variable, "AWS_ENDPOINT_URL_KMS");
    assert.equal(kms.answers, false);
    assert.equal(report.endpoints.find((e: { service: string }) => e.service === "secretsmanager").source, "AWS_ENDPOINT_URL");
    assert.equal(code, 0);
  });

  it("credentials from the environment: the key id masked, the secret never printed; a key the endpoint rejects → exit 1", async () => {
    const env = { AWS_ENDPOINT_URL: emulator.url, AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_CANARY };
    for (const args of [["doctor"], ["doctor", "--json"]]) {
      const { code, stdout, stderr } = await runCli(args, env);
      assert.equal(code, 1);
      assert.ok(!(stdout + stderr).includes(SECRET_CANARY));
      assert.ok(!(stdout + stderr).includes(KEY_ID));
      assert.match(stdout, /AKIA…TOR1/);
      assert.match(stdout, /GetCallerIdentity failed/);
    }
  });

  it("an endpoint nobody listens on: what is missing and the fix, exit 1", async () => {
    const { code, stdout } = await runCli(["doctor"], { AWS_ENDPOINT_URL: "http://127.0.0.1:1" });
    assert.equal(code, 1);
    assert.match(stdout, /!! secretsmanager +http:\/\/127\.0\.0\.1:1 +\(AWS_ENDPOINT_URL; local\) +no answer: ECONNREFUSED/);
    assert.match(stdout, /fix: start the emulator \(`ecs-pull serve --port 1`\)/);
    assert.match(stdout, /^not ready/m);
  });

  it("an endpoint that answers HTTP but is not an AWS service: named with what answered, exit 1", async () => {
    const web = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><p>hello</p>"));
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
      const { code, stdout } = await runCli(["doctor", "--endpoint", url]);
      assert.equal(code, 1);
      assert.ok(stdout.includes(`STS GetCallerIdentity failed at ${url}: the endpoint answered, but not as an AWS service (HTTP 200, content type text/html)`), stdout);
      assert.ok(stdout.includes(`fix: something other than an AWS service listens on ${url}: point --endpoint at \`ecs-pull serve\` or a LocalStack`), stdout);
    } finally {
      web.close();
    }
  });

  it("a malformed endpoint is a usage error (exit 2)", async () => {
    const flag = await runCli(["doctor", "--endpoint", "localhost-4566"]);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /^ecs-pull: --endpoint is not a URL: "localhost-4566"/);
    const env = await runCli(["doctor"], { AWS_ENDPOINT_URL_STS: "ftp://127.0.0.1" });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /AWS_ENDPOINT_URL_STS must be an http/);
  });
});

describe("the AWS CLI doctor reports", () => {
  it("parses `aws --version`; AWS_ENDPOINT_URL from 2.13.0 (v2) and 1.29.0 (v1), per aws/aws-cli CHANGELOG.rst", () => {
    assert.deepEqual(parseAwsCliVersion("aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12 prompt/off"), { version: "2.9.19", major: 2 });
    assert.deepEqual(parseAwsCliVersion("aws-cli/1.45.11 Python/3.11.7 Linux/6.1 botocore/1.43.11"), { version: "1.45.11", major: 1 });
    assert.equal(parseAwsCliVersion("Python 3.11"), undefined);
    assert.deepEqual(
      ["2.9.19", "2.12.7", "2.13.0", "2.31.2", "1.28.9", "1.29.0", "1.45.11"].map(honoursEndpointUrl),
      [false, false, true, true, false, true, true],
    );
  });

  it("uses ECS_PULL_AWS_CLI, else /usr/bin/aws when v2, else the first v2 on PATH; a v1 alone is not used", () => {
    const cli = (path: string, version?: string): AwsCliFound => ({
      path,
      realPath: path,
      ...(version && { version, major: Number(version.split(".")[0]), honoursEndpointUrl: honoursEndpointUrl(version) }),
    });
    const pyenv = cli("/root/.pyenv/shims/aws", "1.45.11");
    const local = cli("/usr/local/bin/aws", "2.31.0");
    const debian = cli("/usr/bin/aws", "2.9.19");
    const picked = (found: AwsCliFound[], env: Record<string, string> = {}) => {
      const r = chooseAwsCli(found, env);
      return [r.command, r.chosenBecause, r.honoursEndpointUrl];
    };
    assert.deepEqual(picked([pyenv, local, debian]), ["/usr/bin/aws", "/usr/bin/aws is v2", false]);
    assert.deepEqual(picked([pyenv, local, debian], { ECS_PULL_AWS_CLI: "/usr/local/bin/aws" }), ["/usr/local/bin/aws", "ECS_PULL_AWS_CLI", true]);
    assert.deepEqual(picked([pyenv, local]), ["/usr/local/bin/aws", "the first v2 on PATH", true]);
    assert.deepEqual(picked([pyenv]), [undefined, "no AWS CLI v2 found (only v1)", undefined]);
    assert.equal(chooseAwsCli([pyenv], {}).ok, false);
    assert.deepEqual(picked([pyenv, debian], { ECS_PULL_AWS_CLI: "/opt/nothing/aws" }), ["/opt/nothing/aws", "ECS_PULL_AWS_CLI, which does not run", undefined]);
  });
});

describe("ecs-pull doctor: the AWS CLI and real AWS", { timeout: 90_000 }, () => {
  let dir: string;
  let connections: string;
  let env: Record<string, string>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "ecs-pull-doctor-"));
    // A v1 first on PATH, as pyenv installs one; /usr/bin/aws (Debian's v2, what scripts/env.sh installs) after it.
    await writeFile(join(dir, "aws"), "#!/bin/sh\necho 'aws-cli/1.18.69 Python/3.8.10 Linux/5.4.0 botocore/1.17.62'\n");
    await chmod(join(dir, "aws"), 0o755);
    // Records every TCP connection the command opens (host:port), to show that doctor leaves AWS alone.
    connections = join(dir, "connections.log");
    const hook = join(dir, "record-connections.cjs");
    await writeFile(
      hook,
      `const net = require("node:net"); const fs = require("node:fs"); const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]; // net.connect() passes its normalized [options, callback]
  const o = typeof first === "object" && first !== null ? first : { port: first, host: args[1] };
  if (o.path === undefined) fs.appendFileSync(${JSON.stringify(connections)}, (o.host ?? "localhost") + ":" + o.port + "\\n");
  return connect.apply(this, args);
};
`,
    );
    env = { PATH: `${dir}:${process.env.PATH}`, ECS_PULL_AWS_CLI: "", NODE_OPTIONS: `--require ${hook}` };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("names every aws found with its version and uses /usr/bin/aws (v2), which ignores AWS_ENDPOINT_URL", async () => {
    const { stdout } = await runCli(["doctor", "--json"], { ...env, AWS_ENDPOINT_URL: emulator.url });
    const cli = JSON.parse(stdout).awsCli;
    assert.equal(cli.found[0].path, join(dir, "aws"));
    assert.equal(cli.found[0].version, "1.18.69");
    assert.equal(cli.found[0].honoursEndpointUrl, false);
    const debian = cli.found.find((f: AwsCliFound) => f.path === "/usr/bin/aws");
    assert.match(debian.version, /^2\.\d+\.\d+$/);
    assert.equal(cli.command, "/usr/bin/aws");
    assert.equal(cli.version, debian.version);
    assert.equal(cli.honoursEndpointUrl, honoursEndpointUrl(debian.version));
    const human = await runCli(["doctor"], { ...env, AWS_ENDPOINT_URL: emulator.url });
    const which = cli.honoursEndpointUrl ? "honours AWS_ENDPOINT_URL" : "ignores AWS_ENDPOINT_URL: pass --endpoint-url";
    assert.ok(human.stdout.includes(`aws cli:      ok uses /usr/bin/aws (aws-cli/${debian.version}; /usr/bin/aws is v2), which ${which}\n`), human.stdout);
    assert.match(human.stdout, new RegExp(`found: +${dir}/aws +aws-cli/1\\.18\\.69 \\(ignores AWS_ENDPOINT_URL\\)\n`));
  });

  it("no endpoint configured: 'real AWS' and not one connection to AWS; --check-aws contacts it", async () => {
    await rm(connections, { force: true });
    const creds = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7DOCTOR1", AWS_SECRET_ACCESS_KEY: SECRET_CANARY };
    const quiet = await runCli(["doctor", "--json"], { ...env, ...creds });
    const report = JSON.parse(quiet.stdout);
    for (const e of report.endpoints) {
      assert.deepEqual([e.kind, e.checked, e.detail], ["aws", false, NOT_CONTACTED]);
    }
    assert.equal(report.credentials.identity, undefined);
    assert.deepEqual(report.missing.filter((m: { what: string }) => /endpoint|GetCallerIdentity/.test(m.what)), []);
    const seen = await readFile(connections, "utf8").catch(() => "");
    assert.doesNotMatch(seen, /amazonaws/);
    const human = await runCli(["doctor"], { ...env, ...creds });
    assert.match(human.stdout, /-- secretsmanager https:\/\/secretsmanager\.us-east-1\.amazonaws\.com {2}\(AWS default; aws\) {2}no endpoint configured: real AWS/);

    await rm(connections, { force: true });
    const checked = JSON.parse((await runCli(["doctor", "--json", "--check-aws"], { ...env, ...creds })).stdout);
    assert.ok(checked.endpoints.every((e: { checked: boolean }) => e.checked));
    assert.match(await readFile(connections, "utf8"), /secretsmanager\.us-east-1\.amazonaws\.com:443/);
  });
});

describe("ecs-pull doctor: a LocalStack that refused to start for want of LOCALSTACK_AUTH_TOKEN", { timeout: 90_000 }, () => {
  it("only an exited localstack/localstack container with code 55 is a refusal", () => {
    const c = (image: string, state: string, exitCode?: number) => ({ name: "ls", image, state, ...(exitCode !== undefined && { exitCode }) });
    const refused = localStackRefusals([
      c("localstack/localstack:latest", "exited", 55),
      c("localstack/localstack", "exited", 55),
      c("localstack/localstack:3", "exited", 0),
      c("localstack/localstack:latest", "running"),
      c("localstack/localstack-pro:latest", "exited", 55),
      c("other/localstack:latest", "exited", 55),
    ]);
    assert.deepEqual(refused.map((r) => r.image), ["localstack/localstack:latest", "localstack/localstack"]);
    assert.match(refused[0]!.what, /exited with code 55: its license activation failed, no LOCALSTACK_AUTH_TOKEN was set/);
    assert.match(refused[0]!.fix, /export LOCALSTACK_AUTH_TOKEN=/);
  });

  // A real container in the real engine, exiting as a refused LocalStack does: an image tagged localstack/localstack
  // (ecs-pull's node base image, made from this machine's node: test/support/base-image.ts) whose process exits with 55.
  it("doctor names the exited container, with the fix", async () => {
    const docker = await connectDocker();
    const BASE_IMAGE = await ensureBaseImage();
    const id = randomBytes(4).toString("hex");
    const tag = `ecs-pull-doctor-test-${id}`;
    const name = `ecs-pull-doctor-localstack-${id}`;
    await docker.getImage(BASE_IMAGE).tag({ repo: "localstack/localstack", tag });
    const container = await docker.createContainer({
      name,
      Image: `localstack/localstack:${tag}`,
      Cmd: ["node", "-e", `process.exit(${LOCALSTACK_LICENSE_EXIT})`],
      HostConfig: { NetworkMode: "none" },
    });
    try {
      await container.start();
      await container.wait();
      const { stdout } = await runCli(["doctor", "--json"], { AWS_ENDPOINT_URL: "http://127.0.0.1:1" });
      const refusal = JSON.parse(stdout).localStackRefusals.find((r: { name: string }) => r.name === name);
      assert.ok(refusal, stdout);
      assert.equal(refusal.exitCode, 55);
      const human = await runCli(["doctor"], { AWS_ENDPOINT_URL: "http://127.0.0.1:1" });
      assert.ok(human.stdout.includes(`LocalStack (container ${name}, localstack/localstack:${tag}) exited with code 55`), human.stdout);
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
      await docker.getImage(`localstack/localstack:${tag}`).remove().catch(() => undefined);
    }
  });
});
