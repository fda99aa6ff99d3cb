// RunTask refusing a FARGATE launch of a definition that does not ask for FARGATE (a list without FARGATE, or none), as ECS answers it
// (InvalidParameterException "Task definition does not support launch_type FARGATE."; the captured text is
// UpdateService's, RunTask's is inferred from the same validation): the real AWS SDK against the emulator, and
// `ecs-pull run --launch-type FARGATE` (exit 4, the same text in --json). A definition that names no
// requiresCompatibilities is EC2's (sil-org/ecs-deploy#129, #134) and is refused the same way. RegisterTaskDefinition's
// compatibilities follow the same notion.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { startEmulator, type StartedEmulator } from "../../emulator/index.ts";
import { runCli } from "../support/cli.ts";

const TEXT = "Task definition does not support launch_type FARGATE.";
const container = { name: "app", image: "registry.example.com/team/app:v1", essential: true };

describe("RunTask: a FARGATE launch of a definition that is not FARGATE-compatible", { timeout: 120_000 }, () => {
  let emulator: StartedEmulator;
  let ecs: ECSClient;
  let dir: string;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
    ecs = new ECSClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    dir = await mkdtemp(join(tmpdir(), "ecs-pull-launch-type-"));
  });
  after(async () => {
    ecs?.destroy();
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("the SDK: InvalidParameterException with ECS's text; compatibilities without FARGATE", async () => {
    const registered = await ecs.send(new RegisterTaskDefinitionCommand({ family: "ec2-only", requiresCompatibilities: ["EC2"], networkMode: "awsvpc", cpu: "256", memory: "512", containerDefinitions: [container] }));
    assert.deepEqual(registered.taskDefinition?.compatibilities, ["EC2", "EXTERNAL"]);
    const error = await ecs.send(new RunTaskCommand({ taskDefinition: "ec2-only", launchType: "FARGATE" })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.equal(error?.name, "InvalidParameterException");
    assert.equal(error?.message, TEXT);
  });

  it("the SDK: a definition that names no requiresCompatibilities is EC2's, even with awsvpc, cpu and memory: refused on FARGATE", async () => {
    const registered = await ecs.send(new RegisterTaskDefinitionCommand({ family: "unnamed", networkMode: "awsvpc", cpu: "256", memory: "512", containerDefinitions: [container] }));
    assert.deepEqual(registered.taskDefinition?.compatibilities, ["EC2", "EXTERNAL"]);
    assert.equal(registered.taskDefinition?.requiresCompatibilities, undefined);
    for (const platformVersion of [undefined, "LATEST", "1.3.0"]) {
      const error = await ecs.send(new RunTaskCommand({ taskDefinition: "unnamed", launchType: "FARGATE", ...(platformVersion && { platformVersion }) })).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      assert.equal(error?.name, "InvalidParameterException", platformVersion);
      assert.equal(error?.message, TEXT);
    }
  });

  it("the SDK: a definition that asks for FARGATE is FARGATE-compatible and is not refused for its launch type", async () => {
    const registered = await ecs.send(new RegisterTaskDefinitionCommand({ family: "fargate-ok", requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: "256", memory: "512", containerDefinitions: [container] }));
    assert.deepEqual(registered.taskDefinition?.compatibilities, ["EC2", "EXTERNAL", "FARGATE"]);
    // An unknown platform version is the next check: the launch type passed.
    const error = await ecs.send(new RunTaskCommand({ taskDefinition: "fargate-ok", launchType: "FARGATE", platformVersion: "1.1.0" })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.equal(error?.name, "PlatformUnknownException");
  });

  it("ecs-pull run --launch-type FARGATE: exit 4 (not placed), the same name and text in --json and in the human output", async () => {
    const file = join(dir, "ec2-only.json");
    await writeFile(file, JSON.stringify({ family: "ec2-only", requiresCompatibilities: ["EC2"], containerDefinitions: [container] }));
    const json = await runCli(["run", file, "--launch-type", "FARGATE", "--json"]);
    assert.equal(json.code, 4, json.stderr);
    const doc = JSON.parse(json.stdout) as { result: string; placementFailure: { code: string; message: string; failureCode: string; inferred?: boolean } };
    assert.equal(doc.result, "NOT_PLACED");
    assert.deepEqual(
      { code: doc.placementFailure.code, message: doc.placementFailure.message, failureCode: doc.placementFailure.failureCode, inferred: doc.placementFailure.inferred },
      { code: "InvalidParameterException", message: TEXT, failureCode: "gate-fargate-incompatible", inferred: true },
    );
    const human = await runCli(["run", file, "--launch-type", "FARGATE"]);
    assert.equal(human.code, 4);
    assert.ok(human.stdout.includes(`Not placed  InvalidParameterException: ${TEXT}`), human.stdout);
  });

  it("ecs-pull run --launch-type FARGATE of a definition that names no requiresCompatibilities: exit 4, gate-fargate-incompatible", async () => {
    const file = join(dir, "unnamed.json");
    await writeFile(file, JSON.stringify({ family: "unnamed", networkMode: "awsvpc", cpu: "256", memory: "512", containerDefinitions: [container] }));
    const json = await runCli(["run", file, "--launch-type", "FARGATE", "--platform-version", "1.4.0", "--json"]);
    assert.equal(json.code, 4, json.stderr);
    const doc = JSON.parse(json.stdout) as { result: string; placementFailure: { message: string; failureCode: string } };
    assert.deepEqual([doc.result, doc.placementFailure.message, doc.placementFailure.failureCode], ["NOT_PLACED", TEXT, "gate-fargate-incompatible"]);
  });
});
