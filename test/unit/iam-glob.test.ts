// IAM wildcards (`*`, `?`) are matched in linear-ish time (issue 16, finding 1): a pattern such as `*a*a*a…b`
// against a long value finishes at once, and on small inputs the matcher agrees with an anchored RegExp (the
// former implementation, safe only on small inputs), for Resource/StringLike globs and segment-wise ArnLike.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compilePattern, globMatch, globParts, type MatchMode } from "../../aws/iam/patterns.ts";
import { evaluate } from "../../aws/iam/index.ts";

const NO_CONTEXT = new Map<string, string>();
const matcher = (pattern: string, mode: MatchMode) => compilePattern(pattern, mode, false).bind(NO_CONTEXT)!;

/** The reference: the anchored RegExp the emulator used before (exponential on hostile input, exact on small). */
function reference(pattern: string, mode: "glob" | "arn", value: string): boolean {
  const colons = pattern.split(":").length - 1;
  const segmented = mode === "arn" ? Math.min(5, colons) : 0;
  let source = "^";
  let seen = 0;
  for (const ch of pattern) {
    if (ch === "*") source += seen < segmented ? "[^:]*" : "[\\s\\S]*";
    else if (ch === "?") source += seen < segmented ? "[^:]" : "[\\s\\S]";
    else {
      if (ch === ":") seen++;
      source += ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
    }
  }
  return new RegExp(`${source}$`).test(value);
}

describe("IAM glob matcher", () => {
  it("agrees with the anchored RegExp on small inputs (Resource / StringLike)", () => {
    const pattern = fc.string({ unit: fc.constantFrom("a", "b", "*", "?", ":", "/"), maxLength: 8 });
    const value = fc.string({ unit: fc.constantFrom("a", "b", ":", "/", "\n"), maxLength: 10 });
    fc.assert(fc.property(pattern, value, (p, v) => matcher(p, "glob")(v) === reference(p, "glob", v)), { numRuns: 5000 });
  });

  it("agrees with the anchored RegExp on small inputs (ArnLike, segment-wise)", () => {
    const pattern = fc.string({ unit: fc.constantFrom("a", "*", "?", ":", ":", "/"), maxLength: 12 });
    const value = fc.string({ unit: fc.constantFrom("a", ":", ":", "/"), maxLength: 12 });
    fc.assert(fc.property(pattern, value, (p, v) => matcher(p, "arn")(v) === reference(p, "arn", v)), { numRuns: 5000 });
  });

  it("handles the edge cases", () => {
    const m = (p: string, v: string) => globMatch(globParts(p), v);
    assert.equal(m("", ""), true);
    assert.equal(m("", "a"), false);
    assert.equal(m("*", ""), true);
    assert.equal(m("?", ""), false);
    assert.equal(m("a**b", "ab"), true);
    assert.equal(m("*?", "x"), true);
    assert.equal(m("a*b*c", "aXbYbc"), true);
    assert.equal(m("a*b*c", "aXbYbcd"), false);
    assert.equal(matcher("arn:aws:s3:::b/*", "arn")("arn:aws:s3:::b/x:y"), true);
    assert.equal(matcher("arn:*:s3:::b", "arn")("arn:aws:x:s3:::b"), false);
  });

  it("matches 20 stars against a 100-character value at once (a RegExp took minutes)", () => {
    const pattern = `${"*a".repeat(20)}*b`;
    const value = "a".repeat(100);
    const glob = matcher(pattern, "glob");
    const arn = matcher(`arn:aws:secretsmanager:us-east-1:000000000000:secret:${pattern}`, "arn");
    const started = performance.now();
    for (let i = 0; i < 100; i++) {
      assert.equal(glob(value), false);
      assert.equal(arn(`arn:aws:secretsmanager:us-east-1:000000000000:secret:${value}`), false);
    }
    // 200 evaluations; each is at most 41 × 100 steps. A generous bound: well under a second.
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
  });

  it("evaluates the hostile Resource and StringLike condition of finding 1 at once", () => {
    const hostile = `${"*a".repeat(20)}*b`;
    const document = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${hostile}` },
        { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { StringLike: { "aws:PrincipalTag/team": hostile } } },
      ],
    });
    const started = performance.now();
    const decision = evaluate(
      {
        principal: { arn: "arn:aws:sts::000000000000:assumed-role/r/s", account: "000000000000", type: "AssumedRole", tags: { team: "a".repeat(100) } },
        action: "secretsmanager:GetSecretValue",
        resource: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${"a".repeat(100)}`,
        resourceAccount: "000000000000",
        context: {},
      },
      { identity: [{ id: "p", type: "inline", name: "p", document }] },
    );
    assert.equal(decision.decision, "implicitDeny");
    assert.equal(decision.trace.length, 2);
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
  });
});
