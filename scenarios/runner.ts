// Runs scenarios: builds each one's world fresh (emulator + registry), launches the task for every launch context
// with the real SDK port and the real Docker engine, compares the outcome with the expectation byte for byte
// (placeholders filled), and returns a structured report. Everything started is stopped; pulled images removed.
import { randomBytes } from "node:crypto";
import { createAgentPorts, lazyDockerEngine, parseGoDuration, redactPasswords, resolveLaunchContext, runTask } from "../agent-sim/index.ts";
import type { AgentEvent, LaunchContextInput, TaskRunResult } from "../agent-sim/index.ts";
import { expectationOf, type LoadedScenario } from "./load.ts";
import { fillDeep, fillPlaceholders, matchesTemplate, type Bindings } from "./placeholders.ts";
import type { Expectation, Scenario, ScenarioRun } from "./schema.ts";
import { startOrder } from "./schedule.ts";
import { buildWorld, DEFAULT_REGION, type BuiltWorld } from "./world.ts";

export interface RunScenarioOptions {
  /**
   * Wait out the agent's backoff in real time and keep the agent's own timeouts in the deliberately slow worlds.
   * Default: the agent's attempts, delays and jitter on simulated agent time (reported in the trace, not slept), and
   * the two real-time timeouts those worlds run into on purpose capped (a silent Secrets Manager: 300 ms per
   * attempt; a declared ECS_IMAGE_PULL_INACTIVITY_TIMEOUT: 1 s). Outcomes are the same either way.
   */
  realTime?: boolean;
  /** The old name of the default; ignored (kept so that callers passing it keep working). */
  fast?: boolean;
  /** Progress of each run's agent steps. */
  onEvent?: (run: string, event: AgentEvent) => void;
  /** Before each run starts. */
  onRunStart?: (run: string) => void;
  /** Once the world is built: its placeholder bindings (names and ARNs, never a secret). */
  onWorld?: (bindings: ReadonlyMap<string, string>) => void;
  /** Each run's full result (trace, task, diagnosis), secrets redacted. */
  onResult?: (run: string, result: TaskRunResult) => void;
  /**
   * Explain failures as `ecs-pull run` does (default on): IAM/KMS denials by statement (the diagnosis carries the
   * explanation and the precise catalogue row), a bare name not found looked for in other regions and accounts.
   */
  explain?: boolean;
}

/** The outcome of one run, reduced to what the expectation speaks of. Never holds a password or secret value. */
export interface ActualOutcome {
  result: TaskRunResult["result"];
  exitCode: number;
  failureCode?: string;
  stoppedReason?: string;
  containers: Record<string, string>;
  registerError?: string;
  placement?: string;
  warnings: string[];
  getSecretValueCalls: number;
  /** Requests the Secrets Manager fault proxy saw (worlds with one only). */
  secretsManagerRequests?: number;
  diagnosis?: { step: string; cause: string; fix: string };
  inferred: string[];
}

export interface Mismatch {
  field: string;
  /** The expectation with its placeholders filled ({requestId} stays as a wildcard). */
  expected: unknown;
  actual: unknown;
}

export interface RunReport {
  label: string;
  launch: ScenarioRun["launch"];
  passed: boolean;
  mismatches: Mismatch[];
  actual?: ActualOutcome;
  /** The run could not happen (world or tool failure), in one line. */
  error?: string;
  durationMs: number;
}

export type ScenarioStatus = "passed" | "failed" | "pending" | "error";

export interface ScenarioReport {
  id: string;
  title: string;
  section: Scenario["section"];
  source: string;
  status: ScenarioStatus;
  /** Why the scenario did not run (status pending). */
  pending?: string;
  /** Building the world failed (status error). */
  error?: string;
  runs: RunReport[];
  durationMs: number;
}

/** Without realTime, a silent Secrets Manager's per-attempt timeout (the agent's 5 s) is capped at this. */
const FAST_REQUEST_TIMEOUT_MS = 300;
/** Without realTime, a declared ECS_IMAGE_PULL_INACTIVITY_TIMEOUT is capped (pull-slow: 5 quiet attempts in seconds, not minutes). */
const FAST_INACTIVITY_MS = 1000;
/** `scenario run --all`: scenarios at once. Each world has its own emulator, registry and image layers. */
export const DEFAULT_SCENARIO_CONCURRENCY = 4;

