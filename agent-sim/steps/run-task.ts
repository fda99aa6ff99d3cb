// One simulated ECS launch, end to end, as named steps: register → place → assume role + credentials (+ parse) → manifest and pull → "start".
// Each step is a pure module or goes through the ports; this file only sequences them and shapes the result the
// CLI prints. Exit codes: 0 RUNNING, 3 rejected at registration, 4 not placed, 5 credentials failed, 6 pull failed.
// An EnvironmentError thrown by a port propagates (the CLI maps it to 1). The launch context comes resolved (the
// caller ran resolveLaunchContext once, where a bad value is a LaunchContextError: a usage error).
import { randomBytes, randomUUID } from "node:crypto";
import { AsmAuthResource } from "./asm-auth.ts";
import type { CredentialsFailure } from "./asm-auth.ts";
import { planCredentialFetches } from "./credentials.ts";
import { diagnoseCredentials, diagnoseEngineAuthPull, diagnosePlacement, diagnosePull, diagnoseRegister, diagnoseStaleCredentials } from "../diagnosis/diagnosis.ts";
import type { Diagnosis } from "../diagnosis/diagnosis.ts";
import { createHttpDistribution } from "../adapters/distribution/http-resolver.ts";
import type { DistributionPort } from "../adapters/distribution/port.ts";
import { ENGINE_AUTH_FARGATE_IGNORED, engineAuthSecrets, matchEngineAuth, parseEngineAuth } from "./engine-auth.ts";
import type { EngineAuthMatch, ParsedEngineAuth } from "./engine-auth.ts";
import { pullFargateImage } from "./fargate-pull.ts";
import { checkGates } from "./gates.ts";
import type { PlacementFailure } from "./gates.ts";
import { resolveLaunchContext } from "../profile/launch-context.ts";
import type { LaunchContext } from "../profile/launch-context.ts";
import { buildTask } from "./outcome.ts";
import type { ContainerEnd, EcsTask } from "./outcome.ts";
import { AUTH_CONFIG_EXTRA_FIELDS, EngineError, simulatedClock, systemClock } from "../ports.ts";
import { createImageState } from "../ports.ts";
import type { Clock, ExecutionRolePort, ExecutionRoleSession, ImageEngine, ImageStatePort, RegistryAuth, SecretsManagerPort } from "../ports.ts";
import { agentPullTimers, canonicalRef, pullInactivityNote, digestOf, imagePullRequired, pullFailureStopsTask } from "./image-pull-behavior.ts";
import { UnableToAssumeRoleError } from "./execution-role.ts";
import { diagnoseNoRoleCredentials, diagnoseUntrustedRole } from "../diagnosis/diagnosis.ts";
import { explainCredentialsFailure, explainNotFound } from "../diagnosis/explain.ts";
import type { IamReaderPort } from "../adapters/iam-reader.ts";
import { ASM, CREATE, IMAGE_PULL_BEHAVIOR, PULL, RUN_TASK } from "../texts/agent.ts";
import { withPullTimeouts } from "./pull-timeouts.ts";
import { pullContainerImage } from "./pull.ts";
import type { PullOutcome } from "./pull.ts";
import { agentRetryPolicies, validateRetryPolicy } from "./retry.ts";
import type { RetryPolicies, RetryPolicy } from "./retry.ts";
import { asmCallErrorText, asmParseErrorText, toTaskReason } from "../texts/sdk-error.ts";
import type { ErrorDialect } from "../texts/sdk-error.ts";
import { expandRoleArn, registerTaskDefinition } from "./task-definition.ts";
import type { RegisterError, TaskDefinition } from "./task-definition.ts";
import { REDACTED, TraceRecorder, redactPasswords } from "./trace.ts";
import type { AgentEvent, TraceStep } from "./trace.ts";
import { agentProfile } from "../profile/agent-profile.ts";
import type { AgentProfile } from "../profile/agent-profile.ts";

export type RunResult = "RUNNING" | "STOPPED" | "REJECTED" | "NOT_PLACED";

