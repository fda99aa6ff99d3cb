// `capture`: a stopped task (or a task definition that has not run) in someone's AWS account → a scenario in the
// catalogue's own schema (scenarios/schema.ts) that rebuilds that world locally: the account and region, the
// execution role (trust, inline and attached policies at their default versions, permissions boundary), each
// credentialsParameter's secret metadata and resource policy, a customer key and its policy, a registry with a user
// and the image, the task definition (images mapped to the local registry), the launch context, and `expect` = the
// outcome AWS reported, with what differs run to run as placeholders. Reads only through CaptureReader (never a
// secret's value). What it could not read becomes an `unknowns` entry: the reproduction runs on a stated assumption.
import { randomBytes } from "node:crypto";
import type { ContainerInstance, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import { parseImageReference } from "../agent-sim/index.ts";
import type { LoadedScenario } from "../scenarios/load.ts";
import type { ScenarioInput } from "../scenarios/schema.ts";
import { isRefused, type Answer, type CaptureReader } from "./aws-reader.ts";
import { Diagnoser } from "./diagnose.ts";

export type RegistryPasswordShape = "same" | "different";

export interface CaptureRequest {
  /** A task ARN or id (with cluster), or a task definition for a task that has not run. */
  task?: string;
  cluster?: string;
  taskDefinition?: string;
  /** With taskDefinition: the launch to reproduce (default EC2 on the current agent). */
  launchType?: "EC2" | "FARGATE" | "EXTERNAL";
  /** The task's region (where names resolve). */
  region: string;
  /** The value of the secret is never read: its password matches the registry's (same) or not (different). */
  registryPassword?: RegistryPasswordShape;
  /** The catalogue, to name the failure AWS reported (expect.failureCode) and choose the default assumption. */
  catalogue: readonly LoadedScenario[];
  /** The capture's date (for the file's comment); default now. */
  now?: Date;
}

/** Something the capture could not read, and the assumption the reproduction makes instead. */
export interface Unknown {
  id: string;
  kind: "registry-password" | "role-policy" | "unreadable";
  what: string;
  assume: string;
  choices: Record<string, string>;
}

export interface Capture {
  scenario: ScenarioInput & { unknowns?: Unknown[] };
  /** The images as the task definition named them, by container (kept for the file's comment). */
  originalImages: Record<string, string>;
  /** Calls AWS refused, `Operation target: Code`. */
  refused: string[];
}

/** The capture cannot go on (no such task, the task is still running, ECS itself refused): a user's problem. */
export class CaptureError extends Error {
  override readonly name = "CaptureError";
}

const LOCAL_USER = "ecs-pull-user";
const EXIT_PULL = 6;
const EXIT_CREDENTIALS = 5;
const PULL_ERRORS = ["CannotPullContainerError", "CannotPullImageManifestError", "CannotPullECRContainerError"];

const refusedText = (what: string, a: { refused: string }) => `${what}: ${a.refused}`;
const roleNameOf = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);
const regionOfArn = (arn: string) => (arn.startsWith("arn:") ? arn.split(":")[3] || undefined : undefined);
const accountOfArn = (arn: string) => (arn.startsWith("arn:") ? arn.split(":")[4] || undefined : undefined);
/** A placeholder ref from a name: letters, digits and _ . / - only (scenarios/schema.ts). */
const refOf = (name: string) => name.replace(/[^A-Za-z0-9_./-]/g, "-");

