// Reading scenario files: the shipped catalogue (scenarios/catalogue/*.yaml), one scenario by id or by path, and
// validation errors that name the bad field (`world.secrets[0].value: ...`). No I/O beyond reading files.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod";
import { cannotRunSchema, expectSchema, scenarioSchema } from "./schema.ts";
import type { CannotRun, Expectation, Scenario } from "./schema.ts";

export const CATALOGUE_DIR = fileURLToPath(new URL("./catalogue/", import.meta.url));
export const CANNOT_RUN_FILE = fileURLToPath(new URL("./cannot-run.yaml", import.meta.url));
const EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** A scenario file is unreadable or does not match the schema; `issues` are `path: message` lines. */
export class ScenarioValidationError extends Error {
  override readonly name = "ScenarioValidationError";
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`${source}: invalid scenario:\n${issues.map((i) => `  ${i}`).join("\n")}`);
  }
}

/** A loaded scenario and where it came from. */
export interface LoadedScenario extends Scenario {
  source: string;
}

/** `world.secrets[0].value` from zod's path. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out || "(root)";
}

function formatIssues(error: z.ZodError, prefix: PropertyKey[] = []): string[] {
  return error.issues.map((i) => `${issuePath([...prefix, ...i.path])}: ${i.message}`);
}

/**
 * Validates a parsed document; every run's expectation (scenario default + its own) must be complete, except in a
 * pending scenario (it does not run: e.g. `capture --task-definition` of a task that has not run has no outcome yet).
 */
export function parseScenario(document: unknown, source: string): LoadedScenario {
  const parsed = scenarioSchema.safeParse(document);
  if (!parsed.success) throw new ScenarioValidationError(source, formatIssues(parsed.error));
  const scenario = parsed.data;
  const issues: string[] = [];
  if (scenario.pending === undefined) scenario.runs.forEach((run, i) => {
    const merged = expectSchema.safeParse({ ...scenario.expect, ...run.expect });
    if (!merged.success) issues.push(...formatIssues(merged.error, ["runs", i, "expect"]));
  });
  if (issues.length) throw new ScenarioValidationError(source, issues);
  return { ...scenario, source };
}

/** The expectation of run `i`: the scenario's, overridden by the run's own fields. */
export function expectationOf(scenario: Scenario, i: number): Expectation {
  return expectSchema.parse({ ...scenario.expect, ...scenario.runs[i]?.expect });
}

export function parseScenarioText(text: string, source: string): LoadedScenario {
  let document: unknown;
  try {
    document = extname(source) === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const why = error instanceof YAMLParseError || error instanceof SyntaxError ? withoutExcerpt(error.message.split("\n")[0]!) : String(error);
    throw new ScenarioValidationError(source, [`(file): not ${extname(source) === ".json" ? "JSON" : "YAML"}: ${why}`]);
  }
  return parseScenario(document, source);
}

/**
 * A parse error's text without V8's quoted excerpt of the input (`Unexpected token 'x', ..."<text>"... is not valid
 * JSON`): a scenario's text holds registry passwords and secret values, which no error text may show.
 */
function withoutExcerpt(message: string): string {
  return message.replace(/^Unexpected token .*, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, "Unexpected token: not valid JSON");
}

export function loadScenarioFile(file: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioValidationError(file, [`(file): cannot read: ${code === "ENOENT" ? "no such file" : code}`]);
  }
  return parseScenarioText(text, file);
}

function catalogueFiles(dir = CATALOGUE_DIR): string[] {
  return readdirSync(dir).filter((f) => EXTENSIONS.has(extname(f))).sort().map((f) => join(dir, f));
}

/** Every shipped scenario, sorted by section then id; file name and id must agree. */
export function loadCatalogue(dir = CATALOGUE_DIR): LoadedScenario[] {
  const scenarios = catalogueFiles(dir).map((file) => {
    const s = loadScenarioFile(file);
    const stem = basename(file, extname(file));
    if (s.id !== stem) throw new ScenarioValidationError(file, [`id: "${s.id}" must equal the file name "${stem}"`]);
    return s;
  });
  const order = ["works", "rejected", "credentials", "pull"];
  return scenarios.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section) || a.id.localeCompare(b.id));
}

/** A catalogue id (`cred-kms`) or a path to a scenario file. */
export function loadScenario(fileOrId: string, dir = CATALOGUE_DIR): LoadedScenario {
  if (EXTENSIONS.has(extname(fileOrId)) || fileOrId.includes("/") || existsSync(fileOrId)) return loadScenarioFile(fileOrId);
  for (const ext of EXTENSIONS) {
    const file = join(dir, `${fileOrId}${ext}`);
    if (existsSync(file)) return loadScenarioFile(file);
  }
  throw new ScenarioValidationError(fileOrId, [`(id): no scenario "${fileOrId}" in the catalogue (ecs-pull scenario list)`]);
}

/** FAILURE-CATALOG rows that cannot run on one machine, with the reason. */
export function loadCannotRun(file = CANNOT_RUN_FILE): CannotRun[] {
  const doc = parseYaml(readFileSync(file, "utf8")) as unknown;
  const list = cannotRunSchema.array().safeParse(doc);
  if (!list.success) throw new ScenarioValidationError(file, formatIssues(list.error));
  return list.data;
}