export const EXIT_CODES = { RUNNING: 0, REJECTED: 3, NOT_PLACED: 4, CREDENTIALS_FAILED: 5, PULL_FAILED: 6 } as const;
export type RunExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export interface RunTaskOptions {
  /** Default: the agent's policy (5 attempts, 1.1 s ×2, ±20 %). */
  pullRetry?: RetryPolicy;
  manifestRetry?: RetryPolicy;
  onEvent?: (event: AgentEvent) => void;
  /**
   * Wait out the agent's backoff between attempts in real time. Default false: the waits run on a simulated clock
   * (ports.ts simulatedClock) — same attempts, delays and jitter, reported in the trace as agent time, no sleeping.
   * Timeouts measured against the engine's progress keep real time either way. A ports.clock given wins.
   */
  realTime?: boolean;
  /** For reproducible jitter in tests. */
  random?: () => number;
  /** For reproducible ARNs in tests: the task id (32 hex) and container ids. */
  ids?: { taskId: string; containerIds?: string[] };
  /** The service placing the task, named in the service event of a placement failure; none for a standalone RunTask. */
  serviceName?: string;
  /**
   * `ecs-pull explain`: stop once the credentials are fetched and parsed, before any manifest check or pull. A
   * launch that gets that far ends RUNNING with exit code 0 and no task.
   */
  stopBeforePull?: boolean;
  /**
   * ECS_IMAGE_PULL_INACTIVITY_TIMEOUT (EC2/EXTERNAL) as the instance sets it: one pull attempt whose progress stays
   * quiet this long fails with `context canceled`. The agent reads it as its config does: 0 or unset → the default
   * (1m; Windows 3m), below 1m → 1m with the agent's warning.
   */
  pullInactivityTimeoutMs?: number;
  /**
   * ECS_MANIFEST_PULL_TIMEOUT (EC2/EXTERNAL) as the instance sets it: one limit for the manifest check; 0 or unset →
   * 1m, below 30s → 30s with the agent's warning.
   */
  manifestPullTimeoutMs?: number;
  /**
   * Tests and scenario --fast: the timers themselves, in place of the agent's (which have minimums of a minute). Not
   * an agent setting; the trace and warnings still show the configured values.
   */
  timerOverrides?: { inactivityMs?: number; manifestPullMs?: number; pullBeginMs?: number };
  /**
   * ECS_IMAGE_PULL_TIMEOUT (EC2/EXTERNAL): one limit for all of an image's pull attempts and the waits between them;
   * default the agent's 2 hours. Reached → `DockerTimeoutError: Could not transition to pulled; timed out after ...`.
   */
  pullTimeoutMs?: number;
}