/** The Docker engine, connected once per process. */
const docker = lazyDockerEngine();
const engine = docker.get;

/** A label for a run: its own, or the launch type and version. */
export function runLabel(scenario: Scenario, i: number): string {
  const run = scenario.runs[i]!;
  if (run.label) return run.label;
  const l = run.launch;
  const type = l.launchType ?? "EC2";
  const version = type === "FARGATE" ? `platform ${l.platformVersion ?? "LATEST"}` : `agent ${l.agentVersion ?? "current"}`;
  return `${type} ${version}`;
}

export async function runScenario(scenario: LoadedScenario, options: RunScenarioOptions = {}): Promise<ScenarioReport> {
  const { report, cleanup } = await runScenarioThenClean(scenario, options);
  await cleanup;
  return report;
}

/**
 * The scenario's report as soon as its runs are compared, and the clean-up still under way: a slow registry's
 * abandoned downloads settling, the world's images removed from the engine, the registry process stopped. The
 * clean-up mostly waits on other processes, so runScenarios starts the next scenario meanwhile; it never rejects.
 */
async function runScenarioThenClean(scenario: LoadedScenario, options: RunScenarioOptions): Promise<{ report: ScenarioReport; cleanup: Promise<void> }> {
  const started = Date.now();
  const base = { id: scenario.id, title: scenario.title, section: scenario.section, source: scenario.source };
  if (scenario.pending) return { report: { ...base, status: "pending", pending: scenario.pending, runs: [], durationMs: 0 }, cleanup: Promise.resolve() };
  let world: BuiltWorld | undefined;
  const runs: RunReport[] = [];
  const cleanUp = async (built: BuiltWorld) => {
    await built.settle();
    const engineReady = built.images.length ? await engine().catch(() => undefined) : undefined;
    for (const image of built.images) await engineReady?.removeImage(image).catch(() => undefined);
    await built.close();
  };
  const done = (report: ScenarioReport) => ({ report, cleanup: world ? cleanUp(world).catch(() => undefined) : Promise.resolve() });
  try {
    world = await buildWorld(scenario.world, { runFaults: scenario.runs.flatMap((r) => r.faults ?? []) });
    options.onWorld?.(world.bindings);
    for (let i = 0; i < scenario.runs.length; i++) runs.push(await runOne(scenario, i, world, options));
  } catch (error) {
    const message = redactPasswords(oneLine(error), world?.secretTexts ?? []);
    return done({ ...base, status: "error", error: message, runs, durationMs: Date.now() - started });
  }
  const status: ScenarioStatus = runs.every((r) => r.passed) ? "passed" : runs.some((r) => r.error) && runs.every((r) => !r.passed) ? "error" : "failed";
  return done({ ...base, status, runs, durationMs: Date.now() - started });
}

