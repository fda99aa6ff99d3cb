// What the page may see of a scenario: its world by names (secret names and key names, roles with their policy
// documents, registry user names), its task definition and launch contexts. Built field by field from the schema,
// so a secret value, a registry password or ECS_ENGINE_AUTH_DATA can never slip in; `secretTextsOf` lists those
// texts anyway, for a last redaction pass over everything the server sends.
import type { LoadedScenario } from "../../scenarios/load.ts";
import { runLabel } from "../../scenarios/runner.ts";
import { accountsOf } from "../../scenarios/world.ts";
import type { PolicyBox, RoleView, ScenarioSummary, ScenarioView, SecretView } from "../protocol.ts";

type Doc = Record<string, unknown> | string;
const DEFAULT_TRUST = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };

export function docText(doc: Doc): string {
  return typeof doc === "string" ? doc : JSON.stringify(doc, null, 2);
}

export function summaryOf(s: LoadedScenario): ScenarioSummary {
  return { id: s.id, title: s.title, section: s.section, situation: s.situation };
}

/** Every policy document of the world, with the ids edits and highlights use. */
export function policyBoxes(s: LoadedScenario): PolicyBox[] {
  return [...s.world.roles.flatMap((r) => rolePolicies(r)), ...s.world.secrets.flatMap((x) => (x.resourcePolicy === undefined ? [] : [secretPolicy(x.name, x.resourcePolicy)]))];
}

function rolePolicies(role: LoadedScenario["world"]["roles"][number]): PolicyBox[] {
  const base = `role/${role.name}`;
  const boxes: PolicyBox[] = [
    { id: `${base}/trust`, title: `Trust policy of ${role.name}${role.trust === undefined ? " (default)" : ""}`, kind: "trust", text: docText(role.trust ?? DEFAULT_TRUST), editable: true },
  ];
  for (const [name, doc] of Object.entries(role.inline ?? {})) boxes.push({ id: `${base}/inline/${name}`, title: `Inline policy "${name}"`, kind: "inline", text: docText(doc), editable: true });
  for (const p of role.attached ?? []) {
    if (typeof p === "string") boxes.push({ id: `${base}/attached/${p}`, title: `AWS managed policy ${p}`, kind: "aws-managed", text: p, editable: false });
    else boxes.push({ id: `${base}/attached/${p.name}`, title: `Managed policy "${p.name}"`, kind: "managed", text: docText(p.document as Doc), editable: true });
  }
  if (role.boundary !== undefined) {
    const b = role.boundary;
    boxes.push(typeof b === "string"
      ? { id: `${base}/boundary`, title: `Permissions boundary ${b}`, kind: "aws-managed", text: b, editable: false }
      : { id: `${base}/boundary`, title: `Permissions boundary "${b.name}"`, kind: "boundary", text: docText(b.document as Doc), editable: true });
  }
  return boxes;
}

function secretPolicy(name: string, doc: Doc): PolicyBox {
  return { id: `secret/${name}/resource-policy`, title: `Resource policy of secret ${name}`, kind: "resource", text: docText(doc), editable: true };
}

function secretView(x: LoadedScenario["world"]["secrets"][number]): SecretView {
  const kind = x.value === undefined ? "binary" : typeof x.value === "string" ? "plaintext" : "json";
  return {
    name: x.name,
    keys: x.value !== undefined && typeof x.value === "object" ? Object.keys(x.value) : [],
    kind,
    ...(x.kmsKey !== undefined && { kmsKey: x.kmsKey }),
    ...(x.account !== undefined && { account: x.account }),
    ...(x.region !== undefined && { region: x.region }),
    ...(x.deleted && { deleted: true }),
    ...(x.resourcePolicy !== undefined && { resourcePolicy: secretPolicy(x.name, x.resourcePolicy) }),
  };
}

export function scenarioView(s: LoadedScenario): ScenarioView {
  const roles: RoleView[] = s.world.roles.map((r) => ({ name: r.name, ...(r.account !== undefined && { account: r.account }), policies: rolePolicies(r) }));
  const reg = s.world.registry;
  return {
    ...summaryOf(s),
    ...(s.cause !== undefined && { cause: s.cause }),
    fix: s.fix,
    world: {
      accounts: [...accountsOf(s.world)].map(([alias, id]) => ({ alias, id })),
      secrets: s.world.secrets.map(secretView),
      roles,
      ...(reg && { registry: { auth: reg.auth, users: reg.users.map((u) => u.username), images: reg.images.map((i) => `${i.repository}:${i.tag}`) } }),
      kmsKeys: s.world.kmsKeys.map((k) => ({ ref: k.ref, state: k.state })),
      faults: s.world.faults.map((f) => f.kind + (f.image ? ` (${f.image})` : "")),
    },
    taskDefinition: docText(s.taskDefinition as Doc),
    launches: s.runs.map((r, index) => ({
      index,
      label: runLabel(s, index),
      launchType: r.launch.launchType ?? "EC2",
      ...(r.launch.agentVersion !== undefined && { agentVersion: r.launch.agentVersion }),
      ...(r.launch.platformVersion !== undefined && { platformVersion: r.launch.platformVersion }),
      ...(r.launch.region !== undefined && { region: r.launch.region }),
      ...(r.launch.engineAuth && { engineAuthType: r.launch.engineAuth.type }),
    })),
  };
}

/** Texts of a scenario that must never leave the server: passwords, secret values, engine auth data. */
export function secretTextsOf(s: LoadedScenario): string[] {
  const out: string[] = [];
  const strings = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(strings);
  };
  for (const u of s.world.registry?.users ?? []) out.push(u.password);
  for (const x of s.world.secrets) {
    if (typeof x.value === "string") out.push(x.value);
    else if (x.value) {
      out.push(JSON.stringify(x.value));
      for (const [k, v] of Object.entries(x.value)) if (/pass|secret|token|auth/i.test(k)) strings(v);
    }
    if (x.binary !== undefined) out.push(x.binary, Buffer.from(x.binary, "base64").toString("utf8"));
  }
  for (const r of s.runs) {
    const data = r.launch.engineAuth?.data;
    if (typeof data === "string") out.push(data);
    else if (data) {
      out.push(JSON.stringify(data));
      JSON.stringify(data, (k, v) => {
        if (/pass|secret|token|auth/i.test(k) && typeof v === "string") out.push(v);
        return v;
      });
    }
  }
  return [...new Set(out.filter((t) => t.length >= 4))].sort((a, b) => b.length - a.length);
}
