// Shared by the *-version-texts tests: one private-image task whose secret holds `password` for alice, run by the
// simulated agent against a real registry and engine with a fake Secrets Manager and clock. The definition asks for
// EC2 and FARGATE, so every launch type runs it.
import { fastRetryPolicies, runTask, resolveLaunchContext } from "../../agent-sim/index.ts";
import type { ImageEngine, LaunchContextInput, TaskRunResult } from "../../agent-sim/index.ts";
import { FARGATE_COMPATIBLE, FakeClock, FakeSecretsManager, ROLE_ARN } from "../unit/agent-fakes.ts";

export const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf";

export function runWithPassword(input: { image: string; engine: ImageEngine; password: string; launch: LaunchContextInput }): Promise<TaskRunResult> {
  return runTask({
    taskDefinition: {
      family: "versions",
      executionRoleArn: ROLE_ARN,
      ...FARGATE_COMPATIBLE,
      containerDefinitions: [{ name: "app", image: input.image, essential: true, repositoryCredentials: { credentialsParameter: SECRET } }],
    },
    launch: resolveLaunchContext(input.launch),
    ports: {
      secretsManager: new FakeSecretsManager({ [SECRET]: { SecretString: JSON.stringify({ username: "alice", password: input.password }) } }),
      engine: input.engine,
      clock: new FakeClock(),
    },
    options: fastRetryPolicies,
  });
}
