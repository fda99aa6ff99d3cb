// One simulated ECS launch, end to end: register → place → credentials (+ parse) → manifest → pull → "start".
// Each step is a pure module or goes through the ports; this file only sequences them and shapes the result the
// CLI prints. Exit codes: 0 RUNNING, 3 rejected at registration, 4 not placed, 5 credentials failed, 6 pull failed.
// An EnvironmentError thrown by a port propagates (the CLI maps it to 1); a bad launch context throws
// LaunchContextError (a usage error).
import { randomBytes, randomUUID } from "node:crypto";
import { AsmAuthResource } from "./asm-auth.ts";
import type { CredentialsFailure } from "./asm-auth.ts";
import { planCredentialFetches } from "./credentials.ts";
import { diagnoseCredentials, diagnosePlacement, diagnosePull, diagnoseRegister } from "./diagnosis.ts";
import type { Diagnosis } from "./diagnosis.ts";
import { checkGates } from "./gates.ts";
import type { PlacementFailure } from "./gates.ts";
import { resolveLaunchContext } from "./launch-context.ts";
import type { LaunchContext, LaunchContextInput } from "./launch-context.ts";
import { buildTask } from "./outcome.ts";
import type { ContainerEnd, EcsTask } from "./outcome.ts";
import { systemClock } from "./ports.ts";
import type { Clock, ImageEngine, RegistryAuth, SecretsManagerPort } from "./ports.ts";
import { pullContainerImage } from "./pull.ts";
import type { PullOutcome } from "./pull.ts";
import { agentRetryPolicies, validateRetryPolicy } from "./retry.ts";
import type { RetryPolicy } from "./retry.ts";
import { asmCallErrorText, asmParseErrorText, toTaskReason } from "./sdk-error-text.ts";
import type { ErrorDialect } from "./sdk-error-text.ts";
import { registerTaskDefinition } from "./task-definition.ts";
import type { RegisterError, TaskDefinition } from "./task-definition.ts";
import { TraceRecorder } from "./trace.ts";
import type { AgentEvent, TraceStep } from "./trace.ts";
import { agentUsesSdkV2, fargateUsesFargateAgent } from "./versions.ts";

export type RunResult = "RUNNING" | "STOPPED" | "REJECTED" | "NOT_PLACED";

export const EXIT_CODES = { RUNNING: 0, REJECTED: 3, NOT_PLACED: 4, CREDENTIALS_FAILED: 5, PULL_FAILED: 6 } as const;
export type RunExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export interface RunTaskOptions {
  /** Default: the agent's policy (5 attempts, 1.1 s ×2). Tests and `--fast` pass fastRetryPolicies.pullRetry. */
  pullRetry?: RetryPolicy;
  manifestRetry?: RetryPolicy;
  onEvent?: (event: AgentEvent) => void;
  /** For reproducible jitter in tests. */
  random?: () => number;
  /** For reproducible ARNs in tests: the task id (32 hex) and container ids. */
  ids?: { taskId: string; containerIds?: string[] };
  /** Named in the service event of a placement failure. */
  serviceName?: string;
}

export interface RunTaskInput {
  /** JSON text or a parsed object: the --cli-input-json shape or a DescribeTaskDefinition output. */
  taskDefinition: unknown;
  launch?: LaunchContextInput;
  ports: { secretsManager: SecretsManagerPort; engine: ImageEngine; clock?: Clock };
  options?: RunTaskOptions;
}

export interface TaskRunResult {
  result: RunResult;
  exitCode: RunExitCode;
  launch: LaunchContext;
  task?: EcsTask;
  registerError?: RegisterError;
  placementFailure?: PlacementFailure;
  trace: TraceStep[];
  diagnosis?: Diagnosis;
  warnings: string[];
  /** Statements of the choices in this result that no public source settles. */
  inferred: string[];
}

const REDACTED = "********";

/** The dialect of the code path that reports credentials errors for this launch. */
export function errorDialect(launch: LaunchContext): ErrorDialect {
  if (launch.launchType === "FARGATE" && fargateUsesFargateAgent(launch.resolvedPlatformVersion ?? "")) {
    return { kind: "fargate-agent" };
  }
  return { kind: "ecs-agent", sdk: agentUsesSdkV2(launch.agentVersion) ? "v2" : "v1" };
}

