// The emulator's public API: build the app (createEmulator), or listen on a port (startEmulator).
export { BODY_LIMIT_BYTES, createEmulator, type Emulator, type EmulatorLogEntry, type EmulatorOptions } from "./app.ts";
export { startEmulator, type StartEmulatorOptions, type StartedEmulator } from "./server.ts";
export { DEFAULT_ACCOUNT, DEFAULT_REGION, accountForAccessKey, resolveCaller, type Caller } from "./caller.ts";
export type { RequestContext } from "./context.ts";
export { CallStats, type CallRecord, type CountFilter } from "./stats.ts";
export { EmulatorStore } from "./state/store.ts";
export { SecretsManagerState, type SecretRecord, type SecretVersion, type Tag } from "./state/secrets.ts";
export { AwsError, AwsErrorCode } from "./protocol/aws-error.ts";
export { ServiceRegistry } from "./protocol/router.ts";
export type { JsonService, Operation } from "./protocol/service.ts";
export * as AwsTexts from "./protocol/aws-texts.ts";
export * as SecretsManager from "./services/secretsmanager/index.ts";
export type { AccountKey } from "./app.ts";
export { type Principal, accountRootArn, principalOf, requestPrincipal, rootPrincipal, sessionArn } from "./auth/principal.ts";
export { AccessKeys, type AccessKeyRecord, accessKeys } from "./auth/access-keys.ts";
export { getRole, iamState, principalPolicies, roleTags, type RoleRecord, type ManagedPolicyRecord } from "./state/iam.ts";
export { assumeRoleAsService, ECS_TASKS_SERVICE, type IssuedSession } from "./services/sts/index.ts";
export { INTERNAL_TARGET_PREFIX } from "./services/internal/index.ts";
