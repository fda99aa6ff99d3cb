// From the agent's events and result to what the page draws: diagram nodes (the trace's steps plus the IAM
// decision, which the trace folds into the GetSecretValue call), per-layer progress, the ECS texts, the diagnosis,
// and which statement of which policy box decided (to highlight it). Pure functions.
import type { AgentEvent, TaskRunResult, TraceStep } from "../../agent-sim/index.ts";
import { statementPositions } from "../../aws/iam/index.ts";
import type { Highlight, NodeId, NodeState, OutcomeView, PolicyBox, UiEvent } from "../protocol.ts";
import { PIPELINE } from "../protocol.ts";

const DENIED = /AccessDenied/;

function stateOf(t: TraceStep): NodeState {
  return { status: t.status, detail: t.detail, durationMs: t.durationMs, ...(t.container !== undefined && { container: t.container }), ...(t.inferred && { inferred: true }) };
}

/** The IAM decision as the GetSecretValue call's end shows it. */
function iamStateOf(t: TraceStep): NodeState {
  if (t.status === "ok") return { status: "ok", detail: "Allowed: the execution role may call secretsmanager:GetSecretValue (and kms:Decrypt)", ...(t.container !== undefined && { container: t.container }) };
  if (t.status === "failed" && DENIED.test(t.detail)) return { status: "failed", detail: "Denied: see the highlighted statement", ...(t.container !== undefined && { container: t.container }) };
  if (t.status === "failed") return { status: "ok", detail: "Not an IAM denial", ...(t.container !== undefined && { container: t.container }) };
  return { status: "skipped", detail: t.detail };
}

/** AgentEvent → the page's events (none for what the page does not draw). */
export function uiEventsOf(event: AgentEvent): UiEvent[] {
  switch (event.type) {
    case "step-start": {
      const state: NodeState = { status: "running", ...(event.detail !== undefined && { detail: event.detail }), ...(event.container !== undefined && { container: event.container }) };
      const node = event.step as NodeId;
      return event.step === "credentials" ? [{ type: "step", node: "iam", state }, { type: "step", node, state }] : [{ type: "step", node, state }];
    }
    case "step-end": {
      const t = event.trace;
      const own: UiEvent = { type: "step", node: t.step as NodeId, state: stateOf(t) };
      return t.step === "credentials" ? [{ type: "step", node: "iam", state: iamStateOf(t) }, own] : [own];
    }
    case "pull-progress":
      return [{ type: "layer", container: event.container, id: event.progress.id, status: event.progress.status, ...(event.progress.current !== undefined && { current: event.progress.current }), ...(event.progress.total !== undefined && { total: event.progress.total }) }];
    case "retry":
      return [{ type: "retry", node: event.step, container: event.container, attempt: event.attempt, maxAttempts: event.maxAttempts, delayMs: event.delayMs }];
  }
}

/** Final node states from the trace: a failed step stays failed whatever another container did. */
export function nodesOf(result: TaskRunResult): Record<NodeId, NodeState> {
  const nodes = Object.fromEntries(PIPELINE.map((n) => [n, { status: "idle" }])) as Record<NodeId, NodeState>;
  const put = (node: NodeId, state: NodeState) => {
    if (nodes[node].status !== "failed") nodes[node] = state;
  };
  for (const t of result.trace) {
    if (t.step === "credentials") put("iam", iamStateOf(t));
    put(t.step as NodeId, stateOf(t));
  }
  const end = result.result === "RUNNING" ? "ok" : "failed";
  nodes.start = { ...nodes.start, status: end, detail: `${result.result}${result.task?.stoppedReason ? `: ${result.task.stoppedReason}` : ""}` };
  return nodes;
}

/** Which policy box and statement decided the denial: the deciding statement, or the nearest Allow of an implicit deny. */
export function highlightOf(result: TaskRunResult, boxes: PolicyBox[]): Highlight | undefined {
  const checks = result.diagnosis?.explanation?.checks ?? [];
  const denied = checks.find((c) => c.decision !== "allowed");
  if (!denied) return undefined;
  const ref = denied.deciding ?? denied.near;
  const policyId = ref?.policyId;
  const index = ref?.index;
  if (policyId === undefined || index === undefined) return undefined;
  const box = boxes.find((b) => boxMatches(b, policyId));
  if (!box) return undefined;
  const range = statementRange(box.text, index);
  return { policy: box.id, title: box.title, statement: index, text: box.text, ...(range ?? { start: 0, end: box.text.length }) };
}

function boxMatches(box: PolicyBox, policyId: string): boolean {
  const last = box.id.slice(box.id.lastIndexOf("/") + 1);
  if (box.kind === "inline" || box.kind === "managed") return last === policyId || policyId.endsWith(`/${last}`);
  if (box.kind === "resource") return policyId.startsWith("resource policy of");
  if (box.kind === "boundary") return policyId.endsWith(`/${box.title.replace(/^Permissions boundary "|"$/g, "")}`);
  return false;
}

/** Character range of statement `index` in a policy text. */
export function statementRange(text: string, index: number): { start: number; end: number } | undefined {
  const p = statementPositions(text)[index];
  if (!p) return undefined;
  const lines = text.split("\n");
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return { start: offset(p.start.line, p.start.column), end: offset(p.end.line, p.end.column) };
}

export function outcomeOf(label: string, result: TaskRunResult, boxes: PolicyBox[], bindings: Record<string, string>, durationMs: number, edited: string[]): OutcomeView {
  const d = result.diagnosis;
  const denied = d?.explanation?.checks.find((c) => c.decision !== "allowed");
  const highlight = highlightOf(result, boxes);
  const p = result.placementFailure;
  return {
    label,
    result: result.result,
    exitCode: result.exitCode,
    ...(result.task?.stoppedReason !== undefined && { stoppedReason: result.task.stoppedReason }),
    containers: (result.task?.containers ?? []).map((c) => ({ name: c.name, ...(c.lastStatus !== undefined && { lastStatus: c.lastStatus }), ...(c.reason !== undefined && { reason: c.reason }) })),
    ...(result.registerError && { registerError: `${result.registerError.code}: ${result.registerError.message}` }),
    ...(p && { placement: p.kind === "failures" ? p.failures.map((f) => f.reason).join(", ") : `${p.code}: ${p.message}` }),
    warnings: result.warnings,
    ...(d && {
      diagnosis: {
        step: d.step,
        failureCode: d.failureCode,
        cause: d.cause,
        fix: d.fix,
        ...(d.explanation && { explanation: d.explanation.text }),
        ...(denied && { decision: denied.decision }),
      },
    }),
    ...(highlight && { highlight }),
    nodes: nodesOf(result),
    bindings,
    durationMs,
    edited,
  };
}
