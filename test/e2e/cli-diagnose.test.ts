// `ecs-pull diagnose` as a user runs it: a pasted text, stdin, a DescribeTasks file, --json with the catalogue ids;
// bad input (no input, a JSON file that is not DescribeTasks, a bad --limit) exits 2 with a clear message.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BIN, runCli } from "../support/cli.ts";

const KMS = "Asm fetching secret from the service for arn:aws:secretsmanager:eu-west-1:210987654321:secret:prod/registry-Xy12Ab: AccessDeniedException: Access to KMS is not allowed status code: 400, request id: 5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

describe("ecs-pull diagnose", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-diagnose-"));

  it("a pasted text: the entry, its cause, fix and the command that reproduces it; exit 0", async () => {
    const r = await runCli(["diagnose", KMS]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Known text: catalogue entry cred-kms produces it/);
    assert.match(r.stdout, /fix: Allow kms:Decrypt/);
    assert.match(r.stdout, /reproduce: ecs-pull scenario run cred-kms/);
  });

  it("stdin (-) and --json name the catalogue ids, best first", () => {
    const r = spawnSync(process.execPath, [BIN, "diagnose", "-", "--json"], { input: KMS, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.input, "text");
    assert.equal(out.results[0].known, true);
    assert.equal(out.results[0].entries[0].id, "cred-kms");
    assert.equal(out.results[0].entries[0].match, "exact");
  });

  it("a DescribeTasks file: each stopped task's reason", async () => {
    const file = join(dir, "tasks.json");
    writeFileSync(file, JSON.stringify({ tasks: [{ taskArn: "arn:aws:ecs:eu-west-1:210987654321:task/prod/0a1b", lastStatus: "STOPPED", stoppedReason: "Essential container in task exited", containers: [{ name: "web", reason: "CannotPullContainerError: Error response from daemon: Get \"http://registry.corp.example:5000/v2/\": dial tcp registry.corp.example:5000: connect: connection refused" }] }], failures: [] }));
    const r = await runCli(["diagnose", file, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.input, "describe-tasks");
    assert.equal(out.results[0].field, "container");
    assert.equal(out.results[0].entries[0].id, "pull-registry-down");
  });

  it("an unknown text says so and shows the nearest entries", async () => {
    const r = await runCli(["diagnose", "Task failed container health checks", "--limit", "2"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Unknown text: no catalogue entry produces it/);
    assert.match(r.stdout, /^2\. /m);
  });

  it("bad input: no input, a JSON file that is not DescribeTasks, a bad --limit → exit 2 with the reason", async () => {
    const none = await runCli(["diagnose"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give the text to diagnose/);
    const file = join(dir, "taskdef.json");
    writeFileSync(file, JSON.stringify({ family: "web", containerDefinitions: [] }));
    const notTasks = await runCli(["diagnose", file]);
    assert.equal(notTasks.code, 2);
    assert.match(notTasks.stderr, /taskdef\.json: not a DescribeTasks document: it has no "tasks" list/);
    assert.doesNotMatch(notTasks.stderr, /\n\s+at /);
    const limit = await runCli(["diagnose", KMS, "--limit", "0"]);
    assert.equal(limit.code, 2);
    assert.match(limit.stderr, /--limit/);
  });
});
