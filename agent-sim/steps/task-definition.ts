// RegisterTaskDefinition, simulated: parse the user's JSON (the `register-task-definition --cli-input-json` shape
// or a DescribeTaskDefinition output), check its shape (zod), then apply the ECS rules of ECS-BEHAVIOR.md §1 with
// the exact ClientException texts. Only what the pull path needs is kept; other fields pass through unchecked.
// Named imports, not the `z` namespace: a namespace used as a value keeps all of zod in the bundle (every locale,
// ~0.8 MB that `ecs-pull run` reads and evaluates at start); named ones let the bundler keep what is used (issue 17).
import { array, boolean, looseObject, number, string, union, unknown } from "zod";
import type { core, infer as Infer } from "zod";
import { INFERRED_TEXTS, REGISTER } from "../texts/agent.ts";

export interface RepositoryCredentials {
  credentialsParameter: string;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  /** ECS default: true. */
  essential: boolean;
  repositoryCredentials?: RepositoryCredentials;
}

export interface TaskDefinition {
  family: string;
  /** 1 for a fresh registration; the given revision for a DescribeTaskDefinition output. */
  revision: number;
  executionRoleArn?: string;
  /** The containers' role; ECS never uses it for repositoryCredentials (the diagnosis checks it for cred-task-role). */
  taskRoleArn?: string;
  /**
   * The launch-type fields as registered: RunTask's launch-type check reads requiresCompatibilities (steps/gates.ts);
   * networkMode, cpu and memory go with it so that the definition registers again as it did (fargateRules).
   */
  requiresCompatibilities?: string[];
  networkMode?: string;
  cpu?: string | number;
  memory?: string | number;
  containerDefinitions: ContainerDefinition[];
}

export type RegisterFailureCode = "reg-invalid" | "reg-no-exec-role" | "reg-ecr-image";

export interface RegisterError {
  /** ClientException: what ECS answers. InvalidTaskDefinition: the input never reaches ECS (bad JSON or shape). */
  code: "ClientException" | "InvalidTaskDefinition";
  message: string;
  /** The offending field, e.g. containerDefinitions[1].name. */
  path?: string;
  failureCode: RegisterFailureCode;
  /** The text is our choice, not a captured AWS text. */
  inferred?: true;
}

export type RegisterResult = { ok: true; taskDefinition: TaskDefinition } | { ok: false; error: RegisterError };

