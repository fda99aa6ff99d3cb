// What capture reads from AWS, behind one small interface, over the real SDK v3 clients. Read-only by construction:
// the only operations it can send are Describe*/Get*/List* metadata reads — never GetSecretValue, never kms:Decrypt,
// never a write. A call AWS refuses (AccessDenied, not found) is an answer, not a crash: the reader returns it as
// `{ refused: code }` and the capture records what could not be read.
import { DescribeContainerInstancesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient } from "@aws-sdk/client-ecs";
import type { ContainerInstance, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from "@aws-sdk/client-kms";
import { DescribeSecretCommand, GetResourcePolicyCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { decodePolicyDocument } from "../agent-sim/index.ts";

/** AWS refused the call: its error code (AccessDeniedException, ResourceNotFoundException, ...). */
export interface Refused {
  refused: string;
  message: string;
}
export type Answer<T> = T | Refused;
export const isRefused = <T>(a: Answer<T>): a is Refused => typeof a === "object" && a !== null && "refused" in a;

export interface RoleRead {
  arn: string;
  name: string;
  trust?: string;
  boundaryArn?: string;
}
export interface SecretRead {
  arn: string;
  name: string;
  kmsKeyId?: string;
  deleted: boolean;
}
export interface KeyRead {
  arn: string;
  keyManager: "AWS" | "CUSTOMER";
  keyState: string;
}

/** The reads capture makes; one implementation over the SDK, and it is all capture knows of AWS. */
export interface CaptureReader {
  describeTask(cluster: string | undefined, task: string): Promise<Answer<{ task?: Task; failure?: string }>>;
  describeContainerInstance(cluster: string, arn: string): Promise<Answer<ContainerInstance | undefined>>;
  describeTaskDefinition(taskDefinition: string): Promise<Answer<TaskDefinition>>;
  getRole(name: string): Promise<Answer<RoleRead>>;
  listRolePolicies(name: string): Promise<Answer<string[]>>;
  getRolePolicy(role: string, policy: string): Promise<Answer<string>>;
  listAttachedRolePolicies(name: string): Promise<Answer<{ name: string; arn: string }[]>>;
  /** The default version's document of a managed policy (GetPolicy, then GetPolicyVersion). */
  getManagedPolicy(arn: string): Promise<Answer<string>>;
  describeSecret(id: string, region: string): Promise<Answer<SecretRead>>;
  getResourcePolicy(arn: string, region: string): Promise<Answer<string | undefined>>;
  describeKey(id: string, region: string): Promise<Answer<KeyRead>>;
  getKeyPolicy(arn: string, region: string): Promise<Answer<string>>;
}

export interface SdkReaderOptions {
  /** The task's region (ECS, and where names resolve). Default: the SDK's own resolution. */
  region?: string;
  /** One endpoint for every service (as elsewhere: --endpoint); default the SDK's (AWS_ENDPOINT_URL*, profiles). */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

async function answer<T>(call: () => Promise<T>): Promise<Answer<T>> {
  try {
    return await call();
  } catch (error) {
    const e = error as { name?: string; message?: string; $metadata?: unknown };
    // Only AWS's own answers are answers; a connection failure is the tool's environment (thrown on).
    if (e && e.$metadata !== undefined && e.name) return { refused: e.name, message: e.message ?? "" };
    throw error;
  }
}

export function createSdkCaptureReader(options: SdkReaderOptions = {}): CaptureReader & { destroy(): void } {
  const common = { maxAttempts: 2, ...(options.endpoint && { endpoint: options.endpoint }), ...(options.credentials && { credentials: options.credentials }) };
  const clients = new Map<string, { destroy(): void }>();
  const get = <T extends { destroy(): void }>(key: string, make: () => T): T => {
    if (!clients.has(key)) clients.set(key, make());
    return clients.get(key) as T;
  };
  const ecs = () => get("ecs", () => new ECSClient({ ...common, ...(options.region && { region: options.region }) }));
  // IAM is global; its endpoint lives in us-east-1 (an endpoint override serves every region).
  const iam = () => get("iam", () => new IAMClient({ ...common, region: "us-east-1" }));
  const sm = (region: string) => get(`sm|${region}`, () => new SecretsManagerClient({ ...common, region }));
  const kms = (region: string) => get(`kms|${region}`, () => new KMSClient({ ...common, region }));

  return {
    describeTask: (cluster, task) =>
      answer(async () => {
        const out = await ecs().send(new DescribeTasksCommand({ ...(cluster && { cluster }), tasks: [task] }));
        const failure = out.failures?.[0];
        return { ...(out.tasks?.[0] && { task: out.tasks[0] }), ...(failure && { failure: `${failure.reason ?? "MISSING"}${failure.detail ? ` (${failure.detail})` : ""}` }) };
      }),
    describeContainerInstance: (cluster, arn) =>
      answer(async () => (await ecs().send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [arn] }))).containerInstances?.[0]),
    describeTaskDefinition: (taskDefinition) =>
      answer(async () => {
        const td = (await ecs().send(new DescribeTaskDefinitionCommand({ taskDefinition }))).taskDefinition;
        if (!td) throw Object.assign(new Error("no task definition in the answer"), { name: "ClientException", $metadata: {} });
        return td;
      }),
    getRole: (name) =>
      answer(async () => {
        const role = (await iam().send(new GetRoleCommand({ RoleName: name }))).Role;
        return {
          arn: role?.Arn ?? name,
          name,
          ...(role?.AssumeRolePolicyDocument && { trust: decodePolicyDocument(role.AssumeRolePolicyDocument) }),
          ...(role?.PermissionsBoundary?.PermissionsBoundaryArn && { boundaryArn: role.PermissionsBoundary.PermissionsBoundaryArn }),
        };
      }),
    listRolePolicies: (name) => answer(async () => (await iam().send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames ?? []),
    getRolePolicy: (role, policy) =>
      answer(async () => decodePolicyDocument((await iam().send(new GetRolePolicyCommand({ RoleName: role, PolicyName: policy }))).PolicyDocument ?? "")),
    listAttachedRolePolicies: (name) =>
      answer(async () => ((await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: name }))).AttachedPolicies ?? []).map((p) => ({ name: p.PolicyName ?? "", arn: p.PolicyArn ?? "" }))),
    getManagedPolicy: (arn) =>
      answer(async () => {
        const policy = (await iam().send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
        const version = await iam().send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy?.DefaultVersionId ?? "v1" }));
        return decodePolicyDocument(version.PolicyVersion?.Document ?? "");
      }),
    describeSecret: (id, region) =>
      answer(async () => {
        const d = await sm(region).send(new DescribeSecretCommand({ SecretId: id }));
        return { arn: d.ARN ?? id, name: d.Name ?? id, deleted: d.DeletedDate !== undefined, ...(d.KmsKeyId && { kmsKeyId: d.KmsKeyId }) };
      }),
    getResourcePolicy: (arn, region) => answer(async () => (await sm(region).send(new GetResourcePolicyCommand({ SecretId: arn }))).ResourcePolicy ?? undefined),
    describeKey: (id, region) =>
      answer(async () => {
        const meta = (await kms(region).send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata;
        return { arn: meta?.Arn ?? id, keyManager: meta?.KeyManager === "AWS" ? ("AWS" as const) : ("CUSTOMER" as const), keyState: meta?.KeyState ?? "Enabled" };
      }),
    getKeyPolicy: (arn, region) => answer(async () => decodePolicyDocument((await kms(region).send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }))).Policy ?? "")),
    destroy() {
      for (const c of clients.values()) c.destroy();
    },
  };
}
