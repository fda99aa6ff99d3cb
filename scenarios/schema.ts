// The scenario file format (zod): a world to build (accounts, KMS keys, secrets, roles, a registry, faults), a task
// definition, one or more launch contexts, and the outcome ECS shows for each. Strings may hold placeholders such
// as {secretArn:creds} that the runner fills from the built world (see placeholders.ts). `scenarios/scenario.schema.json`
// is generated from this file by `npm run docs:failures`.
import { z } from "zod";
import { parseGoDuration } from "../agent-sim/client.ts";

export const SECTIONS = ["works", "rejected", "credentials", "pull"] as const;
export const SECTION_TITLES: Record<(typeof SECTIONS)[number], string> = {
  works: "Works (each must end RUNNING)",
  rejected: "Rejected before any pull",
  credentials: "Credentials stage (task STOPPED, no pull attempted)",
  pull: "Pull stage (task STOPPED with the container's reason)",
};

const ref = z.string().regex(/^[A-Za-z0-9_./-]+$/, "letters, digits and _ . / - only");
/** An IAM policy document, as an object (or a JSON string, kept verbatim). */
const policyDocument = z.union([z.record(z.string(), z.unknown()), z.string()]);

const account = z.object({
  /** 12 digits. */
  id: z.string().regex(/^\d{12}$/, "must be 12 digits"),
}).strict();

const kmsKey = z.object({
  ref,
  account: ref.optional().describe("an alias from world.accounts (default: main)"),
  region: z.string().optional(),
  /** A key policy; default: the account root may do everything. */
  policy: policyDocument.optional(),
  state: z.enum(["enabled", "disabled", "pending-deletion"]).default("enabled"),
}).strict();

const secret = z.object({
  name: z.string().min(1),
  /** How placeholders name it (default: name). */
  ref: ref.optional(),
  account: ref.optional(),
  region: z.string().optional(),
  /** SecretString: an object is stored as its JSON text; a string verbatim. */
  value: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  /** SecretBinary, base64. */
  binary: z.string().optional(),
  /** A ref of world.kmsKeys (default: aws/secretsmanager). */
  kmsKey: ref.optional(),
  tags: z.record(z.string(), z.string()).optional(),
  resourcePolicy: policyDocument.optional(),
  /** Scheduled for deletion after creation. */
  deleted: z.boolean().optional(),
  /** Values put after `value` (PutSecretValue), each becoming AWSCURRENT in turn. */
  laterValues: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).optional(),
  /** Afterwards AWSCURRENT is moved back to this version (0 = `value`, 1 = the first of laterValues…). */
  currentVersion: z.number().int().min(0).optional(),
  /** A version labelled AWSPENDING only: a rotation that never finished. */
  pendingValue: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  /**
   * Rotated once by the emulator's built-in registry rotation function: `propagated` also changes the password in
   * the world's registry (htpasswd auth), `not-propagated` does not.
   */
  rotated: z.enum(["propagated", "not-propagated"]).optional(),
  /** Replicated to these regions (ReplicateSecretToRegions). */
  replicaRegions: z.array(z.string()).optional(),
  /** Of replicaRegions, those removed again afterwards (RemoveRegionsFromReplication). */
  removedReplicaRegions: z.array(z.string()).optional(),
}).strict().refine((s) => s.value !== undefined || s.binary !== undefined, { message: "a secret needs value or binary" })
  .refine((s) => s.currentVersion === undefined || s.currentVersion <= (s.laterValues?.length ?? 0), { message: "currentVersion names no version (0 = value, then laterValues)", path: ["currentVersion"] })
  .refine((s) => (s.removedReplicaRegions ?? []).every((r) => s.replicaRegions?.includes(r)), { message: "removedReplicaRegions must be among replicaRegions", path: ["removedReplicaRegions"] });

const managedPolicy = z.union([
  z.string().regex(/^arn:aws:iam::/, "an IAM policy ARN").describe("an AWS managed policy ARN"),
  z.object({ name: z.string(), document: policyDocument }).strict(),
]);

const role = z.object({
  name: z.string().regex(/^[\w+=,.@-]{1,64}$/, "an IAM role name"),
  account: ref.optional(),
  /** Trust policy; default: trusts ecs-tasks.amazonaws.com. */
  trust: policyDocument.optional(),
  inline: z.record(z.string(), policyDocument).optional(),
  attached: z.array(managedPolicy).optional(),
  boundary: managedPolicy.optional(),
  tags: z.record(z.string(), z.string()).optional(),
}).strict();

const registryUser = z.object({ username: z.string().min(1), password: z.string().min(1) }).strict();

