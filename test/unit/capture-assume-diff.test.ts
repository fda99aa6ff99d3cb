// The pieces `scenario run` uses for a captured scenario: AWS's text and ours aligned with the first difference
// marked, and --assume rewriting the world for another assumption (a bad choice refused with the choices named).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyAssumptions, assumptionLines, parseAssume } from "../../capture/assume.ts";
import { alignedDiff, firstDifference } from "../../capture/text-diff.ts";
import { parseScenario } from "../../scenarios/load.ts";

const captured = parseScenario(
  {
    id: "repro-web",
    title: "Captured",
    section: "pull",
    situation: "Captured by ecs-pull capture.",
    fix: "x",
    world: {
      registry: { users: [{ username: "ecs-pull-user", password: "local-pw" }], images: [{ repository: "team/app", tag: "v1" }] },
      secrets: [{ name: "registry/creds", value: { username: "ecs-pull-user", password: "stale-local-pw" } }],
      roles: [{ name: "execRole" }],
    },
    taskDefinition: { family: "web", containerDefinitions: [] },
    expect: { result: "STOPPED", exitCode: 6 },
    unknowns: [
      { id: "registry-password", kind: "registry-password", what: "never read", assume: "different", choices: { same: "s", different: "d" } },
      { id: "role-policy:execRole/read", kind: "role-policy", what: "refused", assume: "denies", choices: { denies: "nothing", allows: "all" } },
    ],
  },
  "repro.yaml",
);

describe("captured scenarios: assumptions and the aligned difference", () => {
  it("marks the first differing character under both texts", () => {
    assert.equal(firstDifference("abc", "abd"), 2);
    assert.equal(firstDifference("abc", "abc"), -1);
    assert.equal(firstDifference("abc", "abcd"), 3);
    const lines = alignedDiff("CannotPullContainerError: 401 Unauthorized", "CannotPullContainerError: 403 Forbidden", ["AWS", "ecs-pull"]);
    assert.deepEqual(lines, [
      "AWS:      CannotPullContainerError: 401 Unauthorized",
      "ecs-pull: CannotPullContainerError: 403 Forbidden",
      "                                      ^ first difference at character 29",
    ]);
  });

  it("--assume registry-password=same makes the secret's password the registry's; the lines say what is assumed", () => {
    const same = applyAssumptions(captured, new Map([["registry-password", "same"]]));
    assert.deepEqual(same.world.secrets[0]!.value, { username: "ecs-pull-user", password: "local-pw" });
    assert.match(assumptionLines(same)[0]!, /^assuming registry-password=same: s \(never read; other choices: different\)/);
    const allows = applyAssumptions(captured, new Map([["role-policy:execRole/read", "allows"]]));
    assert.deepEqual(Object.keys(allows.world.roles[0]!.inline ?? {}), ["assumed-read"]);
    assert.equal(captured.world.roles[0]!.inline, undefined, "the input is not changed");
  });

  it("a bad --assume names what is possible", () => {
    assert.throws(() => parseAssume("registry-password"), /expected <unknown id>=<choice>/);
    assert.throws(() => applyAssumptions(captured, new Map([["registry-password", "maybe"]])), /choose one of same, different/);
    assert.throws(() => applyAssumptions(captured, new Map([["nope", "x"]])), /has no unknown "nope" \(it has: registry-password, role-policy:execRole\/read\)/);
  });
});