export async function captureTask(reader: CaptureReader, request: CaptureRequest): Promise<Capture> {
  const refused: string[] = [];
  const unknowns: Unknown[] = [];
  const must = <T>(what: string, a: Answer<T>): T => {
    if (isRefused(a)) throw new CaptureError(`${what}: AWS refused: ${a.refused}${a.message ? `: ${a.message}` : ""}`);
    return a;
  };
  const may = <T>(what: string, a: Answer<T>): T | undefined => {
    if (!isRefused(a)) return a;
    refused.push(refusedText(what, a));
    return undefined;
  };

  // 1. The task and its launch context (or a task definition alone).
  let task: Task | undefined;
  let tdRef = request.taskDefinition;
  if (request.task) {
    const d = must(`DescribeTasks ${request.task}`, await reader.describeTask(request.cluster, request.task));
    if (!d.task) throw new CaptureError(`no task ${request.task}${request.cluster ? ` in cluster ${request.cluster}` : ""} in ${request.region}: DescribeTasks answered ${d.failure ?? "MISSING"} (a stopped task stays visible about an hour; check --cluster and --region)`);
    task = d.task;
    if (task.lastStatus !== "STOPPED") {
      throw new CaptureError(`task ${task.taskArn} has not stopped (lastStatus ${task.lastStatus ?? "unknown"}): capture a STOPPED task, or wait for it to stop`);
    }
    tdRef = task.taskDefinitionArn;
  }
  if (!tdRef) throw new CaptureError("name a task (--task) or a task definition (--task-definition)");
  const td = must(`DescribeTaskDefinition ${tdRef}`, await reader.describeTaskDefinition(tdRef));
  const taskArn = task?.taskArn;
  const account = accountOfArn(taskArn ?? td.taskDefinitionArn ?? "") ?? "000000000000";
  const region = regionOfArn(taskArn ?? td.taskDefinitionArn ?? "") ?? request.region;
  const cluster = task?.clusterArn ? task.clusterArn.slice(task.clusterArn.lastIndexOf("/") + 1) : request.cluster;
  const launchType = (task?.launchType ?? request.launchType ?? "EC2") as "EC2" | "FARGATE" | "EXTERNAL";
  let agentVersion: string | undefined;
  if (task?.containerInstanceArn && cluster) {
    const ci = may(`DescribeContainerInstances ${task.containerInstanceArn}`, await reader.describeContainerInstance(cluster, task.containerInstanceArn)) as ContainerInstance | undefined;
    agentVersion = ci?.versionInfo?.agentVersion?.replace(/^v/, "");
    if (!agentVersion) unknowns.push({ id: "agent-version", kind: "unreadable", what: "the container instance's agent version could not be read", assume: "current", choices: { current: "the current agent (ecs-pull's default)" } });
  }

  // 2. Texts: each ARN, host and id the world will recreate becomes a placeholder.
  const replacements: [string, string][] = [];

  // 3. The execution role.
  const roles: NonNullable<NonNullable<ScenarioInput["world"]>["roles"]> = [];
  const roleArn = td.executionRoleArn;
  if (roleArn) {
    const name = roleNameOf(roleArn);
    const role = may(`iam:GetRole ${name}`, await reader.getRole(name));
    const entry: (typeof roles)[number] = { name };
    if (role) {
      replacements.push([role.arn, `{roleArn:${name}}`]);
      if (role.trust) entry.trust = JSON.parse(role.trust) as Record<string, unknown>;
      if (role.boundaryArn) {
        const doc = may(`iam:GetPolicyVersion ${role.boundaryArn}`, await reader.getManagedPolicy(role.boundaryArn));
        if (role.boundaryArn.startsWith("arn:aws:iam::aws:policy/")) entry.boundary = role.boundaryArn;
        else if (doc !== undefined) entry.boundary = { name: roleNameOf(role.boundaryArn), document: JSON.parse(doc) as Record<string, unknown> };
        else unknowns.push({ id: `boundary:${name}`, kind: "unreadable", what: `the permissions boundary ${role.boundaryArn} of ${name} could not be read`, assume: "none", choices: { none: "the role has no permissions boundary" } });
      }
    } else {
      unknowns.push({ id: `role:${name}`, kind: "unreadable", what: `the role ${name} could not be read (iam:GetRole refused)`, assume: "trusts-ecs", choices: { "trusts-ecs": "the role exists and trusts ecs-tasks.amazonaws.com" } });
    }
    const inlineNames = may(`iam:ListRolePolicies ${name}`, await reader.listRolePolicies(name));
    if (inlineNames === undefined) {
      unknowns.push(rolePolicyUnknown(name, "*", "its inline policies could not be listed (iam:ListRolePolicies refused)"));
    } else {
      for (const policy of inlineNames) {
        const doc = may(`iam:GetRolePolicy ${name}/${policy}`, await reader.getRolePolicy(name, policy));
        if (doc === undefined) unknowns.push(rolePolicyUnknown(name, policy, `the inline policy ${policy} could not be read (iam:GetRolePolicy refused)`));
        else (entry.inline ??= {})[policy] = JSON.parse(doc) as Record<string, unknown>;
      }
    }
    const attached = may(`iam:ListAttachedRolePolicies ${name}`, await reader.listAttachedRolePolicies(name));
    if (attached === undefined) unknowns.push(rolePolicyUnknown(name, "attached", "its attached policies could not be listed (iam:ListAttachedRolePolicies refused)"));
    for (const p of attached ?? []) {
      if (p.arn.startsWith("arn:aws:iam::aws:policy/")) {
        (entry.attached ??= []).push(p.arn);
        continue;
      }
      const doc = may(`iam:GetPolicyVersion ${p.arn}`, await reader.getManagedPolicy(p.arn));
      if (doc === undefined) unknowns.push(rolePolicyUnknown(name, p.name, `the managed policy ${p.arn} could not be read`));
      else (entry.attached ??= []).push({ name: p.name, document: JSON.parse(doc) as Record<string, unknown> });
    }
    roles.push(entry);
  }

  // 4. Each credentialsParameter's secret (metadata only), its resource policy, a customer key and its policy.
  const secrets: NonNullable<NonNullable<ScenarioInput["world"]>["secrets"]> = [];
  const kmsKeys: NonNullable<NonNullable<ScenarioInput["world"]>["kmsKeys"]> = [];
  const accounts: Record<string, { id: string }> = { main: { id: account } };
  const registryPassword = randomBytes(12).toString("base64url");
  const verdict = diagnosisOf(task, request.catalogue);
  // The registry refused the credentials (AWS's text reads like a bad password or a denied pull) → a stale password.
  // Entries that share pull-bad-password's text (rotations that left the registry behind) rank after it (REFINES).
  const shape: RegistryPasswordShape = request.registryPassword ?? (verdict.nearest === "pull-bad-password" || verdict.nearest === "pull-denied-repo" ? "different" : "same");
  const containers = td.containerDefinitions ?? [];
  const secretIds = [...new Set(containers.map((c) => c.repositoryCredentials?.credentialsParameter).filter((p): p is string => !!p))];
  for (const id of secretIds) {
    const secretRegion = regionOfArn(id) ?? region;
    const d = await reader.describeSecret(id, secretRegion);
    if (isRefused(d)) {
      if (d.refused === "ResourceNotFoundException") continue; // no such secret: the world has none either
      refused.push(refusedText(`secretsmanager:DescribeSecret ${id}`, d));
      unknowns.push({ id: `secret:${id}`, kind: "unreadable", what: `the secret ${id} could not be described (${d.refused})`, assume: "exists", choices: { exists: "it exists in the named region, encrypted with aws/secretsmanager, without a resource policy" } });
    }
    const meta = isRefused(d) ? { arn: id.startsWith("arn:") ? id : `arn:aws:secretsmanager:${secretRegion}:${account}:secret:${id}-AbCdEf`, name: secretNameOf(id), deleted: false } : d;
    const ref = refOf(meta.name);
    replacements.push([meta.arn, `{secretArn:${ref}}`]);
    const secretAccount = accountOfArn(meta.arn) ?? account;
    let accountAlias: string | undefined;
    if (secretAccount !== account) {
      accountAlias = `a${secretAccount}`;
      accounts[accountAlias] = { id: secretAccount };
    }
    const secret: (typeof secrets)[number] = {
      name: meta.name,
      ...(ref !== meta.name && { ref }),
      ...(accountAlias && { account: accountAlias }),
      ...(secretRegion !== region && { region: secretRegion }),
      value: { username: LOCAL_USER, password: shape === "same" ? registryPassword : `stale-${registryPassword}` },
      ...(meta.deleted && { deleted: true }),
    };
    if (!isRefused(d)) {
      const rp = may(`secretsmanager:GetResourcePolicy ${meta.arn}`, await reader.getResourcePolicy(meta.arn, secretRegion));
      if (rp) secret.resourcePolicy = JSON.parse(rp) as Record<string, unknown>;
      else if (rp === undefined && refused.some((r) => r.startsWith(`secretsmanager:GetResourcePolicy ${meta.arn}`))) {
        unknowns.push({ id: `resource-policy:${ref}`, kind: "unreadable", what: `the resource policy of ${meta.name} could not be read`, assume: "none", choices: { none: "the secret has no resource policy" } });
      }
    }
    const kmsKeyId = isRefused(d) ? undefined : d.kmsKeyId;
    if (kmsKeyId && kmsKeyId !== "alias/aws/secretsmanager") {
      const key = may(`kms:DescribeKey ${kmsKeyId}`, await reader.describeKey(kmsKeyId, regionOfArn(kmsKeyId) ?? secretRegion));
      if (key && key.keyManager === "CUSTOMER") {
        const keyRef = `key-${kmsKeys.length + 1}`;
        replacements.push([key.arn, `{keyArn:${keyRef}}`]);
        const policy = may(`kms:GetKeyPolicy ${key.arn}`, await reader.getKeyPolicy(key.arn, regionOfArn(key.arn) ?? secretRegion));
        if (policy === undefined) unknowns.push({ id: `key-policy:${keyRef}`, kind: "unreadable", what: `the key policy of ${key.arn} could not be read`, assume: "default", choices: { default: "the default key policy (the account may use the key through IAM)" } });
        kmsKeys.push({
          ref: keyRef,
          ...(accountAlias && { account: accountAlias }),
          ...(regionOfArn(key.arn) !== region && { region: regionOfArn(key.arn)! }),
          ...(policy !== undefined && { policy: JSON.parse(policy) as Record<string, unknown> }),
          state: key.keyState === "Disabled" ? "disabled" : key.keyState === "PendingDeletion" ? "pending-deletion" : "enabled",
        });
        secret.kmsKey = keyRef;
      } else if (!key) {
        unknowns.push({ id: `key:${kmsKeyId}`, kind: "unreadable", what: `the KMS key ${kmsKeyId} could not be described`, assume: "aws-managed", choices: { "aws-managed": "the secret is encrypted with aws/secretsmanager" } });
      }
    }
    secrets.push(secret);
  }
  if (secretIds.length) {
    unknowns.push({
      id: "registry-password",
      kind: "registry-password",
      what: "the secret's value is never read: whether its password is the one the registry accepts is unknown",
      assume: shape,
      choices: { same: "the secret holds the password the registry accepts", different: "the secret holds a password the registry refuses (stale)" },
    });
  }

  // 5. The registry and the images, mapped to the local registry fixture.
  const originalImages: Record<string, string> = {};
  const images = new Map<string, { repository: string; tag: string }>();
  const registryHosts = new Set<string>();
  const containerDefinitions = containers.map((c) => {
    const image = c.image ?? "";
    originalImages[c.name ?? ""] = image;
    const ref = parseImageReference(image);
    const repository = ref.repository;
    const tag = ref.tag ?? "latest";
    registryHosts.add(ref.host);
    images.set(`${repository}:${tag}`, { repository, tag });
    return stripUndefined({ ...c, image: `{image:${repository}:${tag}}` });
  });
  for (const host of registryHosts) replacements.push([host, "{registry}"]);
  if (roleArn) replacements.push([roleArn, `{roleArn:${roleNameOf(roleArn)}}`]);

  // 6. The task definition as RegisterTaskDefinition takes it.
  const taskDefinition = templated(
    stripUndefined({
      family: td.family,
      ...(td.taskRoleArn && { taskRoleArn: td.taskRoleArn }),
      ...(roleArn && { executionRoleArn: roleArn }),
      ...(td.networkMode && { networkMode: td.networkMode }),
      ...(td.requiresCompatibilities?.length && { requiresCompatibilities: td.requiresCompatibilities }),
      ...(td.cpu && { cpu: td.cpu }),
      ...(td.memory && { memory: td.memory }),
      containerDefinitions: containerDefinitions.map((c) => ({ ...c, ...(c.repositoryCredentials && { repositoryCredentials: { credentialsParameter: c.repositoryCredentials.credentialsParameter } }) })),
    }),
    replacements,
  );

  // 7. What AWS reported, as the expectation.
  const taskId = taskArn ? taskArn.slice(taskArn.lastIndexOf("/") + 1) : undefined;
  const expectReplacements: [string, string][] = [...replacements, ...(taskId ? ([[taskId, "{taskId}"]] as [string, string][]) : [])];
  const expect = task ? expectationOf(task, verdict.failureCode, expectReplacements) : undefined;
  const family = td.family ?? "task";
  const scenario: Capture["scenario"] = {
    id: refOf(`repro-${family}`).toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^-+/, "") || "repro",
    title: task ? `Captured: ${family} ${launchType} task ${taskId} (${task.lastStatus})` : `Captured: ${family} (not run)`,
    section: verdict.section ?? (expect?.result === "RUNNING" ? "works" : expect?.exitCode === EXIT_PULL ? "pull" : "credentials"),
    situation: `Captured by ecs-pull capture from account ${account}, ${region}${request.now ? ` on ${request.now.toISOString().slice(0, 10)}` : ""}.`,
    ...(verdict.cause && { cause: verdict.cause }),
    fix: verdict.fix ?? "Unknown: no catalogue entry produces this text (ecs-pull diagnose shows the nearest).",
    world: {
      accounts,
      kmsKeys: templated(kmsKeys, replacements),
      secrets: templated(secrets, replacements),
      roles: templated(roles, replacements),
      registry: { users: [{ username: LOCAL_USER, password: registryPassword }], images: [...images.values()] },
    },
    taskDefinition,
    runs: [
      {
        launch: {
          launchType,
          ...(launchType === "FARGATE" ? { platformVersion: task?.platformVersion ?? "LATEST" } : agentVersion ? { agentVersion } : {}),
          region,
          ...(cluster && { cluster }),
        },
        ...(expect && { expect }),
      },
    ],
    ...(unknowns.length && { unknowns }),
  };
  if (!expect) {
    (scenario as { pending?: string }).pending = "captured from a task definition that has not run: there is no AWS outcome to compare with yet; set expect from a run";
  }
  return { scenario, originalImages, refused };
}