const image = z.object({
  repository: z.string().min(1),
  tag: z.string().min(1),
  layers: z.number().int().min(1).max(8).default(1),
  layerSize: z.number().int().min(1).max(4 * 1024 * 1024).default(4096),
}).strict();

export const FAULT_KINDS = [
  "registry-down",
  "delete-blob",
  "secrets-manager-timeout",
  "secrets-manager-refused",
  "secrets-manager-throttle",
  "registry-429",
  "registry-slow",
  "registry-reset-blob",
] as const;

/** Faults the fault proxy carries out (in front of the registry or Secrets Manager): a run may set its own. */
export const PROXY_FAULT_KINDS = ["secrets-manager-throttle", "registry-429", "registry-slow", "registry-reset-blob"] as const;

const fault = z.object({
  kind: z.enum(FAULT_KINDS),
  /** delete-blob, registry-reset-blob: the image ("repo:tag") whose last layer is hit (default: the first pushed). */
  image: z.string().optional(),
  /** Proxy faults: apply to the first N matching requests, then recover (default: every one). */
  times: z.number().int().min(0).optional(),
  /** registry-slow: the wait before each 1 KiB chunk of a blob (default 10 s; capped by the proxy at 120 s). */
  delayMs: z.number().int().min(1).max(120_000).optional(),
}).strict();

/** A Go duration as the agent's ecs.config reads it (`90s`, `2m`, `1h30m`). */
const goDuration = z.string().refine((v) => {
  try {
    parseGoDuration(v);
    return true;
  } catch {
    return false;
  }
}, "a Go duration such as 90s, 2m or 1h30m");

const registry = z.object({
  /** htpasswd (Basic), token (Bearer, per-repository access), none (anonymous). */
  auth: z.enum(["htpasswd", "token", "none"]).default("htpasswd"),
  users: z.array(registryUser).default([]),
  images: z.array(image).default([]),
  /** token auth: which repositories (patterns such as `team/*`) each user may pull; default every repository. */
  access: z.record(z.string(), z.array(z.string().min(1))).optional(),
  /** token auth: a wrong password gets a 401 (Docker Hub's answer, default) or an anonymous token granting nothing. */
  badCredentials: z.enum(["401", "anonymous"]).optional(),
  /** token auth: repository patterns anyone may pull without credentials (default none). */
  anonymousPull: z.array(z.string().min(1)).optional(),
}).strict().superRefine((r, ctx) => {
  if (r.auth !== "token") {
    for (const key of ["access", "badCredentials", "anonymousPull"] as const) {
      if (r[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `only with auth: token (this registry's auth is ${r.auth})` });
    }
    return;
  }
  const users = new Set(r.users.map((u) => u.username));
  for (const name of Object.keys(r.access ?? {})) {
    if (!users.has(name)) ctx.addIssue({ code: "custom", path: ["access", name], message: `"${name}" is not in registry.users` });
  }
});

export const worldSchema = z.object({
  /** Alias → account; `main` is the task's account (default 000000000000). */
  accounts: z.record(z.string(), account).optional(),
  kmsKeys: z.array(kmsKey).default([]),
  secrets: z.array(secret).default([]),
  roles: z.array(role).default([]),
  registry: registry.optional(),
  faults: z.array(fault).default([]),
}).strict();

const launch = z.object({
  launchType: z.enum(["EC2", "FARGATE", "EXTERNAL"]).optional(),
  agentVersion: z.string().optional(),
  platformVersion: z.string().optional(),
  region: z.string().optional(),
  cluster: z.string().optional(),
  engineAuth: z.object({ type: z.string(), data: z.union([z.string(), z.record(z.string(), z.unknown())]) }).strict().optional(),
  /** ECS_IMAGE_PULL_INACTIVITY_TIMEOUT of the instance (default the agent's 1m; --fast caps it at 1s). */
  pullInactivityTimeout: goDuration.optional(),
  /** ECS_IMAGE_PULL_TIMEOUT of the instance (default the agent's 2h). */
  pullTimeout: goDuration.optional(),
  /** ECS_MANIFEST_PULL_TIMEOUT of the instance (default the agent's 1m, minimum 30s). */
  manifestPullTimeout: goDuration.optional(),
  /** ECS_IMAGE_PULL_BEHAVIOR of the instance (default `default`). */
  imagePullBehavior: z.enum(["default", "always", "once", "prefer-cached"]).optional(),
  /** The instance's OS (windows: the agent's Windows defaults). */
  osType: z.enum(["linux", "windows"]).optional(),
}).strict();

