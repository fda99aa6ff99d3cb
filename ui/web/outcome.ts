// The outcome panel: the task's end with ECS's exact texts, the diagnosis (cause, fix, the IAM explanation) and,
// side by side, the previous run's outcome — the lesson is the difference an edit made.
import type { OutcomeView } from "../protocol.ts";
import { h } from "./dom.ts";

function card(o: OutcomeView, heading: string, cls: string): HTMLElement {
  const ok = o.result === "RUNNING";
  const d = o.diagnosis;
  return h("article", { class: `result ${cls} ${ok ? "ok" : "failed"}`, "data-result": o.result, "aria-label": `${heading}: ${o.result}` },
    h("h3", {}, `${heading}: `, h("span", { class: "result-word" }, o.result), ` (exit ${o.exitCode})`),
    h("p", { class: "muted" }, `${o.label} · ${o.durationMs} ms${o.edited.length ? ` · edited: ${o.edited.join("; ")}` : ""}`),
    o.stoppedReason ? h("div", {}, h("h4", {}, "stoppedReason (exactly as ECS shows it)"), h("pre", { class: "ecs-text" }, o.stoppedReason)) : null,
    ...o.containers.filter((c) => c.reason).map((c) => h("div", {}, h("h4", {}, `Container ${c.name}: reason`), h("pre", { class: "ecs-text" }, c.reason!))),
    o.registerError ? h("div", {}, h("h4", {}, "RegisterTaskDefinition error"), h("pre", { class: "ecs-text" }, o.registerError)) : null,
    o.placement ? h("div", {}, h("h4", {}, "Placement failure"), h("pre", { class: "ecs-text" }, o.placement)) : null,
    ...o.warnings.map((w) => h("p", { class: "warning" }, `Warning: ${w}`)),
    d ? h("div", { class: "diagnosis" },
      h("h4", {}, `Why: ${d.failureCode} (at the ${d.step} step)`),
      h("p", {}, d.cause),
      h("h4", {}, "Fix"),
      h("p", { class: "fix" }, d.fix),
      d.explanation ? h("details", {}, h("summary", {}, "How IAM decided"), h("pre", { class: "explain" }, d.explanation)) : null,
      o.highlight ? h("p", {}, `Deciding statement: ${o.highlight.title}, statement ${o.highlight.statement} — highlighted in the world below.`) : null)
      : ok ? h("p", {}, "The image was pulled and the task is running.") : null,
    Object.keys(o.bindings).length ? h("details", {}, h("summary", {}, "Placeholders in this run's world"),
      h("dl", { class: "bindings" }, ...Object.entries(o.bindings).flatMap(([k, v]) => [h("dt", {}, `{${k}}`), h("dd", {}, v)]))) : null,
  );
}

export function renderOutcomes(current: OutcomeView | undefined, previous: OutcomeView | undefined): HTMLElement[] {
  if (!current) return [h("p", { class: "muted" }, "No run yet.")];
  const out = [card(current, "This run", "current")];
  if (previous) {
    const same = previous.result === current.result && previous.stoppedReason === current.stoppedReason;
    out.unshift(h("p", { class: "difference", role: "status" }, same ? "Same outcome as the previous run." : `Previous run: ${previous.result} → this run: ${current.result}.`));
    out.push(card(previous, "Previous run", "previous"));
  }
  return out;
}
