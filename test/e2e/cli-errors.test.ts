// The command's error contract, end to end: with --json every failure that ends a command before an outcome is ONE
// JSON document on stdout ({"error":{"code","message","exitCode"}}), without --json a line on stderr; a task
// definition file that cannot be read is usage (2), one that is empty or not JSON is rejected at registration (3)
// and says what is wrong with the file; an --endpoint that answers HTTP but is not an AWS service is the tool's
// environment (1), named with what answered. README, --help and the code agree on the exit codes.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { EXIT, EXIT_CODE_HELP } from "../../cli/exit-codes.ts";
import { REGISTER_FIX_DOCUMENT } from "../../agent-sim/diagnosis/diagnosis.ts";
import { runCli } from "../support/cli.ts";

const CANARY = "canary-secret-key-9d41f0";
let dir: string;
let taskdef: string;
const servers: Server[] = [];

/** A plain web server on 127.0.0.1 (not an AWS service): every request gets `status` with an HTML page. */
async function webServer(status: number, body: string): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Exactly one JSON document on stdout (JSON.parse fails on anything after it). */
function oneDocument(stdout: string): { error: { code: string; message: string; exitCode: number } } {
  assert.ok(stdout.endsWith("}\n"), `stdout: ${JSON.stringify(stdout)}`);
  return JSON.parse(stdout);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "ecs-pull-errors-"));
  taskdef = join(dir, "taskdef.json");
  await writeFile(
    taskdef,
    JSON.stringify({
      family: "web",
      executionRoleArn: "arn:aws:iam::000000000000:role/ecsTaskExecutionRole",
      containerDefinitions: [
        {
          name: "app",
          image: "127.0.0.1:5000/team/app:1",
          essential: true,
          repositoryCredentials: { credentialsParameter: "arn:aws:secretsmanager:us-east-1:000000000000:secret:registry/creds-AbCdEf" },
        },
      ],
    }),
  );
});
after(async () => {
  for (const s of servers) s.close();
  await rm(dir, { recursive: true, force: true });
});

