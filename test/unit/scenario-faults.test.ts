// Scenario files for faults, token registries and pull time limits: validation errors name the field; runs may
// set their own fault-proxy faults only; and the catalogue's acceptance rows (issue #4) say what they must.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadCatalogue } from "../../scenarios/load.ts";
import { issues } from "./scenario-issues.ts";

const minimal = { id: "x", title: "t", section: "pull", situation: "s", fix: "f", taskDefinition: { family: "x" }, expect: { result: "STOPPED", exitCode: 6 } };

describe("faults, token auth and pull limits in scenario files", () => {
  it("token registry fields: valid with auth token; path-precise errors otherwise", () => {
    const users = [{ username: "alice", password: "pw-alice-1" }];
    assert.deepEqual(issues({ ...minimal, world: { registry: { auth: "token", users, access: { alice: ["other/*"] }, badCredentials: "anonymous" } } }), []);
    assert.ok(issues({ ...minimal, world: { registry: { users, access: { alice: ["x"] } } } }).some((i) => i.startsWith("world.registry.access: only with auth: token")));
    assert.ok(issues({ ...minimal, world: { registry: { auth: "token", users, access: { bob: ["x"] } } } }).some((i) => i.startsWith("world.registry.access.bob:")));
    assert.ok(issues({ ...minimal, world: { registry: { auth: "token", users, badCredentials: "403" } } }).some((i) => i.startsWith("world.registry.badCredentials:")));
  });

  it("a run sets fault-proxy faults only; pull limits are Go durations", () => {
    assert.deepEqual(issues({ ...minimal, runs: [{ faults: [{ kind: "secrets-manager-throttle", times: 2 }], launch: { pullInactivityTimeout: "90s", pullTimeout: "2h" } }] }), []);
    assert.ok(issues({ ...minimal, runs: [{ faults: [{ kind: "registry-down" }] }] }).some((i) => i.startsWith("runs[0].faults[0].kind:")));
    assert.ok(issues({ ...minimal, runs: [{ launch: { pullTimeout: "2 hours" } }] }).some((i) => i.startsWith("runs[0].launch.pullTimeout:")));
    assert.ok(issues({ ...minimal, world: { faults: [{ kind: "registry-slow", delayMs: 0 }] } }).some((i) => i.startsWith("world.faults[0].delayMs:")));
  });

  it("the catalogue: nothing pending; pull-version-texts expects three distinct texts (1.83.0 = 1.84.0: no prefix on the manifest stage); cred-throttled both ways", () => {
    const catalogue = loadCatalogue();
    assert.deepEqual(catalogue.filter((s) => s.pending).map((s) => s.id), []);
    const versions = catalogue.find((s) => s.id === "pull-version-texts")!;
    const texts = versions.runs.map((r) => r.expect?.stoppedReason);
    assert.equal(texts.length, 4);
    assert.equal(new Set(texts).size, 3);
    assert.equal(texts[1], texts[2]);
    // No expectation anywhere carries the 1.84.0 prefix on a CannotPullImageManifestError (the agent cannot produce it).
    const all = catalogue.flatMap((s) => [s.expect, ...s.runs.map((r) => r.expect)]).flatMap((e) => [e?.stoppedReason, ...Object.values(e?.containers ?? {})]);
    assert.deepEqual(all.filter((t) => t?.startsWith("CannotPullImageManifestError: The task can\u2019t")), []);
    const throttled = catalogue.find((s) => s.id === "cred-throttled")!;
    assert.deepEqual(throttled.runs.map((r) => [r.expect?.result, r.expect?.secretsManagerRequests]), [["RUNNING", 3], ["STOPPED", 3]]);
    assert.ok(throttled.runs[1]!.expect!.stoppedReason!.includes("exceeded maximum number of attempts, 3, "));
  });
});
