// `ecs-pull serve --state DIR` end to end: what was acknowledged survives kill -9 at any moment (a loop of writes,
// killed at random points, restarted, every acknowledged write checked: secrets with versions, a role and its
// policy, a KMS key, an STS session), and a damaged, future or locked state directory is refused with exit 1.
import assert from "node:assert/strict";
import { type ChildProcess, execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateRoleCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { decodeSnapshot, encodeSnapshot, STATE_FILE } from "../../emulator/state/persistence.ts";
import { EmulatorStore } from "../../emulator/state/store.ts";
import { runCli, startServe } from "../support/cli.ts";

const admin = { accessKeyId: "test", secretAccessKey: "test" };
const AWS_CLI = process.env.ECS_PULL_AWS_CLI ?? "/usr/bin/aws";
const run = promisify(execFile);
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-state-"));
  dirs.push(dir);
  return join(dir, "state");
}

/** `ecs-pull serve --state DIR --port 0`, resolved with its URL once it listens. */
const serve = (dir: string, extra: string[] = []) => startServe(["--no-ui", "--log", "off", "--state", dir, ...extra], { captureStderr: true });

function killed(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("close", () => done());
    child.kill("SIGKILL");
  });
}

const clients = (url: string) => ({
  sm: new SecretsManagerClient({ endpoint: url, region: "us-east-1", credentials: admin, maxAttempts: 1 }),
  iam: new IAMClient({ endpoint: url, region: "us-east-1", credentials: admin, maxAttempts: 1 }),
  kms: new KMSClient({ endpoint: url, region: "us-east-1", credentials: admin, maxAttempts: 1 }),
  sts: new STSClient({ endpoint: url, region: "us-east-1", credentials: admin, maxAttempts: 1 }),
});

