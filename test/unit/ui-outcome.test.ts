// The page server's pure parts: the statement range to highlight, which policy box and statement decided a denial
// (deciding statement, or an implicit deny's nearest Allow), the IAM node of the diagram, and the texts never to send.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { TaskRunResult } from "../../agent-sim/index.ts";
import { highlightOf, nodesOf, statementRange, uiEventsOf } from "../../ui/server/outcome.ts";
import { secretTextsOf } from "../../ui/server/views.ts";
import { loadScenario } from "../../scenarios/load.ts";
import type { PolicyBox } from "../../ui/protocol.ts";

const text = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "a:B", Resource: "*" }, { Effect: "Deny", Action: "c:D", Resource: "x" }] }, null, 2);
const box: PolicyBox = { id: "role/r/inline/read-registry-creds", title: 'Inline policy "read-registry-creds"', kind: "inline", text, editable: true };

test("statementRange: the second statement's braces in pretty JSON", () => {
  const r = statementRange(text, 1)!;
  assert.match(text.slice(r.start, r.end), /^\{\s+"Effect": "Deny"[\s\S]*\}$/);
  assert.equal(statementRange(text, 5), undefined);
});

const denied = (check: Record<string, unknown>) =>
  ({ result: "STOPPED", exitCode: 5, trace: [], warnings: [], inferred: [], diagnosis: { step: "credentials", failureCode: "cred-no-permission", cause: "", fix: "", explanation: { checks: [check], text: "", unreadable: [] } } }) as unknown as TaskRunResult;

test("highlightOf: an implicit deny highlights its nearest Allow (the structured near, not the fix's words)", () => {
  const near = { policyId: "read-registry-creds", policyType: "identity", policyKind: "inline", index: 1, effect: "Allow" };
  const h = highlightOf(denied({ decision: "implicitDeny", hints: [], text: "", fix: 'policy "other" (inline), statement 0', near }), [box])!;
  assert.equal(h.policy, box.id);
  assert.equal(h.statement, 1);
  assert.match(h.text.slice(h.start, h.end), /"Deny"/);
});

test("highlightOf: an explicit deny highlights the deciding statement; no explanation, no highlight", () => {
  const h = highlightOf(denied({ decision: "explicitDeny", hints: [], text: "", deciding: { policyId: "read-registry-creds", policyType: "identity", index: 0, effect: "Deny" } }), [box])!;
  assert.equal(h.statement, 0);
  assert.equal(highlightOf({ ...denied({}), diagnosis: undefined } as TaskRunResult, [box]), undefined);
});

test("the IAM node: denied on AccessDenied, passed when GetSecretValue passed", () => {
  const end = (status: "ok" | "failed", detail: string) => uiEventsOf({ type: "step-end", trace: { step: "credentials", container: "app", status, startedAt: "", durationMs: 3, detail } });
  assert.equal((end("failed", "HTTP 400 AccessDeniedException after 1 attempt(s)")[0] as { state: { status: string } }).state.status, "failed");
  assert.equal((end("failed", "HTTP 400 ResourceNotFoundException")[0] as { state: { status: string } }).state.status, "ok");
  const nodes = nodesOf({ result: "RUNNING", exitCode: 0, trace: [{ step: "credentials", status: "ok", startedAt: "", durationMs: 1, detail: "" }], warnings: [], inferred: [] } as unknown as TaskRunResult);
  assert.equal(nodes.iam.status, "ok");
  assert.equal(nodes.start.status, "ok");
  assert.equal(nodes.pull.status, "idle");
});

test("secretTextsOf: registry passwords, secret values and ECS_ENGINE_AUTH_DATA pieces", () => {
  const texts = secretTextsOf(loadScenario("ok-engine-auth"));
  assert.ok(texts.includes("alice-registry-pw"));
  assert.ok(texts.includes("YWxpY2U6YWxpY2UtcmVnaXN0cnktcHc="));
  assert.ok(!texts.includes("alice"), "user names are not secret");
});