export interface RunTaskInput {
  /** JSON text or a parsed object: the --cli-input-json shape or a DescribeTaskDefinition output. */
  taskDefinition: unknown;
  /** Resolved once by the caller (resolveLaunchContext, which raises LaunchContextError); default: the defaults. */
  launch?: LaunchContext;
  ports: {
    secretsManager: SecretsManagerPort;
    engine: ImageEngine;
    clock?: Clock;
    /** Fargate >= 1.4.0 resolves manifests over the registry's API; default: the HTTP client. */
    distribution?: DistributionPort;
    /** The agent's image state (ECS_IMAGE_PULL_BEHAVIOR=once); default a fresh agent that has pulled nothing. */
    imageState?: ImageStatePort;
    /**
     * How ECS assumes the task's execution role before the credentials step. Absent: no assume-role step, and
     * Secrets Manager is called with the port's own credentials (tests of the other steps).
     */
    executionRole?: ExecutionRolePort;
    /**
     * Reads the policies behind an IAM/KMS denial, for the statement-level diagnosis; `endpoint` as called. With a
     * reader that can look around, a bare name not found is also looked for in `regions` (the run's) and common ones.
     */
    iam?: { reader: IamReaderPort; endpoint?: string; regions?: readonly string[] };
  };
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

/** The dialect of the code path that reports credentials errors for this launch. */
export function errorDialect(launch: LaunchContext): ErrorDialect {
  return agentProfile(launch).dialect;
}

export function credentialsErrorText(failure: CredentialsFailure, dialect: ErrorDialect): string {
  return failure.stage === "call"
    ? asmCallErrorText(failure.secretId, failure.region, failure.failure, dialect)
    : asmParseErrorText(failure.parse.message, dialect);
}

/** One run's state as its steps pass it along: the resolved launch and its agent profile, the trace, the result's notes. */
interface Run {
  input: RunTaskInput;
  launch: LaunchContext;
  /** What this launch's agent does differently, read once; the steps read it, not version numbers. */
  profile: AgentProfile;
  clock: Clock;
  options: RunTaskOptions;
  policies: RetryPolicies;
  trace: TraceRecorder;
  warnings: string[];
  inferred: string[];
  /** ECS_ENGINE_AUTH_DATA, parsed up front as the agent does at start-up (EC2/EXTERNAL only). */
  engineAuth: ParsedEngineAuth | undefined;
  /** The result, with every password the run saw (and `secrets`) redacted. */
  finish(partial: Omit<TaskRunResult, "launch" | "trace" | "warnings" | "inferred">, secrets?: RegistryAuth[]): TaskRunResult;
}

/** The task being launched once it is placed: its ids and creation time. */
interface Launched {
  td: TaskDefinition;
  ids: { taskId: string; containerIds: string[] };
  createdAt: number;
}

/** register → place → assume the execution role → credentials (+ parse) → manifest and pull → start. */
export async function runTask(input: RunTaskInput): Promise<TaskRunResult> {
  const run = startRun(input);
  const registered = registerStep(run);
  if (!registered.ok) return registered.result;
  const placed = placeStep(run, registered.td);
  if (!placed.ok) return placed.result;
  const task = placed.task;
  const credentials = await credentialsStep(run, task);
  if (!credentials.ok) return credentials.result;
  if (run.options.stopBeforePull) {
    run.trace.skip("start", undefined, "explain: stopped before the manifest check and the pull");
    credentials.asm.cleanup();
    return run.finish({ result: "RUNNING", exitCode: EXIT_CODES.RUNNING }, credentials.secrets);
  }
  const result = await pullAndStartStep(run, task, credentials.asm);
  credentials.asm.cleanup();
  return run.finish(result, credentials.secrets);
}

/** The launch context resolved once, its profile, the options checked, and the trace begun. */
function startRun(input: RunTaskInput): Run {
  const launch = input.launch ?? resolveLaunchContext();
  const options = input.options ?? {};
  const policies = {
    pullRetry: options.pullRetry ?? agentRetryPolicies.pullRetry,
    manifestRetry: options.manifestRetry ?? agentRetryPolicies.manifestRetry,
  };
  validateRetryPolicy("pullRetry", policies.pullRetry);
  validateRetryPolicy("manifestRetry", policies.manifestRetry);
  for (const [name, ms] of [["pullInactivityTimeoutMs", options.pullInactivityTimeoutMs], ["manifestPullTimeoutMs", options.manifestPullTimeoutMs], ["pullTimeoutMs", options.pullTimeoutMs]] as const) {
    const min = name === "pullTimeoutMs" ? 1 : 0;
    if (ms !== undefined && !(Number.isFinite(ms) && ms >= min)) throw new RangeError(`${name} must be a number of milliseconds >= ${min}`);
  }
  const clock = input.ports.clock ?? (options.realTime ? systemClock : simulatedClock());
  const trace = new TraceRecorder(clock, options.onEvent);
  const warnings: string[] = [];
  const inferred: string[] = [];
  // ECS_ENGINE_AUTH_DATA holds passwords: the result shows the type only, and its passwords are redacted too.
  const publicLaunch: LaunchContext = launch.engineAuth ? { ...launch, engineAuth: { type: launch.engineAuth.type, data: REDACTED } } : launch;
  // Parsed up front as the agent does at start-up; its warnings and trace step come after placement.
  const engineAuth = launch.engineAuth && launch.launchType !== "FARGATE" ? parseEngineAuth(launch.engineAuth) : undefined;
  if (engineAuth) trace.hide(engineAuthSecrets(engineAuth));
  const finish: Run["finish"] = (partial, secrets = []) => {
    trace.hide(secrets);
    return redactPasswords({ ...partial, launch: publicLaunch, trace: trace.steps, warnings, inferred }, trace.hiddenPasswords);
  };
  return { input, launch, profile: agentProfile(launch), clock, options, policies, trace, warnings, inferred, engineAuth, finish };
}

type StepEnd<T> = ({ ok: true } & T) | { ok: false; result: TaskRunResult };

/** RegisterTaskDefinition's checks. */
function registerStep(run: Run): StepEnd<{ td: TaskDefinition }> {
  const register = run.trace.begin("register");
  const registered = registerTaskDefinition(run.input.taskDefinition);
  if (!registered.ok) {
    const e = registered.error;
    register.end("failed", `${e.code}: ${e.message}${e.path ? ` (${e.path})` : ""}`, e.inferred);
    if (e.inferred) run.inferred.push(`The text "${e.message}" is our choice; no captured AWS text exists for this rule.`);
    return { ok: false, result: run.finish({ result: "REJECTED", exitCode: EXIT_CODES.REJECTED, registerError: e, diagnosis: diagnoseRegister(e) }) };
  }
  const td = registered.taskDefinition;
  register.end("ok", `${td.family}:${td.revision}, ${td.containerDefinitions.length} container(s)`);
  return { ok: true, td };
}

/** RunTask's placement: the gates of the launch type and version; then the instance's engine auth setting. */
function placeStep(run: Run, td: TaskDefinition): StepEnd<{ task: Launched }> {
  const { launch, trace, options } = run;
  const place = trace.begin("place", undefined, describeLaunch(launch));
  const gate = checkGates(td, launch, options.serviceName);
  if (!gate.ok) {
    const f = gate.failure;
    if (f.kind === "failures") {
      place.end("failed", `no container instance has ${f.missingAttribute}: failures ${JSON.stringify(f.failures)}`);
      if (f.serviceEvent) run.inferred.push("The second sentence of the service event (closest matching container-instance) is inferred.");
    } else {
      place.end("failed", `${f.code}: ${f.message}`, true);
      run.inferred.push(
        f.failureCode === "gate-fargate-incompatible"
          ? `RunTask's ${f.code} text for a launch type the task definition does not support is inferred: the captured text is UpdateService's (the same validation).`
          : `RunTask's ${f.code} text for this platform version is inferred (the model's text, no capture).`,
      );
    }
    return { ok: false, result: run.finish({ result: "NOT_PLACED", exitCode: EXIT_CODES.NOT_PLACED, placementFailure: f, diagnosis: diagnosePlacement(f, launch) }) };
  }
  place.end("ok", describeLaunch(launch));
  recordEngineAuthSetting(launch, run.engineAuth, trace, run.warnings);
  const ids = {
    taskId: options.ids?.taskId ?? randomBytes(16).toString("hex"),
    containerIds: td.containerDefinitions.map((_, i) => options.ids?.containerIds?.[i] ?? randomUUID()),
  };
  return { ok: true, task: { td, ids, createdAt: run.clock.now() } };
}

/** The asm-auth resource: ECS assumes the execution role, then registry credentials from Secrets Manager as that role. */
async function credentialsStep(run: Run, task: Launched): Promise<StepEnd<{ asm: AsmAuthResource; secrets: RegistryAuth[] }>> {
  const { launch, trace, clock, input } = run;
  const { td, ids, createdAt } = task;
  const dialect = run.profile.dialect;
  const plan = planCredentialFetches(td, launch.region);
  let session: ExecutionRoleSession | undefined;
  const roleArn = td.executionRoleArn ? expandRoleArn(td.executionRoleArn, launch.account) : undefined;
  if (plan.length > 0 && input.ports.executionRole && roleArn) {
    const assumed = await assumeExecutionRole(input.ports.executionRole, roleArn, launch.region, ids.taskId, trace);
    if (assumed.kind === "untrusted") {
      const placementFailure = { kind: "exception" as const, code: "ClientException" as const, message: RUN_TASK.unableToAssumeRole(roleArn), failureCode: "gate-untrusted-role" as const };
      return { ok: false, result: run.finish({ result: "NOT_PLACED", exitCode: EXIT_CODES.NOT_PLACED, placementFailure, diagnosis: diagnoseUntrustedRole(roleArn) }) };
    }
    if (assumed.kind === "none") {
      const dialected = dialect.kind === "fargate-agent" ? asmParseErrorText(ASM.noExecutionRoleCredentials, dialect) : ASM.noExecutionRoleCredentials;
      const stopped = buildTask({ launch, taskDefinition: td, ids, status: "STOPPED", stoppedReason: toTaskReason(dialected), times: { createdAt, endedAt: clock.now() } });
      return { ok: false, result: run.finish({ result: "STOPPED", exitCode: EXIT_CODES.CREDENTIALS_FAILED, task: stopped, diagnosis: diagnoseNoRoleCredentials(roleArn) }) };
    }
    session = assumed.session;
  }
  const asm = new AsmAuthResource(plan, input.ports.secretsManager, trace, session, run.profile.secretsManager);
  if (plan.length === 0) {
    trace.skip("credentials", undefined, "no container has repositoryCredentials");
  } else {
    const fetched = await asm.create();
    if (!fetched.ok) {
      const failure = fetched.failure;
      const reason = toTaskReason(credentialsErrorText(failure, dialect));
      if (dialect.kind === "fargate-agent") {
        run.inferred.push("The Fargate agent's wording (SDK v1 text, retry count, parse-error wrapping) is inferred from posted task reasons.");
      }
      if (failure.stage === "call" && failure.failure.kind === "network") {
        run.inferred.push("The Go transport error text is rendered from Node's error (inferred wording).");
      }
      const endedAt = clock.now();
      const stopped = buildTask({ launch, taskDefinition: td, ids, status: "STOPPED", stoppedReason: reason, times: { createdAt, endedAt } });
      const fetchedSoFar = secretsOf(asm, td);
      asm.cleanup();
      const diagnosis = await explainCredentials(run, td, failure, session, roleArn);
      return { ok: false, result: run.finish({ result: "STOPPED", exitCode: EXIT_CODES.CREDENTIALS_FAILED, task: stopped, diagnosis }, fetchedSoFar) };
    }
  }
  const secrets = secretsOf(asm, td);
  trace.hide(secrets);
  return { ok: true, asm, secrets };
}

/** The diagnosis of a credentials failure; with an IAM reader, the statements behind a denial or a name not found. */
async function explainCredentials(run: Run, td: TaskDefinition, failure: CredentialsFailure, session: ExecutionRoleSession | undefined, roleArn: string | undefined): Promise<Diagnosis> {
  const { launch } = run;
  let diagnosis = diagnoseCredentials(failure, launch);
  const iam = run.input.ports.iam;
  if (iam && session && failure.stage === "call" && failure.failure.kind === "service") {
    diagnosis = await explainCredentialsFailure({ diagnosis, failure, session, reader: iam.reader, ...(iam.endpoint !== undefined && { endpoint: iam.endpoint }), ...(td.taskRoleArn && { taskRoleArn: expandRoleArn(td.taskRoleArn, launch.account) }) });
  }
  if (iam && failure.stage === "call" && failure.failure.code === "ResourceNotFoundException") {
    diagnosis = await explainNotFound({ diagnosis, failure, reader: iam.reader, account: launch.account, regions: [launch.region, ...(iam.regions ?? [])], ...(roleArn && { roleArn }) });
  }
  return diagnosis;
}

/** Every container's manifest check and pull, then the task RUNNING, or STOPPED by its first failed essential container. */
async function pullAndStartStep(run: Run, task: Launched, asm: AsmAuthResource): Promise<Omit<TaskRunResult, "launch" | "trace" | "warnings" | "inferred">> {
  const { launch, trace, clock } = run;
  const { td, ids, createdAt } = task;
  const pullStartedAt = clock.now();
  const { outcomes, engineMatches } = await pullContainers(run, td, asm);
  const pullStoppedAt = clock.now();

  const ends = new Map<string, ContainerEnd>();
  for (const o of outcomes) {
    if (!o.ok) ends.set(o.container, { reason: o.reason });
    else if (o.imageDigest !== undefined) ends.set(o.container, { imageDigest: o.imageDigest });
  }
  const essential = new Set(td.containerDefinitions.filter((c) => c.essential).map((c) => c.name));
  const firstEssentialFailure = outcomes.find(
    (o): o is Extract<PullOutcome, { ok: false }> => !o.ok && !o.runsAnyway && essential.has(o.container),
  );
  for (const o of outcomes) {
    if (!o.ok && !o.runsAnyway && !essential.has(o.container)) {
      run.warnings.push(`Non-essential container ${o.container} failed to pull; the task runs without it.`);
    }
  }

  if (firstEssentialFailure) {
    const endedAt = clock.now();
    run.inferred.push("The task's stoppedReason is the first failed essential container's reason.");
    trace.skip("start", undefined, `task stopped: essential container ${firstEssentialFailure.container} ${firstEssentialFailure.createError ? "could not be created" : "could not be pulled"}`);
    const stopped = buildTask({
      launch,
      taskDefinition: td,
      ids,
      status: "STOPPED",
      stoppedReason: firstEssentialFailure.reason,
      times: { createdAt, pullStartedAt, pullStoppedAt, endedAt },
      containerEnds: ends,
    });
    const image = td.containerDefinitions.find((c) => c.name === firstEssentialFailure.container)?.image ?? "";
    const match = engineMatches.get(firstEssentialFailure.container);
    const pulled = diagnosePull(firstEssentialFailure, (match ? match.auth : asm.authFor(firstEssentialFailure.container)) !== undefined, image);
    let diagnosis = match && run.engineAuth ? diagnoseEngineAuthPull(pulled, run.engineAuth, match, image) : pulled;
    // A password the registry refused, from a secret: its versions and rotation may say why (metadata only).
    const credentialsParameter = td.containerDefinitions.find((c) => c.name === firstEssentialFailure.container)?.repositoryCredentials?.credentialsParameter;
    const reader = run.input.ports.iam?.reader;
    if (!match && credentialsParameter && reader?.history && diagnosis.failureCode === "pull-bad-password") {
      diagnosis = diagnoseStaleCredentials(diagnosis, credentialsParameter, await reader.history(credentialsParameter, launch.region).catch(() => undefined));
    }
    return { result: "STOPPED", exitCode: EXIT_CODES.PULL_FAILED, task: stopped, diagnosis };
  }

  const start = trace.begin("start");
  const endedAt = clock.now();
  start.end("ok", "every image is pulled; ecs-pull does not start the containers, it reports the task RUNNING here");
  const running = buildTask({
    launch,
    taskDefinition: td,
    ids,
    status: "RUNNING",
    times: { createdAt, pullStartedAt, pullStoppedAt, endedAt },
    containerEnds: ends,
  });
  return { result: "RUNNING", exitCode: EXIT_CODES.RUNNING, task: running };
}

/**
 * The pulls. The agent pulls a task's images concurrently; we pull them one after another in task-definition order
 * so that traces and outputs are deterministic. Every container is pulled, as the agent's parallel pulls are.
 */
async function pullContainers(run: Run, td: TaskDefinition, asm: AsmAuthResource): Promise<{ outcomes: PullOutcome[]; engineMatches: Map<string, EngineAuthMatch> }> {
  const { input, options, trace, profile } = run;
  // Which credentials each container pulls with: repositoryCredentials ⇒ only those; otherwise the engine auth of
  // an EC2/EXTERNAL instance (§8); otherwise none.
  const engineMatches = new Map<string, EngineAuthMatch>();
  const pullAuth = (name: string, image: string, hasRepositoryCredentials: boolean) => {
    if (hasRepositoryCredentials || !run.engineAuth) return { auth: asm.authFor(name), source: "repositoryCredentials" as const };
    const match = matchEngineAuth(image, run.engineAuth);
    engineMatches.set(name, match);
    trace.skip("credentials", name, describeEngineAuthMatch(match, image));
    return { auth: match.auth, source: "ECS_ENGINE_AUTH_DATA" as const };
  };
  const distribution = profile.pullPath === "containerd" ? (input.ports.distribution ?? createHttpDistribution()) : undefined;
  const timers = agentPullTimers(profile.pullTimers, {
    ...(options.pullInactivityTimeoutMs !== undefined && { inactivityMs: options.pullInactivityTimeoutMs }),
    ...(options.manifestPullTimeoutMs !== undefined && { manifestPullMs: options.manifestPullTimeoutMs }),
    ...(options.pullTimeoutMs !== undefined && { pullTimeoutMs: options.pullTimeoutMs }),
  });
  if (!distribution) run.warnings.push(...timers.warnings);
  const overrides = options.timerOverrides ?? {};
  const pullEngine = withPullTimeouts(input.ports.engine, {
    inactivityMs: overrides.inactivityMs ?? timers.inactivityMs,
    pullBeginMs: overrides.pullBeginMs ?? profile.pullTimers.pullBeginMs,
  });
  const imageState = input.ports.imageState ?? createImageState();
  const behavior = profile.imagePullBehavior;
  const outcomes: PullOutcome[] = [];
  for (const container of td.containerDefinitions) {
    const { auth, source } = pullAuth(container.name, container.image, container.repositoryCredentials !== undefined);
    if (distribution) {
      const fargate = await pullFargateImage({ container: container.name, image: container.image, auth, distribution, engine: input.ports.engine, trace });
      for (const statement of fargate.inferred) if (!run.inferred.includes(statement)) run.inferred.push(statement);
      outcomes.push(fargate.outcome);
      continue;
    }
    outcomes.push(await pullOneContainer(run, container.name, container.image, auth, source, { pullEngine, imageState, timers, overrides, behavior }));
  }
    return { outcomes, engineMatches };
}

/**
 * One container on the Docker path, as the agent's task engine takes it: pull or not (ECS_IMAGE_PULL_BEHAVIOR),
 * the manifest check (skipped for a digest reference, agent/engine/docker_task_engine.go pullContainerManifest),
 * the pull, and after a failure either the task stops (always/once) or the agent creates the container anyway
 * (default/prefer-cached, agent/engine/task_manager.go handleEventError): the real engine's store decides.
 */
async function pullOneContainer(
  run: Run,
  name: string,
  image: string,
  auth: RegistryAuth | undefined,
  source: "repositoryCredentials" | "ECS_ENGINE_AUTH_DATA",
  with_: { pullEngine: ImageEngine; imageState: ImageStatePort; timers: ReturnType<typeof agentPullTimers>; overrides: NonNullable<RunTaskOptions["timerOverrides"]>; behavior: AgentProfile["imagePullBehavior"] },
): Promise<PullOutcome> {
  const { trace, profile, options, input } = run;
  const { pullEngine, imageState, timers, overrides, behavior } = with_;
  const needed = await imagePullRequired(behavior, image, imageState, input.ports.engine);
  if (!needed.required) {
    trace.skip("manifest", name, `${needed.why}; no manifest check`);
    trace.skip("pull", name, `${needed.why}; the cached image is used`);
    return { ok: true, container: name, attempts: { manifest: 0, pull: 0 } };
  }
  const digest = digestOf(image);
  const pullRef = canonicalRef(image);
  const proceed = !pullFailureStopsTask(behavior);
  const outcome = await pullContainerImage({
    container: name,
    image,
    auth,
    authSource: source,
    profile,
    policies: run.policies,
    engine: pullEngine,
    clock: run.clock,
    trace,
    ...(options.random ? { random: options.random } : {}),
    pullTimeoutMs: timers.pullTimeoutMs,
    manifestPullTimeoutMs: overrides.manifestPullMs ?? timers.manifestPullMs,
    ...(digest !== undefined && profile.checksManifest && { skipManifest: `${image} names a digest (${digest}): no manifest check` }),
    ...(pullRef !== undefined && { pullRef }),
    proceedAfterFailure: proceed,
    onPulled: (pulled) => imageState.recordPull(pulled),
    inactivityNote: pullInactivityNote(profile.pullTimers, options.pullInactivityTimeoutMs, timers.inactivityMs, overrides.inactivityMs),
  });
  if (outcome.ok) return outcome;
  if (!proceed) {
    trace.skip("start", name, `${IMAGE_PULL_BEHAVIOR.env}=${behavior}: ${IMAGE_PULL_BEHAVIOR.movingToStopped}`);
    return outcome;
  }
  // default / prefer-cached: "will try to run anyway". The container's reason stays the first error (ApplyingError).
  const create = trace.begin("start", name, `${IMAGE_PULL_BEHAVIOR.env}=${behavior}: ${IMAGE_PULL_BEHAVIOR.tryToRunAnyway}; ContainerCreate ${image}`);
  try {
    await input.ports.engine.createContainer(image);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    create.end("failed", `${PULL.named(CREATE.cannotCreateContainer, error.message)}; the container's reason stays its first error`);
    return { ...outcome, createError: PULL.named(CREATE.cannotCreateContainer, error.message) };
  }
  create.end("ok", `${image}: the engine holds the image; the container is created and runs, its reason still the pull's error`);
  const kept = "A container that runs after a failed pull keeps the pull's error as its reason (the agent sends its first ApplyingError; how ECS shows it is not public).";
  if (!run.inferred.includes(kept)) run.inferred.push(kept);
  return { ...outcome, runsAnyway: true };
}

type Assumed = { kind: "ok"; session: ExecutionRoleSession } | { kind: "untrusted" } | { kind: "none" };

/** ECS assumes the execution role for the task (session name: the task id, as in real session ARNs). */
async function assumeExecutionRole(port: ExecutionRolePort, roleArn: string, region: string, taskId: string, trace: TraceRecorder): Promise<Assumed> {
  const step = trace.begin("assume-role", undefined, `${roleArn} as ecs-tasks.amazonaws.com`);
  let session: ExecutionRoleSession | undefined;
  try {
    session = await port.assumeRole({ roleArn, region, sessionName: taskId });
  } catch (error) {
    if (!(error instanceof UnableToAssumeRoleError)) throw error;
    step.end("failed", `${roleArn}: ${error.stsError}`);
    return { kind: "untrusted" };
  }
  if (!session) {
    step.end("failed", `${roleArn}: no credentials returned`);
    return { kind: "none" };
  }
  step.end("ok", `${roleArn}: session ${session.sessionArn}`);
  return { kind: "ok", session };
}

function secretsOf(asm: AsmAuthResource, td: TaskDefinition): RegistryAuth[] {
  return td.containerDefinitions.map((c) => asm.authFor(c.name)).filter((a): a is RegistryAuth => a !== undefined);
}

/**
 * The instance's ECS_ENGINE_AUTH_TYPE/DATA in the trace, and the agent's parse warnings in the result. Fargate has
 * no such setting: ignored with a warning.
 */
function recordEngineAuthSetting(launch: LaunchContext, parsed: ParsedEngineAuth | undefined, trace: TraceRecorder, warnings: string[]): void {
  if (!launch.engineAuth) return;
  if (launch.launchType === "FARGATE") {
    warnings.push(ENGINE_AUTH_FARGATE_IGNORED);
    trace.skip("credentials", undefined, ENGINE_AUTH_FARGATE_IGNORED);
    return;
  }
  if (!parsed) return;
  warnings.push(...parsed.warnings);
  const keys = parsed.entries.map((e) => e.key);
  const step = trace.begin("credentials", undefined, `ECS_ENGINE_AUTH_TYPE=${parsed.type}`);
  step.end(
    "ok",
    `ECS_ENGINE_AUTH_TYPE=${parsed.type}: ${keys.length} registry key(s)${keys.length ? ` (${keys.join(", ")})` : ""}` +
      (parsed.warnings.length ? `; agent warnings: ${parsed.warnings.join(" | ")}` : ""),
  );
}

function describeEngineAuthMatch(match: EngineAuthMatch, image: string): string {
  const where = `ECS_ENGINE_AUTH_DATA for ${image} (registry ${match.host})`;
  if (match.rule === "none") return `${where}: no matching key, pulling anonymously`;
  const why = { "docker-hub": "Docker Hub key", namespace: "longest host/namespace prefix", host: "exact host key", "same-host": "a key on the same host" }[match.rule];
  const order = match.mapOrderPicks ? `; the agent's own pick depends on Go's map order: one of ${match.mapOrderPicks.map((k) => `"${k}"`).join(", ")}` : "";
  const fields = match.auth ? AUTH_CONFIG_EXTRA_FIELDS.filter((f) => match.auth![f]) : [];
  const passed = fields.length ? `; passes ${fields.join(", ")} to Docker` : "";
  return `${where}: key "${match.key}" (${why})${match.auth ? "" : ", empty username and password: anonymous"}${passed}${order}`;
}

function describeLaunch(launch: LaunchContext): string {
  return launch.launchType === "FARGATE"
    ? `FARGATE platform ${launch.platformVersion} (${launch.resolvedPlatformVersion}) in ${launch.region}`
    : `${launch.launchType} agent ${launch.agentVersion} in ${launch.region}, cluster ${launch.cluster}`;
}

