// The step-by-step record of one simulated launch, and the live events the CLI's progress bars (and later the web
// page) follow. Details are built from names, ids and codes only: never a password or a secret value.
import type { Clock, PullProgress } from "./ports.ts";

export type TraceStepName = "register" | "place" | "assume-role" | "credentials" | "parse" | "manifest" | "pull" | "start";
export type TraceStatus = "ok" | "failed" | "skipped";

export interface TraceStep {
  step: TraceStepName;
  container?: string;
  status: TraceStatus;
  /** ISO time. */
  startedAt: string;
  durationMs: number;
  detail: string;
  /** What this step shows is our choice where ECS's behaviour is not public. */
  inferred?: true;
}

export type AgentEvent =
  | { type: "step-start"; step: TraceStepName; container?: string; at: string; detail?: string }
  | { type: "step-end"; trace: TraceStep }
  | { type: "pull-progress"; step: "pull"; container: string; progress: PullProgress }
  | { type: "retry"; step: "manifest" | "pull"; container: string; attempt: number; maxAttempts: number; delayMs: number };

export interface OpenStep {
  end(status: Exclude<TraceStatus, "skipped">, detail: string, inferred?: boolean): TraceStep;
}

export class TraceRecorder {
  readonly steps: TraceStep[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly onEvent?: (event: AgentEvent) => void,
  ) {}

  emit(event: AgentEvent): void {
    if (!this.onEvent) return;
    try {
      this.onEvent(event);
    } catch {
      // A listener's bug must not change the simulated outcome.
    }
  }

  begin(step: TraceStepName, container?: string, detail?: string): OpenStep {
    const start = this.clock.now();
    const at = new Date(start).toISOString();
    this.emit({ type: "step-start", step, at, ...(container !== undefined ? { container } : {}), ...(detail ? { detail } : {}) });
    return {
      end: (status, endDetail, inferred) => {
        const record: TraceStep = {
          step,
          ...(container !== undefined ? { container } : {}),
          status,
          startedAt: at,
          durationMs: Math.max(0, this.clock.now() - start),
          detail: endDetail,
          ...(inferred ? { inferred: true as const } : {}),
        };
        this.steps.push(record);
        this.emit({ type: "step-end", trace: record });
        return record;
      },
    };
  }

  skip(step: TraceStepName, container: string | undefined, detail: string): TraceStep {
    const record: TraceStep = {
      step,
      ...(container !== undefined ? { container } : {}),
      status: "skipped",
      startedAt: new Date(this.clock.now()).toISOString(),
      durationMs: 0,
      detail,
    };
    this.steps.push(record);
    this.emit({ type: "step-end", trace: record });
    return record;
  }
}
