// Where the AWS SDK would take its credentials from, named without ever showing a secret: the access key id is
// shown masked (first 4 and last 4 characters), the secret key and session token never.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface CredentialsSource {
  /** env, profile, shared-file default profile, container / web identity, the local test/test default, or none. */
  kind: "env" | "profile" | "shared-file" | "container" | "web-identity" | "local-default" | "none";
  detail: string;
}

export function maskAccessKeyId(id: string): string {
  return id.length <= 8 ? "****" : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

/** The SDK's default chain order (env, SSO/profile files, web identity, container), reduced to what we can tell offline. */
export function credentialsSource(env: NodeJS.ProcessEnv, allEndpointsLocal: boolean): CredentialsSource {
  if (env["AWS_ACCESS_KEY_ID"] && env["AWS_SECRET_ACCESS_KEY"]) {
    const session = env["AWS_SESSION_TOKEN"] ? " with a session token" : "";
    return { kind: "env", detail: `environment (AWS_ACCESS_KEY_ID ${maskAccessKeyId(env["AWS_ACCESS_KEY_ID"])}${session})` };
  }
  if (env["AWS_PROFILE"]) return { kind: "profile", detail: `profile ${env["AWS_PROFILE"]} (AWS_PROFILE)` };
  if (env["AWS_WEB_IDENTITY_TOKEN_FILE"]) return { kind: "web-identity", detail: "web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)" };
  if (env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] || env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) {
    return { kind: "container", detail: "container credentials endpoint (AWS_CONTAINER_CREDENTIALS_*)" };
  }
  const sharedFile = env["AWS_SHARED_CREDENTIALS_FILE"] ?? join(homedir(), ".aws", "credentials");
  if (sharedFile !== "/dev/null" && existsSync(sharedFile)) return { kind: "shared-file", detail: `default profile of ${sharedFile}` };
  if (allEndpointsLocal) return { kind: "local-default", detail: "test/test (the default for local endpoints: the emulator's admin key, LocalStack's default)" };
  return { kind: "none", detail: "none found" };
}
