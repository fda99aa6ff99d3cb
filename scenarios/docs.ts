// docs/failures.md, generated from the catalogue: one section per scenario with the text ECS shows (per launch
// context where it differs), the cause, the fix and the command that reproduces it. `npm run docs:failures` writes
// it (and scenarios/scenario.schema.json); a test checks the committed files are up to date. Pure apart from main().
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expectationOf, loadCannotRun, loadCatalogue, type LoadedScenario } from "./load.ts";
import { runLabel } from "./runner.ts";
import { scenarioJsonSchema, SECTION_TITLES, SECTIONS } from "./schema.ts";
import type { CannotRun } from "./schema.ts";
import { accountsOf } from "./world.ts";

export const FAILURES_DOC = fileURLToPath(new URL("../docs/failures.md", import.meta.url));
export const SCHEMA_FILE = fileURLToPath(new URL("./scenario.schema.json", import.meta.url));

/** Placeholders shown with example values (what a reader's own text would hold in their place). */
function exampleText(template: string, s: LoadedScenario): string {
  const accounts = accountsOf(s.world);
  const secretRegion = (ref: string) => s.world.secrets.find((x) => (x.ref ?? x.name) === ref)?.region ?? "us-east-1";
  const secretAccount = (ref: string) => accounts.get(s.world.secrets.find((x) => (x.ref ?? x.name) === ref)?.account ?? "main") ?? "000000000000";
  const keyAccount = (ref: string) => accounts.get(s.world.kmsKeys.find((k) => k.ref === ref)?.account ?? "main") ?? "000000000000";
  const roleAccount = (name: string) => accounts.get(s.world.roles.find((r) => r.name === name)?.account ?? "main") ?? "000000000000";
  return template.replace(/\{(registry|image|secretArn|roleArn|keyArn|account|region|taskId|requestId)(?::([^{}\s]+))?\}/g, (_, kind: string, arg?: string) => {
    switch (kind) {
      case "registry": return "registry.example.com";
      case "image": return `registry.example.com/${arg}`;
      case "secretArn": return `arn:aws:secretsmanager:${secretRegion(arg!)}:${secretAccount(arg!)}:secret:${arg}-AbCdEf`;
      case "roleArn": return `arn:aws:iam::${roleAccount(arg!)}:role/${arg}`;
      case "keyArn": return `arn:aws:kms:us-east-1:${keyAccount(arg!)}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      case "account": return accounts.get(arg ?? "main") ?? "000000000000";
      case "region": return "us-east-1";
      case "taskId": return "<task id>";
      default: return "<request id>";
    }
  });
}

function shownText(s: LoadedScenario, i: number): string | undefined {
  const e = expectationOf(s, i);
  const text = e.stoppedReason ?? e.registerError ?? e.placement ?? e.warnings?.[0];
  if (text === undefined) return e.result === "RUNNING" ? "(task RUNNING)" : undefined;
  return exampleText(text, s);
}

function section(s: LoadedScenario): string {
  const lines = [`### ${s.id}`, "", `**${s.title}**`, "", s.situation, ""];
  if (s.pending) lines.push(`> Not run yet here: ${s.pending}.`, "");
  // Group launch contexts that show the same text.
  const byText = new Map<string, string[]>();
  s.runs.forEach((_, i) => {
    const text = shownText(s, i);
    if (text !== undefined) byText.set(text, [...(byText.get(text) ?? []), runLabel(s, i)]);
  });
  if (byText.size) {
    lines.push("What ECS shows:", "");
    for (const [text, labels] of byText) lines.push(`- ${labels.join(", ")}:`, "", "  ```", ...text.split("\n").map((l) => `  ${l}`), "  ```", "");
  }
  const failureCode = expectationOf(s, 0).failureCode;
  if (s.cause) lines.push(`**Cause.** ${s.cause}`, "");
  lines.push(`**Fix.** ${s.fix}`, "");
  lines.push(`**Reproduce:** \`ecs-pull scenario run ${s.id}\`${failureCode && failureCode !== s.id ? ` (diagnosis code \`${failureCode}\`)` : ""}`, "");
  return lines.join("\n");
}

export function renderFailuresDoc(scenarios: LoadedScenario[], cannotRun: CannotRun[]): string {
  const out = [
    "# Failures when ECS pulls a private image with repositoryCredentials",
    "",
    "<!-- Generated from scenarios/catalogue by `npm run docs:failures`; do not edit by hand. -->",
    "",
    "Each section is a scenario of the catalogue: the exact text ECS shows (task `stoppedReason`, container reason,",
    "or the API error), why it happens, how to fix it, and the command that reproduces it on your machine.",
    "ARNs, registry names and request ids are examples; `<request id>` and `<task id>` differ on every run.",
    "",
  ];
  for (const key of SECTIONS) {
    const inSection = scenarios.filter((s) => s.section === key);
    if (!inSection.length) continue;
    out.push(`## ${SECTION_TITLES[key]}`, "");
    for (const s of inSection) out.push(section(s));
  }
  if (cannotRun.length) {
    out.push("## Cannot run on one machine", "");
    for (const c of cannotRun) out.push(`- **${c.id}** (${c.section}): ${c.situation} — ${c.why}`);
    out.push("");
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

export function renderSchemaFile(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2) + "\n";
}

export function main(): void {
  writeFileSync(FAILURES_DOC, renderFailuresDoc(loadCatalogue(), loadCannotRun()));
  writeFileSync(SCHEMA_FILE, renderSchemaFile());
  process.stdout.write(`wrote ${FAILURES_DOC} and ${SCHEMA_FILE}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
