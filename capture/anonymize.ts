// `capture --anonymize`: account ids, role, secret, family, cluster and repository names and registry hosts replaced
// consistently (the same name → the same stand-in everywhere: policies, texts, the task definition, comments), so a
// capture can be shared in a bug report. Pure.
import type { Capture } from "./capture.ts";

const ACCOUNT_ID = /\b\d{12}\b/g;

export function anonymize(capture: Capture): Capture {
  const s = capture.scenario;
  const names = new Map<string, string>();
  const add = (value: string | undefined, stand: string) => {
    if (value && value.length > 2 && !names.has(value)) names.set(value, stand);
  };
  s.world?.roles?.forEach((r, i) => add(r.name, `role-${i + 1}`));
  s.world?.secrets?.forEach((x, i) => add(x.name, `secret-${i + 1}`));
  s.world?.registry?.images?.forEach((img, i) => add(img.repository, `repo-${i + 1}`));
  Object.values(capture.originalImages).forEach((image, i) => {
    const slash = image.indexOf("/");
    const host = slash > 0 ? image.slice(0, slash) : "";
    if (host.includes(".") || host.includes(":")) add(host, `registry-${i + 1}.example.com`);
  });
  const accounts = new Map<string, string>();
  const replaceAll = (text: string) => {
    let out = text.replace(ACCOUNT_ID, (id) => {
      if (!accounts.has(id)) accounts.set(id, String(111111111111 * (accounts.size + 1)).padStart(12, "0").slice(-12));
      return accounts.get(id)!;
    });
    for (const [value, stand] of [...names].sort((a, b) => b[0].length - a[0].length)) out = out.split(value).join(stand);
    return out;
  };
  // Values only: the schema's keys (kmsKeys, secrets) must stay as they are.
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return replaceAll(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const scenario = walk(s) as Capture["scenario"];
  // The family and cluster are set in place (a short name such as "kms" also appears in "kms:Decrypt").
  const family = (scenario.taskDefinition as { family?: string }).family;
  if (family) (scenario.taskDefinition as { family?: string }).family = "family-1";
  for (const r of scenario.runs ?? []) if (r.launch?.cluster) r.launch.cluster = "cluster-1";
  for (const r of scenario.runs ?? []) {
    const e = r.expect;
    if (family && e?.stoppedReason) e.stoppedReason = e.stoppedReason.split(`task-definition/${family}:`).join("task-definition/family-1:");
  }
  scenario.id = "repro-family-1";
  scenario.title = scenario.title.split(family ?? "\u0000").join("family-1");
  return {
    scenario,
    originalImages: JSON.parse(replaceAll(JSON.stringify(capture.originalImages))) as Record<string, string>,
    refused: capture.refused.map(replaceAll),
  };
}
