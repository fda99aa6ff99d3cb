// Property: no request to an ECS operation gets a 5xx, whatever its members hold (wrong types, nulls, unknown
// references, arrays where objects belong). Tasks RunTask starts run against fakes and are awaited.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import request from "supertest";
import { fastRetryPolicies } from "../../agent-sim/index.ts";
import { createEmulator } from "../../emulator/index.ts";
import { FakeEngine, FakeSecretsManager } from "./agent-fakes.ts";

const OPERATIONS = [
  "CreateCluster", "DescribeClusters", "ListClusters", "RegisterContainerInstance", "DeregisterContainerInstance",
  "ListContainerInstances", "DescribeContainerInstances", "RegisterTaskDefinition", "DescribeTaskDefinition",
  "ListTaskDefinitions", "DeregisterTaskDefinition", "RunTask", "DescribeTasks", "ListTasks", "StopTask",
];
const MEMBERS = [
  "cluster", "clusterName", "clusters", "containerInstance", "containerInstances", "versionInfo", "attributes", "family",
  "executionRoleArn", "containerDefinitions", "taskDefinition", "launchType", "platformVersion", "count", "overrides",
  "tasks", "task", "reason", "desiredStatus", "include", "tags", "status", "familyPrefix", "maxResults", "nextToken", "sort",
];
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom("default", "web", "web:1", "web:0", "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1", "FARGATE", "EXTERNAL", "LATEST", "1.0.0"),
  fc.constant([{ name: "app", image: "127.0.0.1:1/app:1", repositoryCredentials: { credentialsParameter: "s" } }]),
  fc.constant({ containerOverrides: [{ name: "app" }] }),
  fc.constant({ agentVersion: "1.18.0" }),
);

describe("ECS: random input never answers 5xx", () => {
  it("any operation, any members", async () => {
    const emulator = createEmulator({
      signatureCheck: false,
      ecs: { secretsManager: () => new FakeSecretsManager({}), engine: new FakeEngine(), pullRetry: fastRetryPolicies.pullRetry, manifestRetry: fastRetryPolicies.manifestRetry },
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPERATIONS), fc.dictionary(fc.constantFrom(...MEMBERS), value, { maxKeys: 6 }), async (operation, input) => {
        const res = await request(emulator.app)
          .post("/")
          .set("X-Amz-Target", `AmazonEC2ContainerServiceV20141113.${operation}`)
          .set("Content-Type", "application/x-amz-json-1.1")
          .set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=00")
          .send(JSON.stringify(input));
        assert.ok(res.status < 500, `${operation} ${JSON.stringify(input)} → ${res.status} ${res.text}`);
        if (res.status >= 400) assert.match(JSON.parse(res.text).__type, /^[A-Za-z]+$/);
      }),
      { numRuns: 400 },
    );
    await emulator.ecs.idle();
  });
});
