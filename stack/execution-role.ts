// The task execution role, the IAM side of a pull-auth test: create a role ECS may assume, give it the right to
// read registry secrets, and assume it the way ECS does (as ecs-tasks.amazonaws.com, through the emulator-only
// operation EcsPullInternal.AssumeRoleAsService, with agent-sim's execution-role port), so that the agent's
// GetSecretValue is checked against the role's policies exactly as in AWS.
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { ECS_TASKS_SERVICE, UnableToAssumeRoleError, createEmulatorExecutionRolePort, texts } from "../agent-sim/index.ts";
import type { AwsCredentials, ExecutionRoleSession } from "../agent-sim/index.ts";

export type { AwsCredentials };

/** An IAM policy document (the JSON text's object form). */
export interface PolicyDocument {
  Version?: string;
  Statement: Array<Record<string, unknown>>;
}

/** What the execution role may read: secrets (and the KMS keys that encrypt them, for customer-managed keys). */
export interface SecretAccess {
  secretArns: string[];
  kmsKeyArns?: string[];
}

export const DEFAULT_EXECUTION_ROLE_NAME = "ecsTaskExecutionRole";
export const DEFAULT_EXECUTION_POLICY_NAME = "ecs-pull-registry-secrets";

/** The trust policy ECS needs: `ecs-tasks.amazonaws.com` may call sts:AssumeRole. */
export function ecsTasksTrustPolicy(service: string = ECS_TASKS_SERVICE): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  };
}

/** The inline policy AWS documents for private registry authentication. */
export function secretAccessPolicy(access: SecretAccess): PolicyDocument {
  const statements: Array<Record<string, unknown>> = [
    { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: access.secretArns },
  ];
  if (access.kmsKeyArns && access.kmsKeyArns.length > 0) {
    statements.push({ Effect: "Allow", Action: ["kms:Decrypt"], Resource: access.kmsKeyArns });
  }
  return { Version: "2012-10-17", Statement: statements };
}

export function isPolicyDocument(value: PolicyDocument | SecretAccess): value is PolicyDocument {
  return Array.isArray((value as PolicyDocument).Statement);
}

export async function createRole(iam: IAMClient, roleName: string, trust: PolicyDocument): Promise<string> {
  const out = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  return out.Role!.Arn!;
}

export async function putRolePolicy(iam: IAMClient, roleName: string, policyName: string, policy: PolicyDocument): Promise<void> {
  await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify(policy) }));
}

/** RunTask's answer when ECS cannot assume the execution role: a ClientException and no task. */
export class ExecutionRoleError extends Error {
  override readonly name = "ExecutionRoleError";
  readonly code = "ClientException";
  /** roleArn: the role; detail: what the emulator answered (why it could not be assumed). */
  constructor(readonly roleArn: string, readonly detail: string) {
    super(texts.RUN_TASK.unableToAssumeRole(roleArn));
  }
}

/** The session name of the role sessions PullAuthStack opens (one per runTask). */
const SESSION_NAME = "ecs-pull-task";

/**
 * Assumes `roleArn` as ECS does (through agent-sim's emulator port); the session's credentials, or
 * ExecutionRoleError with ECS's text. The tool's own environment failing (emulator unreachable) is an
 * EnvironmentError, not a role problem.
 */
export async function assumeExecutionRole(
  endpoint: string,
  region: string,
  admin: AwsCredentials,
  roleArn: string,
): Promise<AwsCredentials> {
  const port = createEmulatorExecutionRolePort({ endpoint, credentials: admin });
  let session: ExecutionRoleSession | undefined;
  try {
    session = await port.assumeRole({ roleArn, region, sessionName: SESSION_NAME });
  } catch (error) {
    if (error instanceof UnableToAssumeRoleError) throw new ExecutionRoleError(roleArn, error.stsError);
    throw error;
  }
  if (!session) throw new ExecutionRoleError(roleArn, "no credentials returned");
  return session.credentials;
}