async function runOne(scenario: Scenario, i: number, world: BuiltWorld, options: RunScenarioOptions): Promise<RunReport> {
  const label = runLabel(scenario, i);
  const run = scenario.runs[i]!;
  const started = Date.now();
  options.onRunStart?.(label);
  const taskId = randomBytes(16).toString("hex");
  const bindings = new Map(world.bindings).set("taskId", taskId);
  const { engineAuth, pullInactivityTimeout, pullTimeout, manifestPullTimeout, ...context } = run.launch;
  const inactivityMs = pullInactivityTimeout === undefined ? undefined : parseGoDuration(pullInactivityTimeout);
  const launch: LaunchContextInput = {
    ...context,
    region: context.region ?? DEFAULT_REGION,
    account: bindings.get("account")!,
    ...(engineAuth && {
      engineAuth: {
        type: engineAuth.type,
        data: typeof engineAuth.data === "string" ? fillPlaceholders(engineAuth.data, bindings) : JSON.stringify(fillDeep(engineAuth.data, bindings)),
      },
    }),
  };
  const fail = (error: unknown): RunReport => ({ label, launch: run.launch, passed: false, mismatches: [], error: redactPasswords(oneLine(error), world.secretTexts), durationMs: Date.now() - started });
  try {
    const given = run.taskDefinition ?? scenario.taskDefinition;
    const taskDefinition = typeof given === "string" ? fillPlaceholders(given, bindings) : fillDeep(given, bindings);
    const dockerEngine = await engine();
    for (const image of world.images) await dockerEngine.removeImage(image).catch(() => undefined);
    for (const image of run.cachedImages ?? []) await dockerEngine.pullImage(fillPlaceholders(image, bindings), world.preloadAuth);
    const faults = run.faults ?? scenario.world.faults;
    world.applyFaults(faults);
    const slowRegistry = faults.some((f) => f.kind === "registry-slow");
    const before = world.emulator.emulator.stats.count("GetSecretValue");
    // The ports' own credentials are the main account's admin key; each task's calls are signed with the execution
    // role's session, which ECS assumes through the emulator (trust policy checked as ECS would).
    const ports = createAgentPorts({
      endpoint: world.emulator.url,
      credentials: world.adminCredentials,
      assumeRole: "emulator",
      iamCheck: options.explain !== false ? "server" : "off",
      iamRegions: runRegions(scenario),
      engine: docker.engine,
      secretsManager: {
        endpoint: world.secretsManagerEndpoint,
        unreachable: world.secretsManagerUnreachable,
        // Only a world whose Secrets Manager never answers: elsewhere a busy machine must not turn into a timeout.
        ...(!options.realTime && scenario.world.faults.some((f) => f.kind === "secrets-manager-timeout") && { maxRequestTimeoutMs: FAST_REQUEST_TIMEOUT_MS }),
      },
    });
    let result: TaskRunResult;
    try {
      result = await runTask({
        taskDefinition,
        launch: resolveLaunchContext(launch),
        ports,
        options: {
          ...(options.realTime && { realTime: true }),
          ids: { taskId },
          ...(inactivityMs !== undefined && { pullInactivityTimeoutMs: inactivityMs }),
          // Without --real-time: the instance's inactivity timeout (at least the agent's 1m; its OS's default when
          // none is declared and the registry is slow, 1m or Windows' 3m) runs as 1 s.
          ...(!options.realTime && (inactivityMs !== undefined || slowRegistry) && { timerOverrides: { inactivityMs: FAST_INACTIVITY_MS } }),
          ...(pullTimeout !== undefined && { pullTimeoutMs: parseGoDuration(pullTimeout) }),
          ...(manifestPullTimeout !== undefined && { manifestPullTimeoutMs: parseGoDuration(manifestPullTimeout) }),
          ...(options.onEvent && { onEvent: (e: AgentEvent) => options.onEvent!(label, e) }),
        },
      });
    } finally {
      ports.close();
    }
    options.onResult?.(label, redactPasswords(result, world.secretTexts));
    const actual = redactPasswords(actualOf(result, world.emulator.emulator.stats.count("GetSecretValue") - before, world.secretsManagerRequests()), world.secretTexts);
    const mismatches = compare(expectationOf(scenario, i), actual, bindings);
    return { label, launch: run.launch, passed: mismatches.length === 0, mismatches, actual, durationMs: Date.now() - started };
  } catch (error) {
    return fail(error);
  }
}

/** The regions the scenario's runs launch in (where a bare name's look-around starts). */
function runRegions(scenario: Scenario): string[] {
  return [...new Set(scenario.runs.map((r) => r.launch.region ?? DEFAULT_REGION))];
}

export function actualOf(result: TaskRunResult, getSecretValueCalls: number, secretsManagerRequests?: number): ActualOutcome {
  const containers: Record<string, string> = {};
  for (const c of result.task?.containers ?? []) if (c.reason !== undefined) containers[c.name] = c.reason;
  const p = result.placementFailure;
  return {
    result: result.result,
    exitCode: result.exitCode,
    ...(result.diagnosis && { failureCode: result.diagnosis.failureCode }),
    ...(result.task?.stoppedReason !== undefined && { stoppedReason: result.task.stoppedReason }),
    containers,
    ...(result.registerError && { registerError: `${result.registerError.code}: ${result.registerError.message}` }),
    ...(p && { placement: p.kind === "failures" ? p.failures.map((f) => f.reason).join(", ") : `${p.code}: ${p.message}` }),
    warnings: result.warnings,
    getSecretValueCalls,
    ...(secretsManagerRequests !== undefined && { secretsManagerRequests }),
    ...(result.diagnosis && { diagnosis: { step: result.diagnosis.step, cause: result.diagnosis.cause, fix: result.diagnosis.fix } }),
    inferred: result.inferred,
  };
}