/**
 * `scenario export`: the family's most recently stopped task, if ECS still lists one, is captured with its outcome as
 * the expectation; otherwise the task definition alone (a pending scenario). `request.taskDefinition` is
 * `family[:revision]` or an ARN; with a revision, only that revision's tasks count.
 */
export async function exportTaskDefinition(reader: CaptureReader, request: CaptureRequest & { taskDefinition: string }): Promise<Capture> {
  const name = request.taskDefinition.startsWith("arn:") ? request.taskDefinition.slice(request.taskDefinition.indexOf("/") + 1) : request.taskDefinition;
  const [family = name, revision] = name.split(":");
  const listed = await reader.listStoppedTasks(request.cluster, family);
  let latest: Task | undefined;
  if (!isRefused(listed)) {
    for (const arn of listed) {
      const d = await reader.describeTask(request.cluster, arn);
      const task = isRefused(d) ? undefined : d.task;
      if (!task || task.lastStatus !== "STOPPED") continue;
      if (revision !== undefined && !task.taskDefinitionArn?.endsWith(`/${family}:${revision}`)) continue;
      if (!latest || (task.stoppedAt?.getTime() ?? 0) >= (latest.stoppedAt?.getTime() ?? 0)) latest = task;
    }
  }
  if (!latest?.taskArn) return captureTask(reader, request);
  const { taskDefinition: _unused, ...rest } = request;
  return captureTask(reader, { ...rest, task: latest.taskArn });
}

