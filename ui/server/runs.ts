// Runs started from the page, one at a time (they share the one Docker engine): each run's events are kept
// (redacted) so that a late or reconnecting event stream replays them from the start, then follows live.
// The run itself is the scenarios runner (simulated agent time, the default) with statement-level IAM explanations.
import { randomBytes } from "node:crypto";
import type { LoadedScenario } from "../../scenarios/load.ts";
import { redactPasswords } from "../../agent-sim/index.ts";
import { runScenario } from "../../scenarios/runner.ts";
import type { TaskRunResult } from "../../agent-sim/index.ts";
import type { PolicyBox, UiEvent } from "../protocol.ts";
import { RequestError } from "./edits.ts";
import { outcomeOf, uiEventsOf } from "./outcome.ts";

const KEEP_RUNS = 20;

export interface PageRun {
  id: string;
  events: UiEvent[];
  done: boolean;
  listeners: Set<(e: UiEvent) => void>;
}

export interface RunInput {
  scenario: LoadedScenario;
  boxes: PolicyBox[];
  edited: string[];
  /** Texts never to send (secretTextsOf). */
  secrets: string[];
}

/** Runs the scenarios runner under a one-run-at-a-time rule. `run` is replaceable in tests. */
export class RunManager {
  private readonly runs = new Map<string, PageRun>();
  private busy = false;

  constructor(private readonly runner: typeof runScenario = runScenario) {}

  get(id: string): PageRun | undefined {
    return this.runs.get(id);
  }

  start(input: RunInput): PageRun {
    if (this.busy) throw new RequestError(409, "a run is in progress; wait for it to end");
    this.busy = true;
    const run: PageRun = { id: randomBytes(8).toString("hex"), events: [], done: false, listeners: new Set() };
    this.runs.set(run.id, run);
    for (const old of [...this.runs.keys()].slice(0, Math.max(0, this.runs.size - KEEP_RUNS))) this.runs.delete(old);
    void this.execute(run, input).finally(() => {
      this.busy = false;
    });
    return run;
  }

  private emit(run: PageRun, event: UiEvent, secrets: string[]): void {
    const safe = redactPasswords(event, secrets);
    run.events.push(safe);
    for (const l of run.listeners) l(safe);
  }

  private async execute(run: PageRun, input: RunInput): Promise<void> {
    const emit = (e: UiEvent) => this.emit(run, e, input.secrets);
    let bindings: Record<string, string> = {};
    const results: { label: string; result: TaskRunResult }[] = [];
    try {
      const report = await this.runner(input.scenario, {
        explain: true,
        onRunStart: (label) => emit({ type: "run-start", label }),
        onWorld: (b) => {
          bindings = Object.fromEntries(b);
        },
        onEvent: (_label, event) => uiEventsOf(event).forEach(emit),
        onResult: (label, result) => results.push({ label, result }),
      });
      const r = report.runs[0];
      const got = results[0];
      if (report.error) emit({ type: "error", message: `The world could not be built: ${report.error}` });
      else if (r?.error) emit({ type: "error", message: `The run could not happen: ${r.error}` });
      else if (got && r) emit({ type: "outcome", outcome: outcomeOf(got.label, got.result, input.boxes, bindings, r.durationMs, input.edited) });
      else emit({ type: "error", message: report.pending ? `This scenario cannot run yet: ${report.pending}` : "The run ended without a result" });
    } catch (error) {
      emit({ type: "error", message: `The run failed: ${(error as Error).message}` });
    } finally {
      emit({ type: "end" });
      run.done = true;
      run.listeners.clear();
    }
  }
}
