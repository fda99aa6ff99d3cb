// An example of a user's pull-auth test with Node's test runner (docs/testing-library.md shows it too).
// Run: node --import tsx --test examples/pull-auth.test.ts   (in your project: import from "ecs-pull")
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PullAuthStack } from "ecs-pull";

describe("our task definition pulls its private image", () => {
  let stack: PullAuthStack;
  let image: string;

  before(async () => {
    stack = await PullAuthStack.start({ users: { deploy: "correct-horse" } });
    image = await stack.pushImage({ repository: "team/app", tag: "v1" });
  });
  after(() => stack.stop());

  const taskDefinition = (executionRoleArn: string, credentialsParameter: string) => ({
    family: "app",
    executionRoleArn,
    containerDefinitions: [{ name: "app", image, essential: true, repositoryCredentials: { credentialsParameter } }],
  });

  it("runs when the role may read a secret holding the right password", async () => {
    const secret = await stack.createSecret("team/registry", { username: "deploy", password: "correct-horse" });
    const role = await stack.createExecutionRole({ roleName: "app-execution", secretArns: [secret] });

    const run = await stack.runTask(taskDefinition(role, secret));

    assert.equal(run.task?.lastStatus, "RUNNING");
  });

  it("stops with ECS's reason when the role may not read the secret", async () => {
    const secret = await stack.createSecret("team/other", { username: "deploy", password: "correct-horse" });
    const role = await stack.createExecutionRole({ roleName: "no-secrets" });

    const run = await stack.runTask(taskDefinition(role, secret));

    assert.equal(run.task?.lastStatus, "STOPPED");
    assert.equal(run.task?.stopCode, "TaskFailedToStart");
    assert.match(run.task?.stoppedReason ?? "", /^Asm fetching secret from the service for .*AccessDeniedException/);
    assert.equal(run.diagnosis?.failureCode, "cred-no-permission");
  });

  it("stops in the pull when the secret holds a stale password", async () => {
    const secret = await stack.createSecret("team/stale", { username: "deploy", password: "last-year" });
    const role = await stack.createExecutionRole({ roleName: "stale-execution", secretArns: [secret] });

    const run = await stack.runTask(taskDefinition(role, secret));

    assert.equal(run.task?.lastStatus, "STOPPED");
    assert.match(run.task?.containers[0]?.reason ?? "", /^CannotPullImageManifestError: .*unauthorized: authentication required/);
    assert.equal(run.diagnosis?.failureCode, "pull-bad-password");
  });
});
