// `ecs-pull doctor`: the resolved endpoint per service with its source (flag, per-service variable, AWS_ENDPOINT_URL,
// AWS default), whether each answers, the credentials source without secrets, Docker and the registry; exit 0 when
// the essentials are there, 1 when not, 2 for a malformed endpoint.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { resolveEndpoint, resolveEndpoints } from "../../stack/doctor/index.ts";
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

describe("ecs-pull doctor", { timeout: 60_000 }, () => {
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

  it("a malformed endpoint is a usage error (exit 2)", async () => {
    const flag = await runCli(["doctor", "--endpoint", "localhost-4566"]);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /^ecs-pull: --endpoint is not a URL: "localhost-4566"/);
    const env = await runCli(["doctor"], { AWS_ENDPOINT_URL_STS: "ftp://127.0.0.1" });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /AWS_ENDPOINT_URL_STS must be an http/);
  });
});
