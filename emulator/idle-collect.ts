// Gives the heap back once traffic stops. Under load V8 grows its heap (new space, promoted garbage) and, with no
// allocation afterwards, runs no collection: a `serve` that answered a burst of calls kept ~60 MiB of garbage
// (issue 17: live heap 24 MiB, heap 72 MiB, RSS 135–157 MiB, unchanged 30 s later). This runs full collections
// once the server has been quiet for `quietMs` after answering at least one request:
//   - after one and two quiet periods: the first empties the old space's pages, the RSS drops at the next (measured,
//     135 → 135 → 95 MiB);
//   - after `settledMs` of quiet, and one quiet period later: a burst grows the new space (the semi-spaces) to its
//     maximum, 2 × 16 MiB, and V8 gives that back only at a collection that sees a low allocation rate — below
//     1,000 bytes/ms over its last 5 s (V8 11.3 heap.cc `Heap::ReduceNewSpaceSize`, gc-tracer.cc
//     `kThroughputTimeFrameMs`). The collections a second after the burst still see its rate; one 6 s after it sees
//     none and shrinks the new space to a page (measured in `serve`: 32 → 1.3 MiB; RSS 30 s after a load went from
//     +46 to +14 MiB over idle).
// Then it waits for the next request.
// Nothing the server holds is dropped: only what no one references any more is freed.
// Per request: one counter increment (`touch`). Only `ecs-pull serve` turns it on (the process is the server's);
// an emulator embedded in someone's process (tests, the library) leaves that process's collector alone.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface IdleCollector {
  /** Called once per request. */
  touch(): void;
  /** Stops the timer (the server closes). */
  stop(): void;
}

/**
 * A full garbage collection. `--expose-gc` set at run time applies to new contexts: one is made to fetch `gc`, and
 * the flag is set back at once. It must be: V8 stamps code caches with a hash of its flags, and the command's
 * compile cache (bin/compile-cache.cjs) is written at exit — written with the flag on, every next start would find
 * it rejected and compile the whole bundle again (measured: `serve` cold start 240 → 460 ms).
 */
export function fullCollection(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") return exposed;
  setFlagsFromString("--expose-gc");
  let gc: () => void;
  try {
    gc = runInNewContext("gc") as () => void;
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
  return () => gc();
}

/**
 * When to collect, in ms of quiet after the last request: one and two quiet periods, then `settledMs` (past V8's
 * 5-s allocation-rate window, see above) and one quiet period after it.
 */
export function collectionSchedule(quietMs: number, settledMs: number): number[] {
  return [quietMs, 2 * quietMs, Math.max(settledMs, 3 * quietMs), Math.max(settledMs, 3 * quietMs) + quietMs];
}

/** V8 measures the allocation rate over 5 s; a collection 6 s after the last request sees the rate of a quiet server. */
export const SETTLED_MS = 6_000;

export function idleCollector(collect: () => void, quietMs = 1_000, settledMs = SETTLED_MS): IdleCollector {
  const schedule = collectionSchedule(quietMs, settledMs);
  let seen = 0;
  let atArm = 0;
  let timer: NodeJS.Timeout | undefined;
  // How many of the schedule's collections ran since the last request.
  let collected = 0;
  const arm = (delay: number) => {
    timer = setTimeout(check, delay).unref();
  };
  const check = () => {
    if (seen !== atArm) {
      // Still busy: look again after another quiet period.
      atArm = seen;
      collected = 0;
      arm(quietMs);
      return;
    }
    collect();
    collected++;
    if (collected < schedule.length) arm(schedule[collected]! - schedule[collected - 1]!);
    else timer = undefined;
  };
  return {
    touch() {
      seen++;
      if (timer === undefined) {
        atArm = seen;
        collected = 0;
        arm(quietMs);
      }
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