export function credentialsErrorText(failure: CredentialsFailure, dialect: ErrorDialect): string {
  return failure.stage === "call"
    ? asmCallErrorText(failure.secretId, failure.region, failure.failure, dialect)
    : asmParseErrorText(failure.parse.message, dialect);
}

export async function runTask(input: RunTaskInput): Promise<TaskRunResult> {
  const launch = resolveLaunchContext(input.launch ?? {});
  const clock = input.ports.clock ?? systemClock;
  const options = input.options ?? {};
  const policies = {
    pullRetry: options.pullRetry ?? agentRetryPolicies.pullRetry,
    manifestRetry: options.manifestRetry ?? agentRetryPolicies.manifestRetry,
  };
  validateRetryPolicy("pullRetry", policies.pullRetry);
  validateRetryPolicy("manifestRetry", policies.manifestRetry);

  const trace = new TraceRecorder(clock, options.onEvent);
  const warnings: string[] = [];
  const inferred: string[] = [];
  const finish = (partial: Omit<TaskRunResult, "launch" | "trace" | "warnings" | "inferred">, secrets: RegistryAuth[] = []) =>
    redact({ ...partial, launch, trace: trace.steps, warnings, inferred }, secrets);

  // RegisterTaskDefinition
  const register = trace.begin("register");
  const registered = registerTaskDefinition(input.taskDefinition);
  if (!registered.ok) {
    const e = registered.error;
    register.end("failed", `${e.code}: ${e.message}${e.path ? ` (${e.path})` : ""}`, e.inferred);
    if (e.inferred) inferred.push(`The text "${e.message}" is our choice; no captured AWS text exists for this rule.`);
    return finish({ result: "REJECTED", exitCode: EXIT_CODES.REJECTED, registerError: e, diagnosis: diagnoseRegister(e) });
  }
  const td = registered.taskDefinition;
  register.end("ok", `${td.family}:${td.revision}, ${td.containerDefinitions.length} container(s)`);

  // RunTask placement
  const place = trace.begin("place", undefined, describeLaunch(launch));
  const gate = checkGates(td, launch, options.serviceName);
  if (!gate.ok) {
    const f = gate.failure;
    if (f.kind === "failures") {
      place.end("failed", `no container instance has ${f.missingAttribute}: failures ${JSON.stringify(f.failures)}`);
      inferred.push("The second sentence of the service event (closest matching container-instance) is inferred.");
    } else {
      place.end("failed", `${f.code}: ${f.message}`, true);
      inferred.push(`RunTask's ${f.code} text for this platform version is inferred (the model's text, no capture).`);
    }
    return finish({ result: "NOT_PLACED", exitCode: EXIT_CODES.NOT_PLACED, placementFailure: f, diagnosis: diagnosePlacement(f, launch) });
  }
  place.end("ok", describeLaunch(launch));

  const ids = {
    taskId: options.ids?.taskId ?? randomBytes(16).toString("hex"),
    containerIds: td.containerDefinitions.map((_, i) => options.ids?.containerIds?.[i] ?? randomUUID()),
  };
  const createdAt = clock.now();
  const dialect = errorDialect(launch);

  // The asm-auth resource: registry credentials from Secrets Manager.
  const plan = planCredentialFetches(td, launch.region);
  const asm = new AsmAuthResource(plan, input.ports.secretsManager, trace);
  if (plan.length === 0) {
    trace.skip("credentials", undefined, "no container has repositoryCredentials");
  } else {
    const fetched = await asm.create();
    if (!fetched.ok) {
      const failure = fetched.failure;
      const reason = toTaskReason(credentialsErrorText(failure, dialect));
      if (dialect.kind === "fargate-agent") {
        inferred.push("The Fargate agent's wording (SDK v1 text, retry count, parse-error wrapping) is inferred from posted task reasons.");
      }
      if (failure.stage === "call" && failure.failure.kind === "network") {
        inferred.push("The Go transport error text is rendered from Node's error (inferred wording).");
      }
      const endedAt = clock.now();
      const task = buildTask({ launch, taskDefinition: td, ids, status: "STOPPED", stoppedReason: reason, times: { createdAt, endedAt } });
      const fetchedSoFar = secretsOf(asm, td);
      asm.cleanup();
      return finish(
        { result: "STOPPED", exitCode: EXIT_CODES.CREDENTIALS_FAILED, task, diagnosis: diagnoseCredentials(failure, launch) },
        fetchedSoFar,
      );
    }
  }
  const secrets = secretsOf(asm, td);

  // Pulls. The agent pulls a task's images concurrently; we pull them one after another in task-definition order
  // so that traces and outputs are deterministic. Every container is pulled, as the agent's parallel pulls are.
  if (launch.launchType === "FARGATE" && dialect.kind === "fargate-agent") {
    warnings.push("Fargate 1.4.0 pulls through containerd with its own error texts; this version shows the EC2 agent's pull texts (containerd texts come next).");
  }
  const pullStartedAt = clock.now();
  const outcomes: PullOutcome[] = [];
  for (const container of td.containerDefinitions) {
    outcomes.push(
      await pullContainerImage({
        container: container.name,
        image: container.image,
        auth: asm.authFor(container.name),
        agentVersion: launch.agentVersion,
        policies,
        engine: input.ports.engine,
        clock,
        trace,
        ...(options.random ? { random: options.random } : {}),
      }),
    );
  }
  const pullStoppedAt = clock.now();

  const ends = new Map<string, ContainerEnd>();
  for (const o of outcomes) if (!o.ok) ends.set(o.container, { reason: o.reason });
  const essential = new Set(td.containerDefinitions.filter((c) => c.essential).map((c) => c.name));
  const firstEssentialFailure = outcomes.find(
    (o): o is Extract<PullOutcome, { ok: false }> => !o.ok && essential.has(o.container),
  );
  for (const o of outcomes) {
    if (!o.ok && !essential.has(o.container)) {
      warnings.push(`Non-essential container ${o.container} failed to pull; the task runs without it.`);
    }
  }

  if (firstEssentialFailure) {
    const endedAt = clock.now();
    inferred.push("The task's stoppedReason is the first failed essential container's reason (inferred).");
    trace.skip("start", undefined, `task stopped: essential container ${firstEssentialFailure.container} could not be pulled`);
    const task = buildTask({
      launch,
      taskDefinition: td,
      ids,
      status: "STOPPED",
      stoppedReason: firstEssentialFailure.reason,
      times: { createdAt, pullStartedAt, pullStoppedAt, endedAt },
      containerEnds: ends,
    });
    const image = td.containerDefinitions.find((c) => c.name === firstEssentialFailure.container)?.image ?? "";
    const diagnosis = diagnosePull(firstEssentialFailure, asm.authFor(firstEssentialFailure.container) !== undefined, image);
    asm.cleanup();
    return finish({ result: "STOPPED", exitCode: EXIT_CODES.PULL_FAILED, task, diagnosis }, secrets);
  }

  const start = trace.begin("start");
  const endedAt = clock.now();
  start.end("ok", "every image is pulled; ecs-pull does not start the containers, it reports the task RUNNING here");
  const task = buildTask({
    launch,
    taskDefinition: td,
    ids,
    status: "RUNNING",
    times: { createdAt, pullStartedAt, pullStoppedAt, endedAt },
    containerEnds: ends,
  });
  asm.cleanup();
  return finish({ result: "RUNNING", exitCode: EXIT_CODES.RUNNING, task }, secrets);
}

function secretsOf(asm: AsmAuthResource, td: TaskDefinition): RegistryAuth[] {
  return td.containerDefinitions.map((c) => asm.authFor(c.name)).filter((a): a is RegistryAuth => a !== undefined);
}

function describeLaunch(launch: LaunchContext): string {
  return launch.launchType === "FARGATE"
    ? `FARGATE platform ${launch.platformVersion} (${launch.resolvedPlatformVersion}) in ${launch.region}`
    : `${launch.launchType} agent ${launch.agentVersion} in ${launch.region}, cluster ${launch.cluster}`;
}

/**
 * Last line of defence: no password may leave in the result, even if an engine adapter echoed one into an error.
 * Passwords shorter than 4 characters are not searched for (they would blank out ordinary words).
 */
function redact<T>(value: T, secrets: RegistryAuth[]): T {
  const needles = [...new Set(secrets.map((s) => s.password).filter((p) => p.length >= 4))];
  if (needles.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return needles.reduce((s, n) => s.split(n).join(REDACTED), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
