// `ecs-pull demo` and `--help` end to end: the demo's four outcomes, its cleanup, and the canary password.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../support/cli.ts";

const CANARY = "canary-Demo-b41d07";

test("demo: one task RUNNING and three STOPPED as expected, exit 0, canary never printed (human)", async () => {
  const r = await runCli(["demo"], { ECS_PULL_DEMO_PASSWORD: CANARY });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /✓ ok-basic\s+RUNNING/);
  assert.match(r.stdout, /✓ pull-bad-password\s+STOPPED\s+exit 6/);
  assert.match(r.stdout, /✓ cred-plaintext\s+STOPPED\s+exit 5/);
  assert.match(r.stdout, /✓ cred-not-found\s+STOPPED\s+exit 5/);
  assert.ok(!(r.stdout + r.stderr).includes(CANARY), "the demo's registry password leaked");
});

test("demo --json: four outcomes, canary never printed", async () => {
  const r = await runCli(["demo", "--json"], { ECS_PULL_DEMO_PASSWORD: CANARY });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.map((o: { id: string }) => o.id), ["ok-basic", "pull-bad-password", "cred-plaintext", "cred-not-found"]);
  assert.ok(doc.every((o: { asExpected: boolean }) => o.asExpected));
  assert.ok(!(r.stdout + r.stderr).includes(CANARY));
});

test("--help teaches: commands, exit codes; run --help has examples", async () => {
  const top = await runCli(["--help"]);
  assert.equal(top.code, 0);
  for (const word of ["run", "serve", "demo", "Exit codes:", "5  the task STOPPED in the credentials stage"]) assert.ok(top.stdout.includes(word), word);
  const run = await runCli(["run", "--help"]);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /--agent-version/);
  assert.match(run.stdout, /Examples:/);
});