const NAME = /^[A-Za-z0-9_-]+$/;
// ECS documents letters, digits and `-_:./#`; `@` is added because digest references (`repo@sha256:…`) register.
const IMAGE = /^[A-Za-z0-9\-_:./#@]+$/;
const MAX_NAME = 255;
const ECR_IMAGE = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;
const ROLE_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
// ECS also takes a bare role name for executionRoleArn and expands it in the caller's account (inferred).
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

const containerSchema = looseObject({
  name: string(),
  image: string(),
  essential: boolean().optional(),
  repositoryCredentials: looseObject({ credentialsParameter: string() }).nullish(),
  secrets: array(unknown()).nullish(),
});

const taskDefinitionSchema = looseObject({
  family: string(),
  revision: number().int().positive().optional(),
  executionRoleArn: string().nullish(),
  taskRoleArn: string().nullish(),
  containerDefinitions: array(containerSchema),
  requiresCompatibilities: array(string()).nullish(),
  networkMode: string().nullish(),
  cpu: union([string(), number()]).nullish(),
  memory: union([string(), number()]).nullish(),
});

type ParsedTaskDefinition = Infer<typeof taskDefinitionSchema>;

function invalid(message: string, path?: string): RegisterResult {
  return { ok: false, error: { code: "InvalidTaskDefinition", message, failureCode: "reg-invalid", ...(path ? { path } : {}) } };
}

function clientException(message: string, failureCode: RegisterFailureCode, path?: string): RegisterResult {
  const inferred = INFERRED_TEXTS.has(message) || message.startsWith(REGISTER.containerNameDuplicate(""));
  return {
    ok: false,
    error: { code: "ClientException", message, failureCode, ...(path ? { path } : {}), ...(inferred ? { inferred } : {}) },
  };
}

/** `containerDefinitions[1].repositoryCredentials.credentialsParameter` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = root;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** One sentence for the first shape problem, naming its path. */
function shapeMessage(issue: core.$ZodIssue, root: unknown, prefix: string): { message: string; path: string } {
  const path = prefix + formatPath(issue.path);
  const shown = path === "" ? "the task definition" : path;
  if (issue.code === "invalid_type") {
    const value = valueAt(root, issue.path);
    if (value === undefined) return { message: `${shown} is required`, path };
    const expected = issue.expected === "array" ? "an array" : issue.expected === "object" ? "an object" : `a ${issue.expected}`;
    return { message: `${shown} must be ${expected}, got ${describeType(value)}`, path };
  }
  if (issue.code === "too_small" && issue.origin === "number") return { message: `${shown} must be a positive integer`, path };
  return { message: `${shown}: ${issue.message}`, path };
}

/**
 * V8's JSON.parse message without its quoted excerpt of the input (`Unexpected token 'o', "not json\n" is not valid
 * JSON` → `Unexpected token 'o'`): the excerpt spans lines and may hold any text of the file.
 */
function jsonErrorWithoutExcerpt(message: string): string {
  const at = message.indexOf(", ");
  return message.startsWith("Unexpected token ") && at > 0 && message.endsWith(" is not valid JSON") ? message.slice(0, at) : message;
}

/** Accepts JSON text or an already-parsed value. */
export function registerTaskDefinition(input: unknown): RegisterResult {
  let document: unknown = input;
  if (typeof input === "string") {
    if (input.trim() === "") return invalid("the task definition is empty: expected a JSON object with family and containerDefinitions");
    try {
      document = JSON.parse(input);
    } catch (error) {
      return invalid(`the task definition is not valid JSON: ${jsonErrorWithoutExcerpt((error as Error).message)}`);
    }
  }
  // A DescribeTaskDefinition output wraps the definition in {"taskDefinition": {...}}.
  let prefix = "";
  let body = document;
  if (document !== null && typeof document === "object" && !Array.isArray(document) && "taskDefinition" in document) {
    body = (document as { taskDefinition: unknown }).taskDefinition;
    prefix = "taskDefinition.";
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return invalid(`the task definition must be a JSON object, got ${describeType(body)}`, prefix.replace(/\.$/, "") || undefined);
  }
  const parsed = taskDefinitionSchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    if (!first) return invalid("the task definition is not valid");
    const { message, path } = shapeMessage(first, body, prefix);
    return invalid(message, path);
  }
  // The 64 KiB limit, counted on the definition as sent (compact JSON; which bytes ECS counts is inferred).
  const size = Buffer.byteLength(JSON.stringify(body), "utf8");
  if (size > REGISTER.maxSizeBytes) return clientException(REGISTER.tooLarge(size, REGISTER.maxSizeBytes), "reg-invalid", prefix.replace(/\.$/, "") || undefined);
  const registered = applyRegisterRules(parsed.data, prefix);
  if (!registered.ok) return registered;
  return fargateRules(parsed.data, prefix) ?? registered;
}

/** Task cpu units from ECS's accepted forms: "256", 256, "1 vCPU", "0.25 vcpu". */
function cpuUnits(value: string | number): number | undefined {
  if (typeof value === "number") return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(value);
  if (!m) return undefined;
  return m[2] ? Number(m[1]) * 1024 : Number(m[1]);
}

/** Task memory MiB from "512", 512, "1 GB", "0.5gb". */
function memoryMiB(value: string | number): number | undefined {
  if (typeof value === "number") return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i.exec(value);
  if (!m) return undefined;
  return m[2] ? Number(m[1]) * 1024 : Number(m[1]);
}

/** Fargate's cpu → memory table (Amazon ECS Developer Guide, task size). */
const FARGATE_SIZES: Record<number, (mib: number) => boolean> = {
  256: (m) => [512, 1024, 2048].includes(m),
  512: (m) => m >= 1024 && m <= 4096 && m % 1024 === 0,
  1024: (m) => m >= 2048 && m <= 8192 && m % 1024 === 0,
  2048: (m) => m >= 4096 && m <= 16_384 && m % 1024 === 0,
  4096: (m) => m >= 8192 && m <= 30_720 && m % 1024 === 0,
  8192: (m) => m >= 16_384 && m <= 61_440 && m % 4096 === 0,
  16_384: (m) => m >= 32_768 && m <= 122_880 && m % 8192 === 0,
};

