// The execution role in runTask (fakes, no I/O): the assume-role step, the session that signs GetSecretValue,
// RunTask's ClientException when ECS cannot assume the role, missing role credentials, and the client-side IAM
// check's AccessDeniedException with the statement-level diagnosis.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkSecretAccess, runTask, withClientIamCheck, resolveLaunchContext } from "../../agent-sim/index.ts";
import type { IamSnapshot, SecretsManagerPort } from "../../agent-sim/index.ts";
import { FakeClock, FakeEngine, FakeSecretsManager, ROLE_ARN, SECRET_ARN, privateContainer, taskDef } from "./agent-fakes.ts";
import { FakeExecutionRole, FakeIamReader } from "./agent-role-fakes.ts";

const TASK_ID = "0123456789abcdef0123456789abcdef";
const VALUE = { SecretString: JSON.stringify({ username: "u", password: "canary-pw-123" }) };
const launch = { launchType: "EC2", region: "us-east-1", account: "123456789012" } as const;
const SESSION = `arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/${TASK_ID}`;

function recordingSecretsManager(): SecretsManagerPort & { sessions: (string | undefined)[] } {
  const sessions: (string | undefined)[] = [];
  return { sessions, getSecretValue: async (input) => (sessions.push(input.executionRole?.sessionArn), VALUE) };
}

