// The test library's public surface: PullAuthStack and the execution-role helpers its users may want directly.
export { PullAuthStack, ADMIN_CREDENTIALS, DEFAULT_REGISTRY_USER } from "./pull-auth-stack.ts";
export type { PullAuthStackOptions, StackRunOptions } from "./pull-auth-stack.ts";
export {
  ExecutionRoleError,
  assumeExecutionRole,
  ecsTasksTrustPolicy,
  secretAccessPolicy,
  DEFAULT_EXECUTION_ROLE_NAME,
  DEFAULT_EXECUTION_POLICY_NAME,
} from "./execution-role.ts";
export type { AwsCredentials, PolicyDocument, SecretAccess } from "./execution-role.ts";
