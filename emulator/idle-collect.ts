// Gives the heap back once traffic stops. Under load V8 grows its heap (new space, promoted garbage) and, with no
// allocation afterwards, runs no collection: a `serve` that answered a burst of calls kept ~60 MiB of garbage
// (issue 17: live heap 24 MiB, heap 72 MiB, RSS 135–157 MiB, unchanged 30 s later). This runs a full collection
// when the server has been quiet for `quietMs` after answering at least one request, and a second one after another
// quiet `quietMs` (the first empties the pages, the RSS drops at the next: measured, 135 → 135 → 95 MiB), then waits
// for the next request.
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

export function idleCollector(collect: () => void, quietMs = 1_000): IdleCollector {
  let seen = 0;
  let atArm = 0;
  let timer: NodeJS.Timeout | undefined;
  let collected = 0;
  const check = () => {
    if (seen !== atArm) {
      // Still busy: look again after another quiet period.
      atArm = seen;
      collected = 0;
      timer = setTimeout(check, quietMs).unref();
      return;
    }
    collect();
    collected++;
    timer = collected < 2 ? setTimeout(check, quietMs).unref() : undefined;
  };
  return {
    touch() {
      seen++;
      if (timer === undefined) {
        atArm = seen;
        collected = 0;
        timer = setTimeout(check, quietMs).unref();
      }
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