describe("execution role", () => {
  test("assume-role runs before credentials, session named after the task; GetSecretValue is signed by it", async () => {
    const role = new FakeExecutionRole();
    const sm = recordingSecretsManager();
    const r = await runTask({ taskDefinition: taskDef([privateContainer()]), launch: resolveLaunchContext(launch), ports: { secretsManager: sm, engine: new FakeEngine(), clock: new FakeClock(), executionRole: role }, options: { ids: { taskId: TASK_ID } } });
    assert.equal(r.result, "RUNNING");
    assert.deepEqual(role.calls, [{ roleArn: ROLE_ARN, region: "us-east-1", sessionName: TASK_ID }]);
    assert.deepEqual(sm.sessions, [SESSION]);
    assert.deepEqual(r.trace.slice(0, 4).map((t) => t.step), ["register", "place", "assume-role", "credentials"]);
  });

  test("a bare role name is expanded in the task's account", async () => {
    const role = new FakeExecutionRole();
    await runTask({ taskDefinition: taskDef([privateContainer()], { executionRoleArn: "ecsTaskExecutionRole" }), launch: resolveLaunchContext(launch), ports: { secretsManager: recordingSecretsManager(), engine: new FakeEngine(), clock: new FakeClock(), executionRole: role } });
    assert.equal(role.calls[0]?.roleArn, ROLE_ARN);
  });

  test("no repositoryCredentials: no assume-role step", async () => {
    const role = new FakeExecutionRole();
    const r = await runTask({ taskDefinition: taskDef([{ name: "app", image: "registry.example.com/app:1" }]), launch: resolveLaunchContext(launch), ports: { secretsManager: recordingSecretsManager(), engine: new FakeEngine(), clock: new FakeClock(), executionRole: role } });
    assert.equal(role.calls.length, 0);
    assert.ok(!r.trace.some((t) => t.step === "assume-role"));
  });

  test("gate-untrusted-role: RunTask ClientException, no task, exit 4, no GetSecretValue", async () => {
    const sm = new FakeSecretsManager({ [SECRET_ARN]: VALUE });
    const r = await runTask({ taskDefinition: taskDef([privateContainer()]), launch: resolveLaunchContext(launch), ports: { secretsManager: sm, engine: new FakeEngine(), clock: new FakeClock(), executionRole: new FakeExecutionRole("untrusted") } });
    assert.equal(r.result, "NOT_PLACED");
    assert.equal(r.exitCode, 4);
    assert.equal(r.task, undefined);
    assert.equal(sm.calls.length, 0);
    assert.equal(
      r.placementFailure?.kind === "exception" && r.placementFailure.message,
      `ECS was unable to assume the role '${ROLE_ARN}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
    );
    assert.equal(r.diagnosis?.failureCode, "gate-untrusted-role");
    assert.equal(r.diagnosis?.step, "assume-role");
  });

  test("no execution-role credentials: STOPPED with the agent's asm resource text", async () => {
    const r = await runTask({ taskDefinition: taskDef([privateContainer()]), launch: resolveLaunchContext(launch), ports: { secretsManager: recordingSecretsManager(), engine: new FakeEngine(), clock: new FakeClock(), executionRole: new FakeExecutionRole("none") } });
    assert.equal(r.result, "STOPPED");
    assert.equal(r.exitCode, 5);
    assert.equal(r.task?.stoppedReason, "Asm resource: unable to find execution role credentials");
    assert.equal(r.diagnosis?.failureCode, "cred-no-role-credentials");
  });
});

describe("client-side IAM check", () => {
  const snapshot = (document: string): IamSnapshot => ({
    role: { arn: ROLE_ARN, name: "ecsTaskExecutionRole", tags: {}, identity: [{ id: "read", type: "inline", name: "read", document }] },
    secret: { arn: SECRET_ARN, tags: [], deleted: false },
    unreadable: [],
  });
  const missingSuffix = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET_ARN.slice(0, -7) }] });

  test("denied locally: the AccessDeniedException AWS sends, the missing-suffix diagnosis naming the statement", async () => {
    const reader = new FakeIamReader(snapshot(missingSuffix));
    const inner = recordingSecretsManager();
    const sm = withClientIamCheck(inner, reader, "http://127.0.0.1:4566");
    const r = await runTask({
      taskDefinition: taskDef([privateContainer()]),
      launch: resolveLaunchContext({ ...launch, agentVersion: "1.95.0" }),
      ports: { secretsManager: sm, engine: new FakeEngine(), clock: new FakeClock(), executionRole: new FakeExecutionRole(), iam: { reader } },
      options: { ids: { taskId: TASK_ID } },
    });
    assert.equal(inner.sessions.length, 0, "a local denial never calls the backend");
    assert.match(
      r.task?.stoppedReason ?? "",
      new RegExp(
        `^Asm fetching secret from the service for ${SECRET_ARN}: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: [0-9a-f-]{36}, api error AccessDeniedException: User: ${SESSION} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET_ARN} because no identity-based policy allows the secretsmanager:GetSecretValue action$`,
      ),
    );
    assert.equal(r.diagnosis?.failureCode, "cred-missing-suffix");
    assert.match(r.diagnosis?.fix ?? "", /identity-based policy "read" \(inline\), statement 0 .*-\?\?\?\?\?\?/);
    // The statement the fix names, structured (what the page highlights): on the check and on the explanation.
    const near = { policyId: "read", policyType: "identity", policyKind: "inline", index: 0, effect: "Allow" };
    const { positions, ...ref } = r.diagnosis?.explanation?.near ?? {};
    assert.deepEqual(ref, near);
    assert.deepEqual(positions?.start, { line: 1, column: 38 });
    assert.deepEqual(r.diagnosis?.explanation?.checks[0]?.near, r.diagnosis?.explanation?.near);
    assert.ok(!JSON.stringify(r).includes("canary-pw-123"));
  });

  test("checkSecretAccess: a partial picture (role unreadable) never denies locally", () => {
    const check = checkSecretAccess(
      { unreadable: ["the role"], secret: { arn: SECRET_ARN, tags: [], deleted: false } },
      { session: { roleArn: ROLE_ARN, sessionArn: SESSION, credentials: { accessKeyId: "a", secretAccessKey: "b" } }, secretId: SECRET_ARN, region: "us-east-1", secureTransport: true },
    );
    assert.equal(check.denial, undefined);
  });
});
