// `ecs-pull scenario` as a user runs it: list, show (redacted), run one catalogue id, run a user's own file, and a
// bad file (exit 2, the bad field named). A canary password in the user's file never appears in any output.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../support/cli.ts";

const CANARY = "canary-pw-5e1f0d";
const env = { DOCKER_HOST: process.env.DOCKER_HOST ?? "", ECS_PULL_REGISTRY_MODE: process.env.ECS_PULL_REGISTRY_MODE ?? "" };

describe("ecs-pull scenario", { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-scenario-"));
  const own = join(dir, "my-scenario.yaml");
  writeFileSync(
    own,
    readFileSync(new URL("../../scenarios/catalogue/pull-bad-password.yaml", import.meta.url), "utf8")
      .replace(/^id: .*$/m, "id: my-scenario")
      .replaceAll("alice-registry-pw", CANARY),
  );

  it("list names every section and scenario", async () => {
    const r = await runCli(["scenario", "list"], env);
    assert.equal(r.code, 0, r.stderr);
    for (const word of ["works:", "credentials:", "ok-basic", "cred-kms", "pull-version-texts"]) assert.ok(r.stdout.includes(word), word);
  });

  it("show prints the scenario with passwords redacted", async () => {
    const r = await runCli(["scenario", "show", own], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes("********"));
    assert.ok(!r.stdout.includes(CANARY) && !r.stderr.includes(CANARY));
  });

  it("run ID --fast passes, exit 0", async () => {
    const r = await runCli(["scenario", "run", "cred-kms", "--fast"], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 passed, 0 failed/);
  });

  it("run ID (simulated agent time, the default) passes; --fast with --real-time is a usage error", async () => {
    const r = await runCli(["scenario", "run", "pull-registry-down"], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 passed, 0 failed/);
    const both = await runCli(["scenario", "run", "cred-kms", "--fast", "--real-time"], env);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--fast and --real-time contradict each other/);
  });

  it("run FILE --json: the user's own scenario passes; the canary is never printed", async () => {
    const r = await runCli(["scenario", "run", own, "--fast", "--json"], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.summary.passed, 1);
    assert.ok(!r.stdout.includes(CANARY) && !r.stderr.includes(CANARY));
  });

  it("a scenario whose expectation is wrong fails with exit 1 and shows the difference", async () => {
    const wrong = join(dir, "wrong.yaml");
    writeFileSync(wrong, readFileSync(own, "utf8").replace("401 Unauthorized", "403 Forbidden"));
    const r = await runCli(["scenario", "run", wrong, "--fast"], env);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /expected: .*403 Forbidden/);
    assert.ok(!r.stdout.includes(CANARY));
  });

  it("a bad file exits 2 and names the bad field; an unknown id exits 2", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "id: bad\ntitle: t\nsection: works\nsituation: s\nfix: f\ntaskDefinition: {}\nworld: { secrets: [{ name: a, value: 3 }] }\nexpect: { result: RUNNING, exitCode: 0 }\n");
    const r = await runCli(["scenario", "run", bad], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /world\.secrets\[0\]\.value/);
    assert.equal((await runCli(["scenario", "run", "no-such-scenario"], env)).code, 2);
    assert.equal((await runCli(["scenario", "run"], env)).code, 2);
  });
});
