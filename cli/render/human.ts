// The human form of a run: one line per step with ✓/✗ and its timing, the exact ECS texts, then the diagnosis.
// Everything printed comes from the TaskRunResult, which never holds a password or a secret value.
import type { TaskRunResult, TraceStep } from "../../agent-sim/index.ts";

const MARK: Record<TraceStep["status"], string> = { ok: "✓", failed: "✗", skipped: "-" };

export interface Style {
  bold(s: string): string;
  red(s: string): string;
  green(s: string): string;
  dim(s: string): string;
}

export const plainStyle: Style = { bold: (s) => s, red: (s) => s, green: (s) => s, dim: (s) => s };
export const ansiStyle: Style = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  green: (s) => `\x1b[32m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
};

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function stepLine(step: TraceStep, style: Style): string {
  const mark = step.status === "ok" ? style.green(MARK.ok) : step.status === "failed" ? style.red(MARK.failed) : style.dim(MARK.skipped);
  const name = (step.step + (step.container ? ` [${step.container}]` : "")).padEnd(24);
  const time = step.status === "skipped" ? "" : style.dim(`  ${step.backoff ? agentTime(step.durationMs, step.backoff) : formatDuration(step.durationMs)}`);
  return `  ${mark} ${name}${step.detail}${step.inferred ? style.dim(" (inferred)") : ""}${time}`;
}

/** A step with retries: its time as the agent would have spent it, and whether its backoff was slept or simulated. */
function agentTime(ms: number, backoff: NonNullable<TraceStep["backoff"]>): string {
  const waits = `${backoff.waits} backoff wait${backoff.waits === 1 ? "" : "s"}`;
  return `over ~${formatDuration(ms)} of agent time (${waits}, ${backoff.simulated ? "simulated" : "real"})`;
}

export function launchLine(result: TaskRunResult): string {
  const l = result.launch;
  const version = l.launchType === "FARGATE" ? `platform ${l.platformVersion ?? "LATEST"}` : `agent ${l.agentVersion}`;
  return `${l.launchType}, ${version}, ${l.region}, account ${l.account}, cluster ${l.cluster}`;
}

/** The outcome block: status line, ECS's own texts, diagnosis, warnings, inferred notes. */
export function outcomeLines(result: TaskRunResult, style: Style): string[] {
  const lines: string[] = [];
  const task = result.task;
  if (result.result === "RUNNING") {
    lines.push(style.green(style.bold("Task RUNNING")) + (task ? `  ${task.taskArn}` : ""));
  } else if (result.result === "STOPPED" && task) {
    lines.push(style.red(style.bold("Task STOPPED")) + `  stopCode ${task.stopCode ?? "-"}`);
    if (task.stoppedReason !== undefined) lines.push(`  stoppedReason: ${task.stoppedReason}`);
    for (const c of task.containers) if (c.reason !== undefined) lines.push(`  container ${c.name} reason: ${c.reason}`);
  } else if (result.result === "REJECTED" && result.registerError) {
    const e = result.registerError;
    lines.push(style.red(style.bold("Rejected at registration")) + `  ${e.code}: ${e.message}`);
  } else if (result.result === "NOT_PLACED" && result.placementFailure) {
    lines.push(style.red(style.bold("Not placed")) + `  ${placementText(result)}`);
  }
  const d = result.diagnosis;
  if (d) {
    lines.push("", style.bold(`Diagnosis (${d.failureCode}, step ${d.step})${d.inferred ? " (inferred)" : ""}`));
    lines.push(`  Cause: ${d.cause}`, `  Fix:   ${d.fix}`);
    // The explanation's `Hint:` line is often the fix itself (a secret ARN without its suffix): said once, as the Fix.
    const why = d.explanation?.text.split("\n").filter((l) => l !== `Hint: ${d.fix}`) ?? [];
    if (why.length > 0) lines.push("  Why (IAM policy evaluation):", ...why.map((l) => `    ${l}`));
  }
  for (const w of result.warnings) lines.push(style.dim(`warning: ${w}`));
  if (result.inferred.length > 0 || result.trace.some((s) => s.inferred) || d?.inferred) {
    lines.push(style.dim(INFERRED_EXPLANATION), ...result.inferred.map((note) => style.dim(`  - ${note}`)));
  }
  return lines;
}

/** Said once under an outcome that has anything inferred: what the word means, and where every such choice is listed. */
export const INFERRED_EXPLANATION =
  "Inferred: no public source settles the parts marked (inferred), so they are ecs-pull's best model and real ECS may differ; docs/fidelity.md lists every such choice.";

function placementText(result: TaskRunResult): string {
  const f = result.placementFailure!;
  if (f.kind === "failures") return `RunTask failures: ${JSON.stringify(f.failures)}${f.serviceEvent ? `\n  service event: ${f.serviceEvent}` : ""}`;
  return `${f.code}: ${f.message}`;
}

export function renderHuman(result: TaskRunResult, style: Style, header?: string): string {
  const lines = header ? [header] : [];
  for (const step of result.trace) lines.push(stepLine(step, style));
  lines.push("", ...outcomeLines(result, style));
  return lines.join("\n") + "\n";
}
