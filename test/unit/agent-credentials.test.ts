// credentials: the per-task fetch plan (order, dedupe by exact string, region) and the asm-auth resource.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AsmAuthResource } from "../../agent-sim/steps/asm-auth.ts";
import { planCredentialFetches, secretRegion } from "../../agent-sim/steps/credentials.ts";
import type { TaskDefinition } from "../../agent-sim/steps/task-definition.ts";
import { FakeSecretsManager } from "./agent-fakes.ts";

const arn = (region: string, name: string) => `arn:aws:secretsmanager:${region}:123456789012:secret:${name}-AbCdEf`;
const td = (ids: (string | undefined)[]): TaskDefinition => ({
  family: "f",
  revision: 1,
  executionRoleArn: "r",
  containerDefinitions: ids.map((id, i) => ({ name: `c${i}`, image: "img", essential: true, ...(id ? { repositoryCredentials: { credentialsParameter: id } } : {}) })),
});
const GOOD = { SecretString: '{"username":"u","password":"p"}' };

test("plan: task-definition order, containers without credentials skipped", () => {
  const plan = planCredentialFetches(td(["b", undefined, "a"]), "us-east-1");
  assert.deepEqual(plan.map((p) => [p.secretId, p.containers]), [["b", ["c0"]], ["a", ["c2"]]]);
});
test("plan: same exact string → one fetch for both containers", () => {
  assert.deepEqual(planCredentialFetches(td(["s", "s"]), "us-east-1"), [{ secretId: "s", region: "us-east-1", containers: ["c0", "c1"] }]);
});
test("plan: a name and the ARN of the same secret → two fetches", () => {
  assert.equal(planCredentialFetches(td(["creds", arn("us-east-1", "creds")]), "us-east-1").length, 2);
});
test("region: ARN's region, else the task's", () => {
  assert.equal(secretRegion(arn("eu-central-1", "x"), "us-east-1"), "eu-central-1");
  assert.equal(secretRegion("x", "us-west-2"), "us-west-2");
  assert.equal(secretRegion("arn:aws:secretsmanager::123:secret:x", "us-west-2"), "us-west-2");
});
test("asm-auth: first failure stops; nothing cached across tasks", async () => {
  const sm = new FakeSecretsManager({ a: GOOD, c: GOOD });
  const asm = new AsmAuthResource(planCredentialFetches(td(["a", "missing", "c"]), "us-east-1"), sm);
  const r = await asm.create();
  assert.ok(!r.ok && r.failure.stage === "call" && r.failure.secretId === "missing");
  assert.deepEqual(sm.calls.map((c) => c.secretId), ["a", "missing"]);
  const second = new AsmAuthResource(planCredentialFetches(td(["a"]), "us-east-1"), sm);
  await second.create();
  assert.equal(sm.calls.length, 3);
  assert.deepEqual(second.authFor("c0"), { username: "u", password: "p" });
  assert.equal(second.authFor("nope"), undefined);
});