function rolePolicyUnknown(role: string, policy: string, what: string): Unknown {
  return {
    id: `role-policy:${role}/${policy}`,
    kind: "role-policy",
    what: `${role}: ${what}`,
    assume: "denies",
    choices: { denies: "it grants nothing (the reproduction leaves it out)", allows: "it allows secretsmanager:GetSecretValue and kms:Decrypt on the task's secrets and keys" },
  };
}

function secretNameOf(id: string): string {
  if (!id.startsWith("arn:")) return id;
  const name = id.split(":").slice(6).join(":");
  return /-[A-Za-z0-9]{6}$/.test(name) ? name.slice(0, -7) : name;
}

interface Verdict {
  failureCode?: string;
  /** The best entry, exact or not. */
  nearest?: string;
  section?: "works" | "rejected" | "credentials" | "pull";
  cause?: string;
  fix?: string;
}

/** The catalogue entry that produces AWS's text, when exactly one does (several: the file names none). */
function diagnosisOf(task: Task | undefined, catalogue: readonly LoadedScenario[]): Verdict {
  const text = task && reasonOf(task);
  if (!text) return {};
  const d = new Diagnoser(catalogue).diagnose(text);
  const exact = d.entries.filter((e) => e.match === "exact");
  const best = exact.length === 1 ? exact[0] : undefined;
  const s = best && catalogue.find((c) => c.id === best.scenario);
  const nearest = d.entries[0]?.id;
  return best ? { failureCode: best.id, nearest, ...(s && { section: s.section }), ...(best.cause && { cause: best.cause }), fix: best.fix } : { ...(nearest && { nearest }) };
}

