// The statement-level "why" of a credentials failure: after Secrets Manager refused the execution role, read the
// policies (iam-reader.ts, caller's credentials) and evaluate the same request with the emulator's evaluator
// (iam-check.ts). The diagnosis then carries the explanation, names the statement to change in its fix, and says
// which catalogue row it is (a missing -?????? suffix, a condition, a permission put on the task role…).
// Never reads or shows a secret value.
import type { CredentialsFailure } from "../steps/asm-auth.ts";
import { diagnoseSecretElsewhere } from "./diagnosis.ts";
import type { Diagnosis, Explanation } from "./diagnosis.ts";
import type { ExecutionRoleSession } from "../steps/execution-role.ts";
import { sessionArnOf } from "../steps/execution-role.ts";
import { checkSecretAccess, transportOf } from "./iam-check.ts";
import type { DecisionReport, SecretAccessCheck } from "./iam-check.ts";
import type { IamReaderPort, RoleSnapshot } from "../adapters/iam-reader.ts";
import type { ExecutionRolePort } from "../ports.ts";
import { planCredentialFetches } from "../steps/credentials.ts";
import { runTask } from "../steps/run-task.ts";
import type { RunTaskInput, TaskRunResult } from "../steps/run-task.ts";
import { registerTaskDefinition } from "../steps/task-definition.ts";

export interface ExplainArgs {
  diagnosis: Diagnosis;
  failure: CredentialsFailure;
  session: ExecutionRoleSession;
  reader: IamReaderPort;
  endpoint?: string;
  /** The task definition's taskRoleArn: a permission put there instead of on the execution role is cred-task-role. */
  taskRoleArn?: string;
}

/** The IAM decisions of one GetSecretValue by the execution role (for `explain`, and for diagnoses). */
export async function checkSecret(reader: IamReaderPort, session: ExecutionRoleSession, secretId: string, region: string, endpoint?: string): Promise<SecretAccessCheck> {
  const snapshot = await reader.read({ roleArn: session.roleArn, secretId, region });
  return checkSecretAccess(snapshot, { session, secretId, region, ...transportOf(endpoint) });
}

export function explanationOf(check: SecretAccessCheck): Explanation {
  const checks: DecisionReport[] = [check.getSecretValue, ...(check.kmsDecrypt ? [check.kmsDecrypt] : [])];
  const text = checks.map((c) => c.text).join("\n");
  const unread = check.unreadable.length ? `\nNot readable with the caller's credentials: ${check.unreadable.join("; ")}.` : "";
  const near = checks.find((c) => c.decision === "implicitDeny")?.near;
  return { checks, text: text + unread, unreadable: check.unreadable, ...(near && { near }) };
}

/** The diagnosis with the explanation attached and, for IAM/KMS denials, the statement-level fix. */
export async function explainCredentialsFailure(args: ExplainArgs): Promise<Diagnosis> {
  const { diagnosis, failure, session, reader } = args;
  let check: SecretAccessCheck;
  try {
    check = await checkSecret(reader, session, failure.secretId, failure.region, args.endpoint);
  } catch {
    // The explanation is a bonus: a reader failure must not change the outcome.
    return diagnosis;
  }
  const explanation = explanationOf(check);
  const denied = [check.getSecretValue, check.kmsDecrypt].find((c) => c !== undefined && c.decision !== "allowed");
  const isDenial = failure.stage === "call" && /^AccessDenied/.test(failure.failure.code);
  if (!isDenial || denied?.fix === undefined) return { ...diagnosis, explanation };

  let failureCode = denied.failureCode ?? diagnosis.failureCode;
  let cause = diagnosis.cause;
  let fix = denied.fix;
  // The permission may have been put on the task role: would the same request be allowed as the task role?
  if (args.taskRoleArn && denied.action === "secretsmanager:GetSecretValue" && denied.decision === "implicitDeny") {
    const asTaskRole: ExecutionRoleSession = { ...session, roleArn: args.taskRoleArn, sessionArn: sessionArnOf(args.taskRoleArn, "explain") };
    const other = await checkSecret(reader, asTaskRole, failure.secretId, failure.region, args.endpoint).catch(() => undefined);
    if (other?.getSecretValue.decision === "allowed") {
      failureCode = "cred-task-role";
      cause = `The task role ${args.taskRoleArn} may call secretsmanager:GetSecretValue on ${failure.secretId}, but ECS fetches repositoryCredentials as the execution role ${session.roleArn}, which may not.`;
      fix = `Move the statement that allows it (${other.getSecretValue.deciding ? describeRef(other.getSecretValue) : "on the task role"}) to a policy of the execution role.`;
    }
  }
  return { ...diagnosis, failureCode, cause, fix, explanation };
}

/**
 * Regions a bare name is looked for in when it is not found: the run's own, then these common ones. Bounded on
 * purpose (the look-around is a diagnosis, not an inventory).
 */
export const COMMON_REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2", "eu-central-1", "eu-north-1", "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "ap-south-1", "sa-east-1"] as const;

