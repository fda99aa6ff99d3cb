// The pipeline diagram: one box per step, lit as the run's events arrive (running, passed, failed, skipped), with
// the step's timing and detail; and the per-layer progress bars of the pull.
import type { NodeId, NodeState } from "../protocol.ts";
import { PIPELINE } from "../protocol.ts";
import { byId, h } from "./dom.ts";

const TITLES: Record<NodeId, string> = {
  register: "Register task definition",
  place: "Place the task",
  "assume-role": "Assume the execution role",
  iam: "IAM decision",
  credentials: "GetSecretValue",
  parse: "Parse username / password",
  manifest: "Registry manifest",
  pull: "Pull the layers",
  start: "RUNNING / STOPPED",
};
const MARKS: Record<NodeState["status"], string> = { idle: "○", running: "…", ok: "✓", failed: "✗", skipped: "–" };
const WORDS: Record<NodeState["status"], string> = { idle: "not reached", running: "running", ok: "passed", failed: "failed", skipped: "skipped" };

export function resetDiagram(): void {
  byId("nodes").replaceChildren(...PIPELINE.map((n) => nodeElement(n, { status: "idle" })));
  byId("layers").replaceChildren();
}

function nodeElement(node: NodeId, state: NodeState): HTMLLIElement {
  const title = node === "start" && state.status !== "idle" && state.detail ? state.detail.split(":")[0]! : TITLES[node];
  const timing = state.durationMs !== undefined && state.status !== "skipped" ? `${state.durationMs} ms` : "";
  return h(
    "li",
    { class: `node ${state.status}`, "data-node": node, "data-status": state.status },
    h("span", { class: "mark", "aria-hidden": "true" }, MARKS[state.status]),
    h("span", { class: "node-title" }, title),
    h("span", { class: "sr" }, ` — ${WORDS[state.status]}`),
    timing && h("span", { class: "timing" }, timing),
    state.detail && node !== "start" ? h("span", { class: "detail" }, state.detail + (state.inferred ? " (inferred)" : "")) : null,
  );
}

export function setNode(node: NodeId, state: NodeState): void {
  const old = byId("nodes").querySelector(`[data-node="${node}"]`);
  // A failure stays visible when a later container's step of the same kind passes.
  if (old?.getAttribute("data-status") === "failed" && state.status !== "failed") return;
  old?.replaceWith(nodeElement(node, state));
}

export function setNodes(nodes: Record<NodeId, NodeState>): void {
  byId("nodes").replaceChildren(...PIPELINE.map((n) => nodeElement(n, nodes[n])));
}

export function setLayer(container: string, id: string, status: string, current?: number, total?: number): void {
  // Whole-image lines ("Pulling from team/app", "Digest: …") are not layers.
  if (!id || /^(Pulling from|Digest|Status)/.test(status)) return;
  const key = `${container}/${id}`;
  let row = byId("layers").querySelector<HTMLElement>(`[data-layer="${CSS.escape(key)}"]`);
  if (!row) {
    row = h("div", { class: "layer", "data-layer": key }, h("span", { class: "layer-id" }, `${container} · ${id}`), h("progress", { max: "100", value: "0", "aria-label": `layer ${id}` }), h("span", { class: "layer-status" }, ""));
    byId("layers").append(row);
  }
  const done = /complete|already exists/i.test(status);
  const pct = done ? 100 : total ? Math.round(((current ?? 0) / total) * 100) : undefined;
  const bar = row.querySelector("progress")!;
  if (pct !== undefined) bar.value = pct;
  row.querySelector(".layer-status")!.textContent = status + (total && !done ? ` ${current ?? 0}/${total} B` : "");
}
