// task-definition: RegisterTaskDefinition's rules with the exact ClientException texts, and clear shape errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { registerTaskDefinition } from "../../agent-sim/steps/task-definition.ts";
import { ROLE_ARN, privateContainer, taskDef } from "./agent-fakes.ts";

function error(input: unknown) {
  const r = registerTaskDefinition(input);
  assert.ok(!r.ok, "expected a rejection");
  return r.error;
}

test("repositoryCredentials without executionRoleArn → ClientException", () => {
  const e = error({ family: "web", containerDefinitions: [privateContainer()] });
  assert.deepEqual([e.code, e.message, e.failureCode], ["ClientException", "Private repository authentication requires that the task definition specify a value for executionRoleArn.", "reg-no-exec-role"]);
});

test("ECR image with repositoryCredentials → ClientException", () => {
  const e = error(taskDef([privateContainer("a", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1")]));
  assert.deepEqual([e.message, e.failureCode], ["Private repository credentials are not a supported authentication method for ECR repositories.", "reg-ecr-image"]);
});

test("ECR image without repositoryCredentials registers", () => {
  assert.ok(registerTaskDefinition(taskDef([{ name: "a", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1" }])).ok);
});

test("family with invalid characters", () => assert.equal(error(taskDef([privateContainer()], { family: "web app" })).message, "Family contains invalid characters."));
test("blank family", () => assert.equal(error(taskDef([privateContainer()], { family: "" })).message, "Family can not be blank."));
test("family over 255 characters is refused (inferred text)", () => assert.equal(error(taskDef([privateContainer()], { family: "f".repeat(256) })).inferred, true));
test("family of 255 characters registers", () => assert.ok(registerTaskDefinition(taskDef([privateContainer()], { family: "f".repeat(255) })).ok));
test("container name with invalid characters", () => {
  const e = error(taskDef([{ ...privateContainer(), name: "my.app" }]));
  assert.deepEqual([e.message, e.path], ["Container.name contains invalid characters.", "containerDefinitions[0].name"]);
});
test("image with invalid characters (inferred text)", () => {
  const e = error(taskDef([{ ...privateContainer(), image: "registry.example.com/app name" }]));
  assert.deepEqual([e.message, e.inferred], ["Container.image contains invalid characters.", true]);
});
test("image with a digest registers", () => assert.ok(registerTaskDefinition(taskDef([{ ...privateContainer(), image: "r.example.com/app@sha256:" + "a".repeat(64) }])).ok));
test("malformed role ARN → Role is not valid", () => assert.equal(error(taskDef([privateContainer()], { executionRoleArn: "arn:aws:iam::12:role/x" })).message, "Role is not valid"));
test("a bare role name is accepted", () => assert.ok(registerTaskDefinition(taskDef([privateContainer()], { executionRoleArn: "ecsTaskExecutionRole" })).ok));
test("secrets without executionRoleArn → ClientException", () => {
  assert.equal(error({ family: "web", containerDefinitions: [{ name: "a", image: "nginx", secrets: [{ name: "X", valueFrom: "arn" }] }] }).message, "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.");
});

test("not JSON → a clear validation failure", () => {
  const e = error("{ family: ");
  assert.equal(e.code, "InvalidTaskDefinition");
  assert.match(e.message, /^the task definition is not valid JSON: /);
});
test("missing credentialsParameter names its path", () => {
  const e = error(taskDef([{ name: "a", image: "nginx" }, { name: "b", image: "r.example.com/b", repositoryCredentials: {} }]));
  assert.equal(e.message, "containerDefinitions[1].repositoryCredentials.credentialsParameter is required");
  assert.equal(e.failureCode, "reg-invalid");
});
test("no containerDefinitions", () => assert.equal(error({ family: "web" }).message, "containerDefinitions is required"));
test("containerDefinitions of the wrong type", () => assert.equal(error({ family: "web", containerDefinitions: {} }).message, "containerDefinitions must be an array, got an object"));
test("a JSON array is not a task definition", () => assert.equal(error("[]").message, "the task definition must be a JSON object, got an array"));
test("DescribeTaskDefinition output paths are prefixed", () => {
  assert.equal(error({ taskDefinition: { family: "web", containerDefinitions: [{ name: "a" }] } }).message, "taskDefinition.containerDefinitions[0].image is required");
});
test("defaults: essential true, revision 1; unknown fields pass; the launch-type fields are kept", () => {
  const r = registerTaskDefinition({ family: "web", executionRoleArn: ROLE_ARN, cpu: "256", pidMode: "task", containerDefinitions: [{ name: "a", image: "nginx", memory: 128 }] });
  assert.ok(r.ok);
  // cpu, memory, networkMode and requiresCompatibilities decide where the definition may run (steps/gates.ts).
  assert.deepEqual(r.taskDefinition, { family: "web", revision: 1, executionRoleArn: ROLE_ARN, cpu: "256", containerDefinitions: [{ name: "a", image: "nginx", essential: true }] });
});