/** Field by field; texts byte for byte after filling placeholders. Pure. */
export function compare(expect: Expectation, actual: ActualOutcome, bindings: Bindings): Mismatch[] {
  const out: Mismatch[] = [];
  const fill = (t: string) => fillPlaceholders(t, bindings);
  const text = (field: string, template: string | undefined, value: string | undefined) => {
    if (template === undefined) return;
    if (value === undefined || !matchesTemplate(template, value, bindings)) out.push({ field, expected: fill(template), actual: value ?? null });
  };
  if (actual.result !== expect.result) out.push({ field: "result", expected: expect.result, actual: actual.result });
  if (actual.exitCode !== expect.exitCode) out.push({ field: "exitCode", expected: expect.exitCode, actual: actual.exitCode });
  // A captured scenario may name no failure (AWS's text alone could not tell which): then only the texts count.
  if ((expect.failureCode !== undefined || expect.result === "RUNNING") && actual.failureCode !== expect.failureCode) out.push({ field: "failureCode", expected: expect.failureCode ?? null, actual: actual.failureCode ?? null });
  text("stoppedReason", expect.stoppedReason, actual.stoppedReason);
  text("registerError", expect.registerError, actual.registerError);
  text("placement", expect.placement, actual.placement);
  if (expect.containers) {
    for (const [name, template] of Object.entries(expect.containers)) text(`containers.${name}`, template, actual.containers[name]);
    for (const [name, reason] of Object.entries(actual.containers)) {
      if (!(name in expect.containers)) out.push({ field: `containers.${name}`, expected: null, actual: reason });
    }
  }
  for (const w of expect.warnings ?? []) {
    if (!actual.warnings.some((a) => matchesTemplate(w, a, bindings))) out.push({ field: "warnings", expected: fill(w), actual: actual.warnings });
  }
  if (expect.getSecretValueCalls !== undefined && expect.getSecretValueCalls !== actual.getSecretValueCalls) {
    out.push({ field: "getSecretValueCalls", expected: expect.getSecretValueCalls, actual: actual.getSecretValueCalls });
  }
  if (expect.secretsManagerRequests !== undefined && expect.secretsManagerRequests !== actual.secretsManagerRequests) {
    out.push({ field: "secretsManagerRequests", expected: expect.secretsManagerRequests, actual: actual.secretsManagerRequests ?? null });
  }
  return out;
}

/**
 * Runs the scenarios, `concurrency` at a time (default DEFAULT_SCENARIO_CONCURRENCY; 1 runs them one by one). They
 * share no engine image: each world has its own registry (its own address in every image reference) and layers of
 * its own (world.ts), so no pull finds another world's layers or joins its download. They start longest first
 * (schedule.ts: estimated from what each declares), so that no slow world starts last, and a worker starts its next
 * scenario while the last one's world is still being cleaned up (all are before this returns). Reports come back in
 * the order given; onScenarioEnd is called as each one ends.
 */
export async function runScenarios(
  scenarios: LoadedScenario[],
  options: RunScenarioOptions & { onScenarioEnd?: (r: ScenarioReport) => void; concurrency?: number } = {},
): Promise<ScenarioReport[]> {
  const concurrency = options.concurrency ?? DEFAULT_SCENARIO_CONCURRENCY;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError("concurrency must be an integer >= 1");
  const reports = new Array<ScenarioReport>(scenarios.length);
  const order = startOrder(scenarios);
  const cleanups: Promise<void>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < order.length) {
      const i = order[next++]!;
      const { report, cleanup } = await runScenarioThenClean(scenarios[i]!, options);
      cleanups.push(cleanup);
      reports[i] = report;
      options.onScenarioEnd?.(report);
    }
  };
  const workers = await Promise.allSettled(Array.from({ length: Math.min(concurrency, scenarios.length) }, worker));
  // Every world is stopped and its images removed before this returns, or passes on a callback's error.
  await Promise.all(cleanups);
  const failed = workers.find((w) => w.status === "rejected");
  if (failed) throw failed.reason;
  return reports;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return message.replace(/\s+/g, " ").trim();
}
