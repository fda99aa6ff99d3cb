// sdk-error-text: how the agent words a failed GetSecretValue (SDK v1 vs v2, Fargate) and the task-reason rules.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { SecretsManagerFailure } from "../../agent-sim/ports.ts";
import { asmCallErrorText, cutUtf8, sdkV1ErrorText, sdkV2ErrorText, toTaskReason } from "../../agent-sim/texts/sdk-error.ts";

const ID = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:gitlab-sample-registry-y54JnU";
const RID = "83b3a590-1111-2222-3333-444455556666";
const denied: SecretsManagerFailure = {
  code: "AccessDeniedException",
  message: `User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/14edf050 is not authorized to perform: secretsmanager:GetSecretValue on resource: ${ID} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
  httpStatusCode: 400,
  requestId: RID,
  attempts: 1,
  kind: "service",
};
const notFound: SecretsManagerFailure = { code: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret.", httpStatusCode: 400, requestId: RID, attempts: 1, kind: "service" };
const throttled: SecretsManagerFailure = { code: "ThrottlingException", message: "Rate exceeded", httpStatusCode: 400, requestId: RID, attempts: 3, kind: "service" };
const refused: SecretsManagerFailure = { code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:4566", attempts: 3, kind: "network" };

test("SDK v1: <Code>: <Message>, newline-tab, status code and request id", () => {
  assert.equal(sdkV1ErrorText(notFound, "us-east-1"), `ResourceNotFoundException: Secrets Manager can't find the specified secret.\n\tstatus code: 400, request id: ${RID}`);
});

test("SDK v1 task reason matches the one seen in the wild (title-cased, collapsed)", () => {
  const reason = toTaskReason(asmCallErrorText(ID, "ap-northeast-1", denied, { kind: "ecs-agent", sdk: "v1" }));
  assert.equal(reason, `Asm fetching secret from the service for ${ID}: AccessDeniedException: ${denied.message} status code: 400, request id: ${RID}`);
});

test("SDK v2: unmodelled AccessDeniedException reads 'api error'", () => {
  assert.equal(sdkV2ErrorText(denied, "ap-northeast-1"), `operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: ${RID}, api error AccessDeniedException: ${denied.message}`);
});

test("SDK v2: modelled ResourceNotFoundException reads '<Code>: <Message>'", () => {
  assert.equal(sdkV2ErrorText(notFound, "us-east-1"), `operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: ${RID}, ResourceNotFoundException: Secrets Manager can't find the specified secret.`);
});

test("SDK v2: exhausted retries add 'exceeded maximum number of attempts, 3, '", () => {
  assert.equal(sdkV2ErrorText(throttled, "us-east-1"), `operation error Secrets Manager: GetSecretValue, exceeded maximum number of attempts, 3, https response error StatusCode: 400, RequestID: ${RID}, api error ThrottlingException: Rate exceeded`);
});

test("SDK v2: network failure renders status 0 and Go's dial error (inferred wording)", () => {
  assert.equal(sdkV2ErrorText(refused, "us-east-1"), 'operation error Secrets Manager: GetSecretValue, exceeded maximum number of attempts, 3, https response error StatusCode: 0, RequestID: , request send failed, Post "https://secretsmanager.us-east-1.amazonaws.com/": dial tcp 127.0.0.1:4566: connect: connection refused');
});

test("SDK v1: network failure is RequestError send request failed", () => {
  assert.equal(sdkV1ErrorText(refused, "eu-west-1"), 'RequestError: send request failed\ncaused by: Post "https://secretsmanager.eu-west-1.amazonaws.com/": dial tcp 127.0.0.1:4566: connect: connection refused');
});

test("wrapped as 'asm fetching secret from the service for <id>: '", () => {
  assert.ok(asmCallErrorText("my-secret", "us-east-1", notFound, { kind: "ecs-agent", sdk: "v2" }).startsWith("asm fetching secret from the service for my-secret: operation error"));
});

test("Fargate 1.4.0: ResourceInitializationError with the retry count", () => {
  assert.equal(
    toTaskReason(asmCallErrorText("my-secret", "us-east-1", notFound, { kind: "fargate-agent" })),
    `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to get registry auth from asm: service call has been retried 1 time(s): asm fetching secret from the service for my-secret: ResourceNotFoundException: Secrets Manager can't find the specified secret. status code: 400, request id: ${RID}`,
  );
});

test("Fargate 1.4.0 network failure ends with the network hint", () => {
  const text = asmCallErrorText("my-secret", "us-east-1", refused, { kind: "fargate-agent" });
  assert.ok(text.includes("service call has been retried 5 time(s)"));
  assert.ok(text.endsWith(" Please check your task network configuration."));
});

test("task reason: first word title-cased, whitespace runs collapsed", () => {
  assert.equal(toTaskReason("asm  fetching\n\t x\r\ny"), "Asm fetching x y");
});

test("task reason: cut at 1024 bytes without splitting a character", () => {
  const long = "asm " + "é".repeat(2000);
  const reason = toTaskReason(long);
  assert.ok(Buffer.byteLength(reason) <= 1024);
  assert.equal(Buffer.byteLength(reason), 1024);
  assert.equal(cutUtf8("aé", 2), "a");
});
