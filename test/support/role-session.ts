// A role session's temporary keys from the emulator's AssumeRoleAsService (as ECS gets them for a task): a caller
// that is not an admin key, for tests of what only admin keys may do.
import type { AwsCredentials } from "../../agent-sim/steps/execution-role.ts";
import { internalTarget } from "../../agent-sim/adapters/internal-api.ts";
import { signedJsonPost } from "../../agent-sim/adapters/signed-json-post.ts";

export async function roleSessionKeys(endpoint: string, roleArn: string, sessionName: string): Promise<Required<AwsCredentials>> {
  const answer = await signedJsonPost({
    endpoint,
    region: "us-east-1",
    service: "sts",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    target: internalTarget("AssumeRoleAsService"),
    body: { RoleArn: roleArn, ServicePrincipal: "ecs-tasks.amazonaws.com", RoleSessionName: sessionName },
  });
  const c = answer.json?.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } | undefined;
  if (c === undefined) throw new Error(`AssumeRoleAsService answered HTTP ${answer.status}: ${answer.text}`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}
