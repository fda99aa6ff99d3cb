// The assumptions a captured scenario runs on, and `scenario run --assume id=choice` to choose another: the world is
// rewritten to match the choice (the secret's password equals the registry's or not; a policy capture could not read
// grants nothing, or what the task needs). Pure: a scenario in, a scenario out.
import type { LoadedScenario } from "../scenarios/load.ts";
import type { ScenarioUnknown } from "../scenarios/schema.ts";

export class AssumptionError extends Error {
  override readonly name = "AssumptionError";
}

/** `registry-password=different` → ["registry-password", "different"]. */
export function parseAssume(spec: string): [string, string] {
  const eq = spec.lastIndexOf("=");
  if (eq <= 0 || eq === spec.length - 1) throw new AssumptionError(`--assume ${spec}: expected <unknown id>=<choice>, e.g. registry-password=different`);
  return [spec.slice(0, eq), spec.slice(eq + 1)];
}

const ASSUMED_PREFIX = "assumed-";

/** The scenario with each chosen assumption applied (unknowns not named keep theirs). */
export function applyAssumptions(scenario: LoadedScenario, choices: ReadonlyMap<string, string>): LoadedScenario {
  const unknowns = scenario.unknowns ?? [];
  for (const [id, choice] of choices) {
    const u = unknowns.find((x) => x.id === id);
    if (!u) throw new AssumptionError(`--assume ${id}=${choice}: ${scenario.id} has no unknown "${id}"${unknowns.length ? ` (it has: ${unknowns.map((x) => x.id).join(", ")})` : " (it has none)"}`);
    if (!(choice in u.choices)) throw new AssumptionError(`--assume ${id}=${choice}: choose one of ${Object.keys(u.choices).join(", ")}`);
  }
  const out = structuredClone(scenario);
  out.unknowns = unknowns.map((u) => ({ ...u, assume: choices.get(u.id) ?? u.assume }));
  for (const u of out.unknowns) apply(out, u);
  return out;
}

function apply(s: LoadedScenario, u: ScenarioUnknown): void {
  if (u.kind === "registry-password") {
    const accepted = s.world.registry?.users[0]?.password;
    if (accepted === undefined) return;
    for (const secret of s.world.secrets) {
      if (secret.value && typeof secret.value === "object") secret.value = { ...secret.value, password: u.assume === "same" ? accepted : `stale-${accepted}` };
    }
  } else if (u.kind === "role-policy") {
    const [roleName, policy = "policy"] = u.id.slice("role-policy:".length).split("/");
    const role = s.world.roles.find((r) => r.name === roleName);
    if (!role) return;
    const name = `${ASSUMED_PREFIX}${policy.replace(/[^\w+=,.@-]/g, "-")}`;
    if (role.inline) delete role.inline[name];
    if (u.assume === "allows") {
      const secrets = s.world.secrets.map((x) => `{secretArn:${x.ref ?? x.name}}`);
      const keys = s.world.kmsKeys.map((k) => `{keyArn:${k.ref}}`);
      (role.inline ??= {})[name] = {
        Version: "2012-10-17",
        Statement: [
          ...(secrets.length ? [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secrets }] : []),
          ...(keys.length ? [{ Effect: "Allow", Action: "kms:Decrypt", Resource: keys }] : []),
        ],
      };
    }
  }
}

/** One line per unknown: what could not be read and what the run assumes. */
export function assumptionLines(scenario: LoadedScenario): string[] {
  return (scenario.unknowns ?? []).map((u) => `assuming ${u.id}=${u.assume}: ${u.choices[u.assume] ?? u.assume} (${u.what}; other choices: ${Object.keys(u.choices).filter((c) => c !== u.assume).join(", ") || "none"})`);
}
