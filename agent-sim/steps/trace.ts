// The step-by-step record of one simulated launch, and the live events the CLI's progress bars (and later the web
// page) follow. Details are built from names, ids and codes only: never a password or a secret value. As a last
// line of defence (an engine may echo a password into an error), every password the run knows is blanked out of
// the live events here and of the result by runTask, with the same function.
import type { Clock, PullProgress } from "../ports.ts";

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
  /**
   * The agent's backoff between this step's attempts (retry events), as the agent would have spent it; durationMs
   * includes it. `simulated`: the waits ran on the simulated clock (no wall time), not slept.
   */
  backoff?: { waits: number; ms: number; simulated: boolean };
}

export type AgentEvent =
  | { type: "step-start"; step: TraceStepName; container?: string; at: string; detail?: string }
  | { type: "step-end"; trace: TraceStep }
  | { type: "pull-progress"; step: "pull"; container: string; progress: PullProgress }
  | { type: "retry"; step: "manifest" | "pull"; container: string; attempt: number; maxAttempts: number; delayMs: number };

export interface OpenStep {
  end(status: Exclude<TraceStatus, "skipped">, detail: string, inferred?: boolean): TraceStep;
}

/** What a password reads as once redacted. */
export const REDACTED = "********";

/**
 * `value` with every occurrence of each password replaced by REDACTED, in every string it holds. Passwords shorter
 * than 4 characters are not searched for (they would blank out ordinary words).
 */
export function redactPasswords<T>(value: T, passwords: Iterable<string>): T {
  const needles = [...new Set(passwords)].filter((p) => p.length >= 4);
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

export class TraceRecorder {
  readonly steps: TraceStep[] = [];
  readonly #passwords = new Set<string>();
  /** Backoff per open step (step + container), from its retry events. */
  readonly #backoff = new Map<string, { waits: number; ms: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly onEvent?: (event: AgentEvent) => void,
  ) {}

  /** Passwords that no live event may show from now on. */
  hide(auths: readonly { password: string; auth?: string; identitytoken?: string; registrytoken?: string }[]): void {
    for (const auth of auths) {
      this.#passwords.add(auth.password);
      // An engine auth entry's tokens and its base64 `auth` are secrets too.
      for (const secret of [auth.auth, auth.identitytoken, auth.registrytoken]) if (secret) this.#passwords.add(secret);
    }
  }

  /** Every password hidden so far. */
  get hiddenPasswords(): ReadonlySet<string> {
    return this.#passwords;
  }

  emit(event: AgentEvent): void {
    if (event.type === "retry") {
      const b = this.#backoff.get(`${event.step}/${event.container}`);
      if (b) {
        b.waits++;
        b.ms += event.delayMs;
      }
    }
    if (!this.onEvent) return;
    try {
      this.onEvent(redactPasswords(event, this.#passwords));
    } catch {
      // A listener's bug must not change the simulated outcome.
    }
  }

  begin(step: TraceStepName, container?: string, detail?: string): OpenStep {
    const start = this.clock.now();
    const at = new Date(start).toISOString();
    const key = `${step}/${container}`;
    const backoff = { waits: 0, ms: 0 };
    this.#backoff.set(key, backoff);
    this.emit({ type: "step-start", step, at, ...(container !== undefined ? { container } : {}), ...(detail ? { detail } : {}) });
    return {
      end: (status, endDetail, inferred) => {
        if (this.#backoff.get(key) === backoff) this.#backoff.delete(key);
        const record: TraceStep = {
          step,
          ...(container !== undefined ? { container } : {}),
          status,
          startedAt: at,
          durationMs: Math.max(0, this.clock.now() - start),
          detail: endDetail,
          ...(inferred ? { inferred: true as const } : {}),
          ...(backoff.waits > 0 && { backoff: { ...backoff, simulated: "simulated" in this.clock && this.clock.simulated === true } }),
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