export interface NotFoundArgs {
  diagnosis: Diagnosis;
  failure: CredentialsFailure;
  reader: IamReaderPort;
  /** The task's account (where the bare name was looked up). */
  account: string;
  /** The regions configured for the run (looked in before COMMON_REGIONS). */
  regions?: readonly string[];
  /** The execution role: ARNs of the secret named in its policies are looked up by DescribeSecret. */
  roleArn?: string;
}

/**
 * After ResourceNotFoundException for a bare name: is a secret of that name visible to the caller in another
 * region (ListSecrets) or, by an ARN the execution role's policies name, in another account (DescribeSecret)?
 * Only metadata is read. Nothing seen, or no look-around in the reader: the diagnosis is unchanged.
 */
export async function explainNotFound(args: NotFoundArgs): Promise<Diagnosis> {
  const { diagnosis, failure, reader } = args;
  const name = failure.secretId;
  if (!reader.locate || failure.stage !== "call" || failure.failure.code !== "ResourceNotFoundException" || name.startsWith("arn:")) return diagnosis;
  try {
    const role = args.roleArn ? (await reader.read({ roleArn: args.roleArn, secretId: name, region: failure.region })).role : undefined;
    const regions = [...new Set([...(args.regions ?? []), ...COMMON_REGIONS])].filter((r) => r !== failure.region);
    const sightings = await reader.locate({ name, regions, arns: role ? secretArnsNamedIn(role, name, args.account) : [] });
    return diagnoseSecretElsewhere(diagnosis, failure, args.account, sightings);
  } catch {
    return diagnosis;
  }
}

const SECRET_ARN = /^arn:[\w-]+:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;

/**
 * The ARNs of a secret called `name` that the role's policy Resources name: full ARNs as written; in the role's own
 * account also the partial ARN behind `name-??????` or `name*` (partial ARNs do not work across accounts).
 */
export function secretArnsNamedIn(role: RoleSnapshot, name: string, account: string): string[] {
  const out = new Set<string>();
  for (const policy of role.identity) {
    let statements: unknown;
    try {
      statements = (JSON.parse(policy.document) as { Statement?: unknown }).Statement;
    } catch {
      continue;
    }
    for (const st of Array.isArray(statements) ? statements : [statements]) {
      const resources = (st as { Resource?: unknown } | undefined)?.Resource;
      for (const r of Array.isArray(resources) ? resources : [resources]) {
        const m = typeof r === "string" ? SECRET_ARN.exec(r) : null;
        if (!m || typeof r !== "string") continue;
        const [, , arnAccount, rest = ""] = m;
        const base = r.slice(0, r.length - rest.length);
        if (/^[A-Za-z0-9]{6}$/.test(rest.startsWith(`${name}-`) ? rest.slice(name.length + 1) : "")) out.add(r);
        else if (arnAccount === account && (rest === `${name}-??????` || rest === `${name}*` || rest === `${name}-*`)) out.add(`${base}${name}`);
      }
    }
  }
  return [...out];
}

function describeRef(report: DecisionReport): string {
  const d = report.deciding!;
  return `policy "${d.policyId}", statement ${d.index}${d.sid ? ` (Sid "${d.sid}")` : ""}`;
}

/** One secret's IAM decisions in an `explain` run. */
export interface SecretExplanation {
  secretId: string;
  region: string;
  containers: string[];
  explanation: Explanation;
}

export interface TaskExplanation {
  run: TaskRunResult;
  /** Per planned GetSecretValue, once the role is assumed (empty without an IAM reader or a session). */
  secrets: SecretExplanation[];
}

/**
 * `ecs-pull explain`: the launch up to the pull (register, place, assume the role, GetSecretValue and parse) and,
 * for every secret the task reads, the IAM decisions for GetSecretValue and kms:Decrypt by statement.
 */
export async function explainTask(input: RunTaskInput): Promise<TaskExplanation> {
  let session: ExecutionRoleSession | undefined;
  const role = input.ports.executionRole;
  const recording: ExecutionRolePort | undefined = role && {
    assumeRole: async (args) => (session = await role.assumeRole(args)),
  };
  const run = await runTask({
    ...input,
    ports: { ...input.ports, ...(recording && { executionRole: recording }) },
    options: { ...input.options, stopBeforePull: true },
  });
  const secrets: SecretExplanation[] = [];
  const registered = registerTaskDefinition(input.taskDefinition);
  const iam = input.ports.iam;
  if (!registered.ok || !iam || !session) return { run, secrets };
  for (const fetch of planCredentialFetches(registered.taskDefinition, run.launch.region)) {
    const check = await checkSecret(iam.reader, session, fetch.secretId, fetch.region, iam.endpoint).catch(() => undefined);
    if (check) secrets.push({ secretId: fetch.secretId, region: fetch.region, containers: fetch.containers, explanation: explanationOf(check) });
  }
  return { run, secrets };
}
