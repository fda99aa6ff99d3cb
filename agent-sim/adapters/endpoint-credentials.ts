// Which credentials a call to a local endpoint (the emulator, LocalStack) signs with, read from the environment
// only: no AWS SDK here, so the thin `ecs-pull run --via-server` client can use the same rule as `ecs-pull run`.
import type { AwsCredentials } from "../steps/execution-role.ts";

/**
 * The credentials for a local endpoint: the caller's own when any are configured, else LocalStack's well-known
 * `test`/`test` (the emulator's default admin key), so `ecs-pull run --endpoint ...` works with no AWS setup.
 */
export function localEndpointCredentials(env: NodeJS.ProcessEnv = process.env): { accessKeyId: string; secretAccessKey: string } | undefined {
  const configured = env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_WEB_IDENTITY_TOKEN_FILE;
  return configured ? undefined : { accessKeyId: "test", secretAccessKey: "test" };
}

/** AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), when both keys are set. */
export function environmentCredentials(env: NodeJS.ProcessEnv = process.env): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }) };
}