function reasonOf(task: Task): string | undefined {
  const container = task.containers?.find((c) => c.reason)?.reason;
  if (task.stoppedReason?.startsWith("Essential container in task exited") && container) return container;
  return task.stoppedReason ?? container;
}

function expectationOf(task: Task, failureCode: string | undefined, replacements: [string, string][]) {
  const reason = task.stoppedReason;
  const stopped = task.lastStatus === "STOPPED" && reason !== undefined;
  const containers: Record<string, string> = {};
  for (const c of task.containers ?? []) if (c.reason && c.name) containers[c.name] = template(c.reason, replacements);
  const text = reasonOf(task) ?? "";
  const exitCode = !stopped ? 0 : PULL_ERRORS.some((p) => text.startsWith(p)) ? EXIT_PULL : EXIT_CREDENTIALS;
  return {
    result: stopped ? ("STOPPED" as const) : ("RUNNING" as const),
    exitCode,
    ...(failureCode && { failureCode }),
    ...(stopped && { stoppedReason: template(reason, replacements) }),
    containers,
  };
}

/** AWS's text with the world's values as placeholders; request ids (UUIDs) as {requestId}. */
export function template(text: string, replacements: readonly [string, string][]): string {
  let out = text;
  for (const [value, placeholder] of [...replacements].sort((a, b) => b[0].length - a[0].length)) if (value) out = out.split(value).join(placeholder);
  return out.replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "{requestId}");
}

function templated<T>(value: T, replacements: readonly [string, string][]): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return templateValue(v, replacements);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Within documents only whole values and ARNs inside them are replaced (no request ids there). */
function templateValue(text: string, replacements: readonly [string, string][]): string {
  let out = text;
  for (const [value, placeholder] of [...replacements].sort((a, b) => b[0].length - a[0].length)) if (value) out = out.split(value).join(placeholder);
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}

export type { TaskDefinition };
