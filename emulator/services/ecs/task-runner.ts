// The background half of RunTask: each created task runs through agent-sim (credentials as the execution role,
// manifest, pull) while DescribeTasks watches it move PROVISIONING → PENDING → RUNNING or STOPPED. At most
// `maxConcurrentTasks` run at once; the rest wait in PROVISIONING. Nothing here answers a request.
import { EnvironmentError, createAgentPorts, lazyEngine, runTask, texts } from "../../../agent-sim/index.ts";
import type { AgentEvent, AgentPorts, EcsTask, ImageEngine, LaunchContext, TaskDefinition } from "../../../agent-sim/index.ts";
import { EcsText } from "../../../aws/texts.ts";
import type { EcsTaskShape } from "../../state/ecs.ts";
import { DEFAULT_MAX_CONCURRENT_TASKS, type EcsOptions, type TaskSession } from "./options.ts";
import { STOP_CODE_USER_INITIATED } from "./task-shape.ts";

export interface TaskJob {
  task: EcsTaskShape;
  taskId: string;
  containerIds: string[];
  taskDefinition: TaskDefinition;
  /** Resolved once, by RunTask. */
  launch: LaunchContext;
  /** The execution role, already assumed by RunTask (a refusal never gets this far). */
  session?: TaskSession;
}

const epoch = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso) / 1000);

export class EcsTaskRunner {
  private running = 0;
  private readonly queue: TaskJob[] = [];
  private readonly active = new Set<Promise<void>>();
  private readonly waiters: (() => void)[] = [];
  private engine: ImageEngine | undefined;

  constructor(
    private readonly options: EcsOptions,
    /** This emulator's own URL once known (learned from the first request). */
    private readonly selfUrl: () => string | undefined,
  ) {}

  /** Queues the task; it starts at once when a slot is free. */
  start(job: TaskJob): void {
    this.queue.push(job);
    this.pump();
  }

  /** Resolves when no task is queued or running (tests, bench, shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    const limit = this.options.maxConcurrentTasks ?? DEFAULT_MAX_CONCURRENT_TASKS;
    while (this.running < limit && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      // After the current request has been answered: RunTask's own answer shows PROVISIONING.
      const run = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.run(job))
        .finally(() => {
          this.options.afterTask?.();
          this.running--;
          this.active.delete(run);
          this.pump();
          if (this.running === 0 && this.queue.length === 0) for (const w of this.waiters.splice(0)) w();
        });
      this.active.add(run);
    }
  }

  /** The run's ports, through the agent's one assembly: ECS assumed the role when RunTask was called, so the agent is handed that session. */
  private ports(job: TaskJob): AgentPorts {
    const agentVersion = job.launch.agentVersion;
    const endpoint = this.options.secretsManagerEndpoint ?? this.selfUrl();
    return createAgentPorts({
      ...(endpoint !== undefined && { endpoint }),
      ...(job.session && { credentials: job.session.credentials }),
      secretsManager: this.options.secretsManager
        ? this.options.secretsManager({ agentVersion, ...(job.session ? { credentials: job.session.credentials } : {}) })
        : { unreachable: "task" },
      assumeRole: job.session ? { assumeRole: async () => job.session } : "off",
      iamCheck: "off",
      engine: (this.engine ??= this.options.engine ?? lazyEngine()),
    });
  }

  private async run(job: TaskJob): Promise<void> {
    const { task } = job;
    if (task.desiredStatus === "STOPPED") return; // StopTask came first.
    setStatus(task, "PENDING");
    const ports = this.ports(job);
    try {
      const result = await runTask({
        taskDefinition: job.taskDefinition,
        launch: job.launch,
        ports,
        options: {
          ids: { taskId: job.taskId, containerIds: job.containerIds },
          onEvent: (event) => onAgentEvent(task, event),
          ...(this.options.pullRetry ? { pullRetry: this.options.pullRetry } : {}),
          ...(this.options.manifestRetry ? { manifestRetry: this.options.manifestRetry } : {}),
          ...(this.options.realTime && { realTime: true }),
        },
      });
      if (result.task) applyOutcome(task, result.task);
      else stopWith(task, EcsText.emulatorEnvironment(`agent-sim ended with ${result.result}`));
    } catch (error) {
      const detail = error instanceof EnvironmentError ? error.message : `unexpected error: ${(error as Error).message ?? String(error)}`;
      stopWith(task, EcsText.emulatorEnvironment(detail));
    } finally {
      ports.close();
    }
  }
}

function setStatus(task: EcsTaskShape, status: string): void {
  if (task.lastStatus === "STOPPED") return;
  task.lastStatus = status;
  task.version++;
}

/** The pull window as it happens, so that DescribeTasks shows pullStartedAt while the image is being pulled. */
function onAgentEvent(task: EcsTaskShape, event: AgentEvent): void {
  if (event.type === "step-start" && (event.step === "manifest" || event.step === "pull") && task.pullStartedAt === undefined) {
    task.pullStartedAt = Date.parse(event.at) / 1000;
    task.version++;
  }
}

/** agent-sim's end state onto the stored task; a StopTask that came meanwhile wins. */
export function applyOutcome(task: EcsTaskShape, outcome: EcsTask): void {
  if (outcome.pullStartedAt !== undefined) task.pullStartedAt = epoch(outcome.pullStartedAt)!;
  if (outcome.pullStoppedAt !== undefined) task.pullStoppedAt = epoch(outcome.pullStoppedAt)!;
  const byName = new Map(outcome.containers.map((c) => [c.name, c]));
  if (task.stopCode === STOP_CODE_USER_INITIATED) {
    task.version++;
    return;
  }
  for (const container of task.containers) {
    const end = byName.get(container.name);
    if (end === undefined) continue;
    container.lastStatus = end.lastStatus;
    if (end.reason !== undefined) container.reason = end.reason;
    if (end.imageDigest !== undefined) container.imageDigest = end.imageDigest;
  }
  task.lastStatus = outcome.lastStatus;
  task.desiredStatus = outcome.desiredStatus;
  if (outcome.startedAt !== undefined) task.startedAt = epoch(outcome.startedAt)!;
  if (outcome.lastStatus === "STOPPED") {
    if (outcome.stopCode !== undefined) task.stopCode = outcome.stopCode;
    if (outcome.stoppedReason !== undefined) task.stoppedReason = outcome.stoppedReason;
    task.stoppingAt = epoch(outcome.stoppingAt)!;
    task.stoppedAt = epoch(outcome.stoppedAt)!;
    task.executionStoppedAt = task.stoppedAt;
  }
  task.version++;
}

/** The emulator itself could not run the task: STOPPED, with a reason that says so. */
function stopWith(task: EcsTaskShape, reason: string): void {
  if (task.lastStatus === "STOPPED") return;
  const now = Date.now() / 1000;
  task.lastStatus = "STOPPED";
  task.desiredStatus = "STOPPED";
  task.stopCode = texts.STOP_CODE_TASK_FAILED_TO_START;
  task.stoppedReason = reason;
  task.stoppingAt = now;
  task.stoppedAt = now;
  task.executionStoppedAt = now;
  for (const c of task.containers) c.lastStatus = "STOPPED";
  task.version++;
}