export const expectSchema = z.object({
  result: z.enum(["RUNNING", "STOPPED", "REJECTED", "NOT_PLACED"]),
  exitCode: z.number().int().min(0).max(6),
  /** The FAILURE-CATALOG id the diagnosis names (absent when the task runs). */
  failureCode: z.string().optional(),
  /** Exact task stoppedReason (placeholders filled). */
  stoppedReason: z.string().optional(),
  /** Exact container reasons by container name; containers not named must have none. */
  containers: z.record(z.string(), z.string()).optional(),
  /** REJECTED: `<code>: <message>`. */
  registerError: z.string().optional(),
  /** NOT_PLACED: `ATTRIBUTE` (failures[].reason) or `<exception code>: <message>`. */
  placement: z.string().optional(),
  /** Each must be among the run's warnings, exactly. */
  warnings: z.array(z.string()).optional(),
  /** GetSecretValue calls the emulator answered during the run. */
  getSecretValueCalls: z.number().int().min(0).optional(),
  /** Requests the Secrets Manager fault proxy saw during the run: every SDK attempt, answered or faulted. */
  secretsManagerRequests: z.number().int().min(0).optional(),
}).strict();

const partialExpect = expectSchema.partial();

export const runSchema = z.object({
  /** A short label for reports (default: derived from the launch). */
  label: z.string().optional(),
  launch: launch.default({}),
  /** This run's own task definition (default: the scenario's). */
  taskDefinition: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
  expect: partialExpect.optional(),
  /**
   * Images the instance's Docker engine already holds when the task arrives (placeholders filled), put there by
   * pulling them with the world's own credentials before the run (ECS_IMAGE_PULL_BEHAVIOR rows).
   */
  cachedImages: z.array(z.string()).optional(),
  /** This run's fault-proxy faults, replacing the world's proxy faults (e.g. throttled twice, then three times). */
  faults: z.array(fault.refine((f) => (PROXY_FAULT_KINDS as readonly string[]).includes(f.kind), {
    message: `a run may set fault-proxy faults only: ${PROXY_FAULT_KINDS.join(", ")}`,
    path: ["kind"],
  })).optional(),
}).strict();

/** Something a captured scenario could not know (ecs-pull capture): the reproduction runs on `assume`. */
const unknownPart = z.object({
  id: z.string().min(1),
  kind: z.enum(["registry-password", "role-policy", "unreadable"]),
  /** What could not be read, in a sentence. */
  what: z.string().min(1),
  /** The choice the world below is built on (one of choices' keys); `scenario run --assume id=choice` picks another. */
  assume: z.string().min(1),
  choices: z.record(z.string(), z.string()),
}).strict().refine((u) => u.assume in u.choices, { message: "assume must be one of choices", path: ["assume"] });

export const scenarioSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and -"),
  title: z.string().min(1),
  section: z.enum(SECTIONS),
  /** The FAILURE-CATALOG row's situation, in a sentence. */
  situation: z.string().min(1),
  /** What goes wrong, in plain words (docs). */
  cause: z.string().optional(),
  /** The fix, in plain words (docs; one or two sentences). */
  fix: z.string().min(1),
  /** Present: the scenario exists as data but cannot run yet; the value says what is missing. */
  pending: z.string().optional(),
  world: worldSchema.default({ kmsKeys: [], secrets: [], roles: [], faults: [] }),
  /** The task definition (register-task-definition input); a string is passed verbatim (e.g. not JSON). */
  taskDefinition: z.union([z.record(z.string(), z.unknown()), z.string()]),
  /** The outcome every run shares; each run may override fields. */
  expect: partialExpect.default({}),
  runs: z.array(runSchema).min(1).default([{ launch: {} }]),
  /** A captured scenario's unknowns and the assumptions its world is built on. */
  unknowns: z.array(unknownPart).optional(),
}).strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type World = z.infer<typeof worldSchema>;
export type Expectation = z.infer<typeof expectSchema>;
export type ScenarioRun = z.infer<typeof runSchema>;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type ScenarioUnknown = z.infer<typeof unknownPart>;

/** A FAILURE-CATALOG row that has no scenario because it cannot run on one machine. */
export const cannotRunSchema = z.object({
  id: z.string(),
  section: z.enum(SECTIONS),
  situation: z.string(),
  why: z.string(),
}).strict();
export type CannotRun = z.infer<typeof cannotRunSchema>;

/** The JSON Schema of a scenario file (for editors), generated from the zod schema. */
export function scenarioJsonSchema(): unknown {
  return z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" });
}
