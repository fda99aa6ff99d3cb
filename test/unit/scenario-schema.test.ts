// The scenario format: validation errors name the bad field; placeholders fill and match byte for byte; the
// shipped catalogue loads, covers FAILURE-CATALOG, and the generated docs and JSON Schema are up to date.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { renderFailuresDoc, renderSchemaFile, FAILURES_DOC, SCHEMA_FILE } from "../../scenarios/docs.ts";
import { loadCannotRun, loadCatalogue, parseScenario, parseScenarioText, ScenarioValidationError } from "../../scenarios/load.ts";
import { fillDeep, fillPlaceholders, matchesTemplate, PlaceholderError } from "../../scenarios/placeholders.ts";
import { redactScenario } from "../../scenarios/redact.ts";
import { issues } from "./scenario-issues.ts";

const minimal = { id: "x", title: "t", section: "works", situation: "s", fix: "f", taskDefinition: { family: "x" }, expect: { result: "RUNNING", exitCode: 0 } };

describe("scenario validation", () => {
  it("a minimal scenario is valid and gets one default run", () => {
    const s = parseScenario(minimal, "m.yaml");
    assert.equal(s.runs.length, 1);
  });
  it("a bad field is named by its path", () => {
    const bad = { ...minimal, world: { secrets: [{ name: "a", value: 3 }] } };
    assert.ok(issues(bad).some((i) => i.startsWith("world.secrets[0].value:")), issues(bad).join("\n"));
    assert.ok(issues({ ...minimal, section: "nope" }).some((i) => i.startsWith("section:")));
    assert.ok(issues({ ...minimal, world: { roles: [{ name: "r", extra: 1 }] } }).some((i) => i.startsWith("world.roles[0]")));
  });
  it("every run needs a complete expectation (scenario default + its own)", () => {
    const bad = { ...minimal, expect: {}, runs: [{ expect: { result: "RUNNING" } }] };
    assert.ok(issues(bad).some((i) => i.startsWith("runs[0].expect.exitCode:")), issues(bad).join("\n"));
  });
  it("text that is not YAML is one clear issue", () => {
    assert.throws(() => parseScenarioText("id: [", "bad.yaml"), (e: unknown) => e instanceof ScenarioValidationError && e.issues[0]!.startsWith("(file): not YAML"));
  });
  it("a scenario JSON file that does not parse: the error text quotes none of it (passwords live there)", () => {
    const canary = "canary-scenario-pw-4e1f";
    assert.throws(
      () => parseScenarioText(`{"world": {"registry": {"users": [{"username": "alice", "password": ${canary}}]}}}`, "bad.json"),
      (e: unknown) => e instanceof ScenarioValidationError && e.issues[0]!.startsWith("(file): not JSON: ") && !e.issues.join("\n").includes(canary.slice(0, 6)),
    );
  });
});

describe("placeholders", () => {
  const b = new Map([["registry", "127.0.0.1:5000"], ["secretArn:creds", "arn:aws:secretsmanager:us-east-1:000000000000:secret:creds-AbCdEf"], ["taskId", "abc"]]);
  it("fill values, images and keys", () => {
    assert.equal(fillPlaceholders("{image:team/app:v1}", b), "127.0.0.1:5000/team/app:v1");
    assert.deepEqual(fillDeep({ "{registry}": ["{secretArn:creds}"] }, b), { "127.0.0.1:5000": ["arn:aws:secretsmanager:us-east-1:000000000000:secret:creds-AbCdEf"] });
  });
  it("an unknown name is an error; text that only looks like one is literal", () => {
    assert.throws(() => fillPlaceholders("{secretArn:nope}", b), PlaceholderError);
    assert.equal(fillPlaceholders('{"username":"…"}', b), '{"username":"…"}');
  });
  it("{requestId} matches a UUID, everything else byte for byte", () => {
    const t = "for {secretArn:creds}: RequestID: {requestId}, x.";
    const ok = "for arn:aws:secretsmanager:us-east-1:000000000000:secret:creds-AbCdEf: RequestID: 1b4e28ba-2fa1-11d2-883f-0016d3cca427, x.";
    assert.ok(matchesTemplate(t, ok, b));
    assert.ok(!matchesTemplate(t, ok.replace("x.", "x"), b));
    assert.ok(!matchesTemplate(t, ok.replace("1b4e28ba", "nothex!!"), b));
    assert.ok(!matchesTemplate("a.c", "abc", b), "a dot is a dot");
  });
});

describe("the shipped catalogue", () => {
  const catalogue = loadCatalogue();
  it("covers every FAILURE-CATALOG row (as a scenario or a cannot-run entry)", () => {
    const rows = ["ok-basic", "ok-name", "ok-fargate", "ok-external", "ok-shared-secret", "ok-cmk", "ok-wildcard", "ok-cross-region", "ok-cross-account", "ok-engine-auth", "ok-mixed", "reg-no-exec-role", "reg-ecr-image", "reg-invalid", "gate-agent-old", "gate-fargate-old", "gate-untrusted-role", "gate-engine-auth-fargate", "cred-no-permission", "cred-task-role", "cred-missing-suffix", "cred-explicit-deny", "cred-condition", "cred-boundary", "cred-kms", "cred-kms-disabled", "cred-kms-pending-deletion", "cred-not-found", "cred-wrong-region", "cred-replica-region", "cred-cross-account-name", "cred-cross-account-default-key", "cred-deleted", "cred-plaintext", "cred-no-username", "cred-no-password", "cred-binary", "cred-unreachable", "cred-throttled", "cred-rotated-not-propagated", "cred-pending-stage", "cred-stage-moved", "pull-bad-password", "pull-no-credentials", "pull-no-such-image", "pull-denied-repo", "pull-rate-limited", "pull-registry-down", "pull-slow", "pull-blob-broken", "pull-engine-auth-malformed", "pull-version-texts"];
    const have = new Set([...catalogue.map((s) => s.id), ...loadCannotRun().map((c) => c.id)]);
    assert.deepEqual(rows.filter((r) => !have.has(r)), []);
  });
  it("every STOPPED run states its exact stoppedReason", () => {
    for (const s of catalogue) {
      s.runs.forEach((run, i) => {
        const e = { ...s.expect, ...run.expect };
        if (e.result === "STOPPED" && !s.pending) assert.ok(e.stoppedReason, `${s.id} run ${i}`);
      });
    }
  });
  it("docs/failures.md and scenario.schema.json are up to date (npm run docs:failures)", () => {
    assert.equal(readFileSync(FAILURES_DOC, "utf8"), renderFailuresDoc(catalogue, loadCannotRun()));
    assert.equal(readFileSync(SCHEMA_FILE, "utf8"), renderSchemaFile());
  });
  it("show redacts passwords and secret values", () => {
    const text = JSON.stringify(catalogue.map(redactScenario));
    assert.ok(!text.includes("alice-registry-pw") && !text.includes("stale-password"));
  });
});