describe("--json: a failure is one JSON document on stdout", { timeout: 60_000 }, () => {
  test("run --json on a missing file: USAGE, exit 2, nothing on stderr", async () => {
    const r = await runCli(["run", join(dir, "absent.json"), "--json"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "");
    assert.deepEqual(oneDocument(r.stdout), {
      error: { code: "USAGE", message: `cannot read task definition ${join(dir, "absent.json")}: no such file`, exitCode: 2 },
    });
  });

  test("commander's own usage errors (unknown flag, missing argument) with --json, on any command", async () => {
    const unknown = await runCli(["run", taskdef, "--nope", "--json"]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "");
    assert.deepEqual(oneDocument(unknown.stdout).error, { code: "USAGE", message: "unknown option '--nope'", exitCode: 2 });
    const missing = await runCli(["explain", "--json"]);
    assert.deepEqual(oneDocument(missing.stdout).error, { code: "USAGE", message: "missing required argument 'taskdef.json'", exitCode: 2 });
    const serve = await runCli(["serve", "--port", "nope", "--json"]);
    assert.equal(serve.code, 2);
    assert.equal(oneDocument(serve.stdout).error.code, "USAGE");
    const doctor = await runCli(["doctor", "--endpoint", "localhost-4566", "--json"]);
    assert.equal(doctor.code, 2);
    assert.match(oneDocument(doctor.stdout).error.message, /^--endpoint is not a URL: "localhost-4566"/);
  });

  test("an environment error with --json: ENVIRONMENT, exit 1", async () => {
    const r = await runCli(["run", taskdef, "--endpoint", "http://127.0.0.1:1", "--json"]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "");
    const doc = oneDocument(r.stdout);
    assert.equal(doc.error.code, "ENVIRONMENT");
    assert.equal(doc.error.exitCode, 1);
    assert.match(doc.error.message, /127\.0\.0\.1:1/);
  });

  test("without --json: the message on stderr, stdout empty", async () => {
    const r = await runCli(["run", join(dir, "absent.json")]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, `ecs-pull: cannot read task definition ${join(dir, "absent.json")}: no such file\n`);
    const unknown = await runCli(["run", taskdef, "--nope"]);
    assert.equal(unknown.stdout, "");
    assert.match(unknown.stderr, /^error: unknown option '--nope'/);
  });
});

describe("bad task definition files", { timeout: 60_000 }, () => {
  test("empty: rejected at registration (exit 3), says the file is empty and what it should hold", async () => {
    const file = join(dir, "empty.json");
    await writeFile(file, "\n");
    const r = await runCli(["run", file, "--json"]);
    assert.equal(r.code, EXIT.REJECTED);
    const result = JSON.parse(r.stdout);
    assert.equal(result.registerError.message, "the task definition is empty: expected a JSON object with family and containerDefinitions");
    assert.equal(result.diagnosis.fix, REGISTER_FIX_DOCUMENT);
  });

  test("not JSON: exit 3, the parser's reason without a quote of the file, and no 'field named above'", async () => {
    const file = join(dir, "notjson.json");
    await writeFile(file, `family: web\npassword: ${CANARY}\n`);
    const r = await runCli(["run", file]);
    assert.equal(r.code, EXIT.REJECTED);
    assert.match(r.stdout, /InvalidTaskDefinition: the task definition is not valid JSON: Unexpected token 'm'\n/);
    assert.match(r.stdout, /Fix: {3}Make the file one JSON object/);
    assert.doesNotMatch(r.stdout, /field named above/);
    assert.ok(!(r.stdout + r.stderr).includes(CANARY), "the file's text was quoted");
  });

  test("a field error names the field in the fix", async () => {
    const file = join(dir, "nocontainers.json");
    await writeFile(file, JSON.stringify({ family: "web" }));
    const r = await runCli(["run", file, "--json"]);
    assert.equal(r.code, EXIT.REJECTED);
    assert.equal(JSON.parse(r.stdout).diagnosis.fix, "Correct containerDefinitions and run again.");
  });

  test("README, --help and EXIT agree: 2 = a file that cannot be read, 3 = empty / not JSON / refused", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const row = (code: number) => readme.split("\n").find((l) => l.startsWith(`| ${code} |`)) ?? "";
    assert.match(row(EXIT.USAGE), /cannot be read/);
    assert.doesNotMatch(row(EXIT.USAGE), /invalid file/);
    assert.match(row(EXIT.REJECTED), /empty, not JSON/);
    assert.match(EXIT_CODE_HELP, /2 {2}usage error \(.*a file that cannot be read/);
    assert.match(EXIT_CODE_HELP, /3 {2}rejected at registration: the task definition is empty, not JSON/);
    for (const code of Object.values(EXIT)) assert.notEqual(row(code), "", `README has no row for exit ${code}`);
    const help = await runCli(["run", "--help"]);
    assert.ok(help.stdout.includes(EXIT_CODE_HELP), "run --help prints EXIT_CODE_HELP");
    assert.ok(readme.includes('{"error":{"code":"USAGE","message":"…","exitCode":2}}'), "README documents the --json error shape");
  });
});

describe("an --endpoint that answers HTTP but is not an AWS service", { timeout: 60_000 }, () => {
  const page = `<!doctype html>\n<html><body>Welcome to nginx! ${CANARY}</body></html>`;
  const env = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: CANARY };

  for (const status of [200, 404]) {
    for (const assumeRole of ["emulator", "sts", "off"]) {
      test(`HTML ${status}, --assume-role ${assumeRole}: exit 1 naming the endpoint and what answered, no secret`, async () => {
        const endpoint = await webServer(status, page);
        const r = await runCli(["run", taskdef, "--endpoint", endpoint, "--assume-role", assumeRole, "--fast"], env);
        assert.equal(r.code, EXIT.ENVIRONMENT, r.stdout + r.stderr);
        assert.match(r.stderr, new RegExp(`^ecs-pull: the endpoint ${endpoint} answered, but not as an AWS service \\(HTTP ${status}, content type text/html; charset=utf-8`));
        assert.doesNotMatch(r.stdout, /STOPPED/);
        assert.ok(!(r.stdout + r.stderr).includes(CANARY), "a secret reached the output");
      });
    }
  }

  test("the emulator path shows the first bytes of the page, on one line", async () => {
    const endpoint = await webServer(200, page);
    const r = await runCli(["run", taskdef, "--endpoint", endpoint, "--json"], env);
    assert.equal(r.code, 1);
    const { error } = oneDocument(r.stdout);
    assert.equal(error.code, "ENVIRONMENT");
    assert.ok(error.message.includes('body "<!doctype html> <html><body>Welcome to nginx! ***</body></html>"'), error.message);
  });
});