/** A definition that requires FARGATE: awsvpc, task-level cpu and memory, a size Fargate offers. */
function fargateRules(td: ParsedTaskDefinition, prefix: string): RegisterResult | undefined {
  if (!td.requiresCompatibilities?.includes("FARGATE")) return undefined;
  if (td.networkMode !== "awsvpc") return clientException(REGISTER.fargateNetworkMode, "reg-invalid", `${prefix}networkMode`);
  if (td.cpu === undefined || td.cpu === null || td.cpu === "") return clientException(REGISTER.fargateCpu, "reg-invalid", `${prefix}cpu`);
  if (td.memory === undefined || td.memory === null || td.memory === "") return clientException(REGISTER.fargateMemory, "reg-invalid", `${prefix}memory`);
  const cpu = cpuUnits(td.cpu);
  const memory = memoryMiB(td.memory);
  if (cpu === undefined || memory === undefined || !FARGATE_SIZES[cpu]?.(memory)) {
    return clientException(REGISTER.fargateNoConfiguration, "reg-invalid", `${prefix}cpu`);
  }
  return undefined;
}

function applyRegisterRules(td: ParsedTaskDefinition, prefix: string): RegisterResult {
  if (td.family === "") return clientException(REGISTER.familyBlank, "reg-invalid", `${prefix}family`);
  if (td.family.length > MAX_NAME) return clientException(REGISTER.familyTooLong, "reg-invalid", `${prefix}family`);
  if (!NAME.test(td.family)) return clientException(REGISTER.familyInvalid, "reg-invalid", `${prefix}family`);
  if (td.containerDefinitions.length === 0) {
    return clientException(REGISTER.containerListEmpty, "reg-invalid", `${prefix}containerDefinitions`);
  }

  const seen = new Set<string>();
  for (const [i, c] of td.containerDefinitions.entries()) {
    const at = `${prefix}containerDefinitions[${i}]`;
    if (c.name.length > MAX_NAME) return clientException(REGISTER.containerNameTooLong, "reg-invalid", `${at}.name`);
    if (!NAME.test(c.name)) return clientException(REGISTER.containerNameInvalid, "reg-invalid", `${at}.name`);
    if (seen.has(c.name)) return clientException(REGISTER.containerNameDuplicate(c.name), "reg-invalid", `${at}.name`);
    seen.add(c.name);
    if (c.image.length > MAX_NAME) return clientException(REGISTER.imageTooLong, "reg-invalid", `${at}.image`);
    if (!IMAGE.test(c.image)) return clientException(REGISTER.imageInvalid, "reg-invalid", `${at}.image`);
  }

  const role = td.executionRoleArn ?? undefined;
  if (role !== undefined && role !== "" && !ROLE_ARN.test(role) && !ROLE_NAME.test(role)) {
    return clientException(REGISTER.roleInvalid, "reg-invalid", `${prefix}executionRoleArn`);
  }
  const hasRole = role !== undefined && role !== "";

  for (const [i, c] of td.containerDefinitions.entries()) {
    if (!c.repositoryCredentials) continue;
    const at = `${prefix}containerDefinitions[${i}]`;
    if (!hasRole) return clientException(REGISTER.executionRoleRequired, "reg-no-exec-role", `${prefix}executionRoleArn`);
    if (ECR_IMAGE.test(c.image)) return clientException(REGISTER.ecrNotSupported, "reg-ecr-image", `${at}.repositoryCredentials`);
  }
  for (const [i, c] of td.containerDefinitions.entries()) {
    if (!hasRole && c.secrets && c.secrets.length > 0) {
      return clientException(REGISTER.secretsRequireExecutionRole, "reg-invalid", `${prefix}containerDefinitions[${i}].secrets`);
    }
  }

  return {
    ok: true,
    taskDefinition: {
      family: td.family,
      revision: td.revision ?? 1,
      ...(hasRole ? { executionRoleArn: role } : {}),
      ...(td.taskRoleArn ? { taskRoleArn: td.taskRoleArn } : {}),
      ...(td.requiresCompatibilities ? { requiresCompatibilities: [...td.requiresCompatibilities] } : {}),
      ...(td.networkMode ? { networkMode: td.networkMode } : {}),
      ...(td.cpu !== undefined && td.cpu !== null && td.cpu !== "" ? { cpu: td.cpu } : {}),
      ...(td.memory !== undefined && td.memory !== null && td.memory !== "" ? { memory: td.memory } : {}),
      containerDefinitions: td.containerDefinitions.map((c) => ({
        name: c.name,
        image: c.image,
        essential: c.essential ?? true,
        ...(c.repositoryCredentials ? { repositoryCredentials: { credentialsParameter: c.repositoryCredentials.credentialsParameter } } : {}),
      })),
    },
  };
}

/** The role ARN as ECS stores it: a bare role name is expanded in the task's account. */
export function expandRoleArn(roleArnOrName: string, account: string): string {
  return roleArnOrName.startsWith("arn:") ? roleArnOrName : `arn:aws:iam::${account}:role/${roleArnOrName}`;
}
