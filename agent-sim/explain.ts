// The statement-level "why" of a credentials failure: after Secrets Manager refused the execution role, read the
// policies (iam-reader.ts, caller's credentials) and evaluate the same request with the emulator's evaluator
// (iam-check.ts). The diagnosis then carries the explanation, names the statement to change in its fix, and says
// which catalogue row it is (a missing -?????? suffix, a condition, a permission put on the task role…).
// Never reads or shows a secret value.
import type { CredentialsFailure } from "./asm-auth.ts";
import type { Diagnosis, Explanation } from "./diagnosis.ts";
import type { ExecutionRoleSession } from "./execution-role.ts";
import { sessionArnOf } from "./execution-role.ts";
import { checkSecretAccess, transportOf } from "./iam-check.ts";
import type { DecisionReport, SecretAccessCheck } from "./iam-check.ts";
import type { IamReaderPort } from "./iam-reader.ts";
import type { ExecutionRolePort } from "./ports.ts";
import { planCredentialFetches } from "./credentials.ts";
import { runTask } from "./run-task.ts";
import type { RunTaskInput, TaskRunResult } from "./run-task.ts";
import { registerTaskDefinition } from "./task-definition.ts";

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
  return { checks, text: text + unread, unreadable: check.unreadable };
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
