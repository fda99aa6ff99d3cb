// Which secret each Secrets Manager operation acts on, for IAM enforcement (authorize.ts). Permission is decided
// before existence: for a secret that does not exist the policies are matched against the ARN the caller's
// SecretId would have (the SecretId itself when it is an ARN), and the denial names the SecretId as the caller
// passed it. An existing secret is matched by its full ARN, with its resource policy and tags.
import { type AuthorizationTarget, authorize } from "../../authorize.ts";
import type { RequestContext } from "../../context.ts";
import { parseSecretArn, partitionOf } from "./arn.ts";
import { findSecret } from "./secret-id.ts";

const PLACEHOLDER_SUFFIX = "??????";

/** The ARN a SecretId names or would name: an ARN as given, a name in the caller's account and Region. */
function arnOfSecretId(ctx: RequestContext, secretId: string): string {
  if (secretId.startsWith("arn:")) return secretId;
  return `arn:${partitionOf(ctx.region)}:secretsmanager:${ctx.region}:${ctx.account}:secret:${secretId}`;
}

export function secretTarget(ctx: RequestContext, action: string, secretId: string, input: Record<string, unknown>): AuthorizationTarget {
  const record = findSecret(ctx, secretId);
  const resource = record?.arn ?? arnOfSecretId(ctx, secretId);
  const target: AuthorizationTarget = {
    action,
    resource,
    resourceAccount: parseSecretArn(resource)?.account ?? ctx.account,
    shownResource: secretId,
    tagPrefix: "secretsmanager",
    context: { "secretsmanager:SecretId": resource },
  };
  if (typeof input.VersionId === "string") target.context!["secretsmanager:VersionId"] = input.VersionId;
  if (typeof input.VersionStage === "string") target.context!["secretsmanager:VersionStage"] = input.VersionStage;
  if (record !== undefined) {
    if (record.resourcePolicy !== undefined) target.resourcePolicy = { id: `resource policy of ${record.arn}`, document: record.resourcePolicy };
    if (record.tags !== undefined) target.resourceTags = record.tags;
    if (record.kmsKeyArn !== undefined) target.context!["secretsmanager:KmsKeyArn"] = record.kmsKeyArn;
  }
  return target;
}

/** Enforcement for one Secrets Manager request; input the handler will refuse anyway is left to it. */
// `secretsmanager:<Operation>` per operation name, made once (issue 17: not a new string per request).
const actions = new Map<string, string>();

export function authorizeSecretsManager(ctx: RequestContext, operation: string, input: Record<string, unknown>): void {
  let action = actions.get(operation);
  if (action === undefined) actions.set(operation, (action = `secretsmanager:${operation}`));
  // Operations on no one secret: the action on "*" (BatchGetSecretValue then checks GetSecretValue per secret).
  if (operation === "ListSecrets" || operation === "GetRandomPassword" || operation === "BatchGetSecretValue") {
    authorize(ctx, { action, resource: "*", resourceAccount: ctx.account });
    return;
  }
  if (operation === "CreateSecret") {
    if (typeof input.Name !== "string" || input.Name === "") return;
    // The new secret's ARN is not known yet: its suffix is matched as six unknown characters.
    const resource = `${arnOfSecretId(ctx, input.Name)}-${PLACEHOLDER_SUFFIX}`;
    const context: AuthorizationTarget["context"] = { "secretsmanager:Name": input.Name };
    if (typeof input.KmsKeyId === "string") context["secretsmanager:KmsKeyArn"] = input.KmsKeyId;
    authorize(ctx, { action, resource, resourceAccount: ctx.account, shownResource: input.Name, context });
    return;
  }
  const secretId = input.SecretId;
  if (typeof secretId !== "string" || secretId === "") return;
  authorize(ctx, secretTarget(ctx, action, secretId, input));
}