describe("serve --state", () => {
  it("kill -9 at random points during writes loses nothing acknowledged (10 kills)", async () => {
    const dir = stateDir();
    const acknowledged = new Map<string, string>(); // secret name → last acknowledged value
    // A write the kill interrupted may or may not be on disk (it was not acknowledged): either value is right.
    const unacknowledged = new Map<string, string>();
    const check = (name: string, got: string | undefined, where: string) => {
      const ok = got === acknowledged.get(name) || (unacknowledged.has(name) && got === unacknowledged.get(name));
      assert.ok(ok, `${where}: ${name} is ${got}, acknowledged ${acknowledged.get(name)}`);
      if (got !== acknowledged.get(name)) acknowledged.set(name, got!);
      unacknowledged.delete(name);
    };
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }] });
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] });
    let keyId: string | undefined;
    let session: { accessKeyId: string; secretAccessKey: string; sessionToken: string } | undefined;
    for (let round = 0; round < 10; round++) {
      const { url, child } = await serve(dir);
      const c = clients(url);
      // Everything acknowledged so far is there.
      for (const name of [...acknowledged.keys()]) {
        check(name, (await c.sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, `round ${round}`);
      }
      if (round > 0) {
        assert.equal((await c.iam.send(new GetRolePolicyCommand({ RoleName: "exec", PolicyName: "read" }))).PolicyDocument !== undefined, true);
        assert.equal((await c.kms.send(new DescribeKeyCommand({ KeyId: keyId! }))).KeyMetadata?.KeyId, keyId);
        const asSession = new STSClient({ endpoint: url, region: "us-east-1", credentials: session!, maxAttempts: 1 });
        assert.match((await asSession.send(new GetCallerIdentityCommand({}))).Arn!, /assumed-role\/exec\/s1$/);
      } else {
        await c.iam.send(new CreateRoleCommand({ RoleName: "exec", AssumeRolePolicyDocument: trust }));
        await c.iam.send(new PutRolePolicyCommand({ RoleName: "exec", PolicyName: "read", PolicyDocument: policy }));
        keyId = (await c.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
        const creds = (await c.sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/exec", RoleSessionName: "s1" }))).Credentials!;
        session = { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! };
      }
      // Writes until killed at a random moment: new secrets and new versions of old ones.
      const killAt = 100 + Math.floor(Math.random() * 700);
      const kill = new Promise<void>((resolve) => setTimeout(() => void killed(child).then(resolve), killAt));
      let stop = false;
      void kill.then(() => (stop = true));
      const writer = (async () => {
        for (let i = 0; !stop; i++) {
          const name = `r${round}/s${i}`;
          const value = `v-${round}-${i}`;
          let old: string | undefined;
          try {
            if (i % 3 === 2 && acknowledged.size > 0) {
              old = [...acknowledged.keys()][i % acknowledged.size]!;
              await c.sm.send(new PutSecretValueCommand({ SecretId: old, SecretString: `${value}-put` }));
              acknowledged.set(old, `${value}-put`);
            } else {
              await c.sm.send(new CreateSecretCommand({ Name: name, SecretString: value }));
              acknowledged.set(name, value);
            }
          } catch {
            // The server died mid-request: not acknowledged, perhaps durable.
            if (old !== undefined) unacknowledged.set(old, `${value}-put`);
            return;
          }
        }
      })();
      await kill;
      await writer;
      for (const client of Object.values(c)) client.destroy();
    }
    assert.ok(acknowledged.size >= 10, `only ${acknowledged.size} writes were acknowledged`);
    // A last start reads everything, then a clean stop.
    const { url, child } = await serve(dir);
    const { sm } = clients(url);
    for (const name of [...acknowledged.keys()]) check(name, (await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, "last start");
    sm.destroy();
    await killed(child);
  });

  it("a damaged or future state file is refused with exit 1, never dropped", async () => {
    const dir = stateDir();
    const first = await serve(dir);
    const { sm } = clients(first.url);
    await sm.send(new CreateSecretCommand({ Name: "keep", SecretString: "x" }));
    sm.destroy();
    await killed(first.child);
    const file = join(dir, STATE_FILE);
    const good = readFileSync(file);

    const damaged = Buffer.from(good);
    damaged[damaged.length - 3] = damaged[damaged.length - 3]! ^ 0xff;
    writeFileSync(file, damaged);
    let r = await runCli(["serve", "--port", "0", "--state", dir], {}, 60_000);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /is damaged/);
    assert.deepEqual(readFileSync(file), damaged, "the damaged file is left as it was");

    const header = JSON.parse(good.subarray(0, good.indexOf(0x0a)).toString()) as Record<string, unknown>;
    writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify({ ...header, format: 2 })}\n`), good.subarray(good.indexOf(0x0a) + 1)]));
    r = await runCli(["serve", "--port", "0", "--state", dir], {}, 60_000);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /written by a newer ecs-pull \(state format 2; this one reads format 1\)/);

    writeFileSync(file, good);
    const again = await serve(dir);
    const second = await runCli(["serve", "--port", "0", "--state", dir], {}, 60_000);
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, /is in use by another ecs-pull serve/);
    const c = clients(again.url);
    assert.equal((await c.sm.send(new GetSecretValueCommand({ SecretId: "keep" }))).SecretString, "x");
    c.sm.destroy();
    await killed(again.child);
  });

  it("an ECS task's final status, reached in the background after RunTask answered, survives kill -9", async () => {
    const dir = stateDir();
    const first = await serve(dir, ["--fast"]);
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_MAX_ATTEMPTS: "1" };
    const aws = async (url: string, ...args: string[]) => {
      const { stdout } = await run(AWS_CLI, ["--endpoint-url", url, "--output", "json", ...args], { env, timeout: 90_000 });
      return JSON.parse(stdout) as Record<string, unknown>;
    };
    // An image on a port nothing listens on: the pull fails and the task stops, in the background.
    const containers = JSON.stringify([{ name: "app", image: "127.0.0.1:9/none/app:1", memory: 64, essential: true }]);
    await aws(first.url, "ecs", "register-task-definition", "--family", "persist", "--container-definitions", containers);
    const ran = (await aws(first.url, "ecs", "run-task", "--task-definition", "persist")) as { tasks: { taskArn: string }[] };
    const arn = ran.tasks[0]!.taskArn;
    type Task = { lastStatus: string; stoppedReason?: string };
    let task: Task | undefined;
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
      task = ((await aws(first.url, "ecs", "describe-tasks", "--tasks", arn)) as { tasks: Task[] }).tasks[0];
      if (task?.lastStatus === "STOPPED") break;
    }
    assert.equal(task?.lastStatus, "STOPPED");
    await new Promise((r) => setTimeout(r, 500)); // the write after the run's end
    await killed(first.child);
    const second = await serve(dir);
    const after = ((await aws(second.url, "ecs", "describe-tasks", "--tasks", arn)) as { tasks: Task[] }).tasks[0];
    assert.equal(after?.lastStatus, "STOPPED");
    assert.equal(after?.stoppedReason, task?.stoppedReason);
    await killed(second.child);
  });

  it("a snapshot keeps shared records shared and new fields without being told about them", () => {
    const store = new EmulatorStore();
    const state = store.secretsManager("000000000000", "us-east-1") as unknown as Record<string, Map<string, Record<string, unknown>>>;
    const record: Record<string, unknown> = { name: "a", arn: "arn:a", versions: new Map([["v1", { stages: ["AWSCURRENT"] }]]), rotation: { days: 7 } };
    state.byName!.set("a", record);
    state.byArn!.set("arn:a", record);
    const decoded = decodeSnapshot(encodeSnapshot(store.exportPartitions(), 0), "x");
    const restored = new EmulatorStore(decoded).secretsManager("000000000000", "us-east-1") as unknown as Record<string, Map<string, Record<string, unknown>>>;
    assert.equal(restored.byName!.get("a"), restored.byArn!.get("arn:a"));
    assert.deepEqual(restored.byName!.get("a")!.rotation, { days: 7 });
    assert.equal(typeof (restored as unknown as { takeSeq: unknown }).takeSeq, "function");
  });
});
