// A run request from the page, checked and applied: the catalogue scenario, one of its launch contexts (with
// launch type / versions overridden), edited policy documents and a pasted task definition. Every problem is a
// RequestError (HTTP 4xx with the field that is wrong); the result is validated like any scenario file.
import { z } from "zod";
import { parseScenario, ScenarioValidationError, type LoadedScenario } from "../../scenarios/load.ts";
import type { RunRequest } from "../protocol.ts";
import { policyBoxes } from "./views.ts";

export class RequestError extends Error {
  override readonly name = "RequestError";
  constructor(
    readonly status: number,
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
  }
}

const MAX_DOCUMENT = 64 * 1024;
const version = z.string().regex(/^[A-Za-z0-9.]{1,20}$/, "a version such as 1.19.0 or LATEST");

export const runRequestSchema = z.object({
  scenario: z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/, "a catalogue id"),
  run: z.number().int().min(0).max(50).optional(),
  launch: z.object({
    launchType: z.enum(["EC2", "FARGATE", "EXTERNAL"]).optional(),
    agentVersion: version.optional(),
    platformVersion: version.optional(),
  }).strict().optional(),
  edits: z.object({
    policies: z.record(z.string().max(300), z.string().max(MAX_DOCUMENT)).optional(),
    taskDefinition: z.string().max(MAX_DOCUMENT).optional(),
  }).strict().optional(),
}).strict();

export function parseRunRequest(body: unknown): RunRequest {
  const parsed = runRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new RequestError(400, "invalid run request", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`));
  }
  return parsed.data as RunRequest;
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RequestError(400, `${field}: not JSON: ${(error as Error).message}`);
  }
}

/** The scenario to run: one run, the edits applied, validated as a scenario file. */
export function applyRequest(base: LoadedScenario, request: RunRequest): { scenario: LoadedScenario; edited: string[] } {
  const index = request.run ?? 0;
  const run = base.runs[index];
  if (!run) throw new RequestError(400, `run: scenario ${base.id} has ${base.runs.length} launch context(s); ${index} is not one`);
  const { source: _source, ...copy } = structuredClone(base);
  const doc: Omit<LoadedScenario, "source"> = copy;
  const edited: string[] = [];
  const boxes = new Map(policyBoxes(base).map((b) => [b.id, b]));
  for (const [id, text] of Object.entries(request.edits?.policies ?? {})) {
    const box = boxes.get(id);
    if (!box) throw new RequestError(400, `edits.policies: no policy "${id}" in scenario ${base.id}`);
    if (!box.editable) throw new RequestError(400, `edits.policies: "${id}" is an AWS managed policy and cannot be edited`);
    if (text === box.text) continue;
    const value = parseJson(text, `edits.policies["${id}"]`);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new RequestError(400, `edits.policies["${id}"]: a policy document is a JSON object`);
    setPolicy(doc, id, value as Record<string, unknown>);
    edited.push(box.title);
  }
  const td = request.edits?.taskDefinition;
  if (td !== undefined && td !== JSON.stringify(base.taskDefinition, null, 2)) {
    const value = parseJson(td, "edits.taskDefinition");
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new RequestError(400, "edits.taskDefinition: a task definition is a JSON object");
    doc.taskDefinition = value as Record<string, unknown>;
    edited.push("task definition");
  }
  const overrides = request.launch ?? {};
  const launch = { ...run.launch, ...overrides };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined && v !== (run.launch as Record<string, unknown>)[k]) edited.push(`launch ${k} ${v}`);
  doc.runs = [{ ...run, launch }];
  try {
    return { scenario: parseScenario(doc, `${base.source} (edited on the page)`), edited };
  } catch (error) {
    if (error instanceof ScenarioValidationError) throw new RequestError(400, "the edited scenario is not valid", error.issues);
    throw error;
  }
}

function setPolicy(doc: Omit<LoadedScenario, "source">, id: string, value: Record<string, unknown>): void {
  const parts = id.split("/");
  if (parts[0] === "secret") {
    const name = parts.slice(1, -1).join("/");
    const secret = doc.world.secrets.find((s) => s.name === name)!;
    secret.resourcePolicy = value;
    return;
  }
  const role = doc.world.roles.find((r) => r.name === parts[1])!;
  const kind = parts[2];
  const name = parts.slice(3).join("/");
  if (kind === "trust") role.trust = value;
  else if (kind === "inline") role.inline = { ...role.inline, [name]: value };
  else if (kind === "boundary") role.boundary = { ...(role.boundary as { name: string }), document: value };
  else if (kind === "attached") role.attached = (role.attached ?? []).map((p) => (typeof p !== "string" && p.name === name ? { ...p, document: value } : p));
}
