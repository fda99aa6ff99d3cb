// The world panel: secrets (names and key names only), the registry and its users (names only), each role's trust
// and permission policies, and the task definition. Policies and the task definition are editable: a read view
// (with the deciding statement highlighted after a run) and an Edit button that turns it into a text box.
import type { Highlight, PolicyBox, ScenarioView } from "../protocol.ts";
import { h } from "./dom.ts";

export interface EditableDoc {
  id: string;
  title: string;
  original: string;
  editable: boolean;
}

export interface WorldHandlers {
  /** The current text of a document (edited or not). */
  textOf(id: string): string;
  onEdit(id: string, text: string): void;
}

export const TASK_DEFINITION_ID = "task-definition";

export function renderWorld(view: ScenarioView, handlers: WorldHandlers, highlight?: Highlight): HTMLElement {
  const w = view.world;
  const secrets = h("div", { class: "card" }, h("h3", {}, "Secrets Manager"), w.secrets.length === 0 ? h("p", {}, "No secrets.") : h("ul", {}, ...w.secrets.map((s) =>
    h("li", {},
      h("code", {}, s.name),
      ` — ${s.kind === "json" ? `JSON with keys ${s.keys.join(", ")}` : s.kind === "plaintext" ? "a plain-text value" : "a binary value"}`,
      s.kmsKey ? ` · KMS key ${s.kmsKey}` : "",
      s.region ? ` · region ${s.region}` : "",
      s.account ? ` · account ${s.account}` : "",
      s.deleted ? " · scheduled for deletion" : "",
      h("span", { class: "muted" }, " (value never shown)"),
    ))));
  const r = w.registry;
  const registry = h("div", { class: "card" }, h("h3", {}, "Registry"), r
    ? h("ul", {}, h("li", {}, `auth: ${r.auth}`), h("li", {}, `users: ${r.users.join(", ") || "none"} (passwords never shown)`), h("li", {}, `images: ${r.images.join(", ") || "none"}`))
    : h("p", {}, "No private registry in this world."));
  const extras = [
    w.kmsKeys.length ? h("p", {}, `KMS keys: ${w.kmsKeys.map((k) => `${k.ref} (${k.state})`).join(", ")}`) : null,
    w.faults.length ? h("p", {}, `Faults: ${w.faults.join(", ")}`) : null,
    w.accounts.length > 1 ? h("p", {}, `Accounts: ${w.accounts.map((a) => `${a.alias} ${a.id}`).join(", ")}`) : null,
  ];
  const roles = w.roles.map((role) => h("div", { class: "card role" },
    h("h3", {}, `IAM role ${role.name}`),
    ...role.policies.map((p) => docBox(docOf(p), handlers, highlight))));
  const resourcePolicies = w.secrets.flatMap((s) => (s.resourcePolicy ? [h("div", { class: "card" }, docBox(docOf(s.resourcePolicy), handlers, highlight))] : []));
  const td = h("div", { class: "card" }, h("h3", {}, "Task definition"), h("p", { class: "muted" }, "Paste your own here (JSON; placeholders such as {secretArn:registry/creds} are filled from this world)."),
    docBox({ id: TASK_DEFINITION_ID, title: "Task definition", original: view.taskDefinition, editable: true }, handlers, highlight));
  return h("div", { class: "world-grid" }, secrets, registry, ...extras, ...roles, ...resourcePolicies, td);
}

function docOf(p: PolicyBox): EditableDoc {
  return { id: p.id, title: p.title, original: p.text, editable: p.editable };
}

function docBox(doc: EditableDoc, handlers: WorldHandlers, highlight?: Highlight): HTMLElement {
  const text = handlers.textOf(doc.id);
  const edited = text !== doc.original;
  const box = h("div", { class: `doc${edited ? " edited" : ""}`, "data-policy-id": doc.id });
  const heading = h("h4", {}, doc.title, edited ? h("span", { class: "badge" }, "edited") : null);
  const view = () => {
    const pre = h("pre", { class: "doc-text", tabindex: "0", "aria-label": doc.title });
    const hl = highlight?.policy === doc.id && highlight.text === text ? highlight : undefined;
    if (hl) {
      pre.append(text.slice(0, hl.start), h("mark", { title: `statement ${hl.statement} decided` }, text.slice(hl.start, hl.end)), text.slice(hl.end));
    } else pre.textContent = text;
    const buttons = doc.editable ? h("div", { class: "row" }, h("button", { type: "button", class: "edit" }, `Edit ${doc.id === TASK_DEFINITION_ID ? "task definition" : "policy"}`)) : null;
    buttons?.querySelector("button")?.addEventListener("click", () => {
      const area = edit();
      box.replaceChildren(heading, ...area);
      box.querySelector("textarea")?.focus();
    });
    return [...(hl ? [h("p", { class: "decided" }, `Statement ${hl.statement} (highlighted) decided this run.`)] : []), pre, ...(buttons ? [buttons] : [])];
  };
  const edit = () => {
    const area = h("textarea", { rows: String(Math.min(24, text.split("\n").length + 2)), spellcheck: "false", "aria-label": `${doc.title} (editable)` });
    area.value = handlers.textOf(doc.id);
    area.addEventListener("input", () => handlers.onEdit(doc.id, area.value));
    const revert = h("button", { type: "button" }, "Revert to the scenario's");
    revert.addEventListener("click", () => {
      area.value = doc.original;
      handlers.onEdit(doc.id, doc.original);
    });
    return [area, h("div", { class: "row" }, revert)];
  };
  box.append(heading, ...view());
  return box;
}
