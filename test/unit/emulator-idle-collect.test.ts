// Issue 17: `serve` collects the heap a burst of calls grew once they stop (emulator/idle-collect.ts). The collector
// runs after one and two quiet periods and twice more once the server has been quiet long enough for V8 to see a
// low allocation rate, never while requests keep coming, never with none; the collection is a real full one (a
// forced major GC, seen by a `gc` PerformanceObserver) and the late ones give back the new space a burst grew; the
// server answers the same with it on.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics } from "node:v8";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { SETTLED_MS, collectionSchedule, fullCollection, idleCollector } from "../../emulator/idle-collect.ts";
import { startEmulator } from "../../emulator/server.ts";

const QUIET = 60;

/** Counts forced major collections while `body` runs. */
async function forcedMajorGcs(body: () => Promise<void>): Promise<number> {
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = entry.detail as { kind: number; flags: number };
      if (detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR && (detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0) count++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  try {
    await body();
    await sleep(20); // the observer is told on a later turn
  } finally {
    observer.disconnect();
  }
  return count;
}

describe("idleCollector", () => {
  it("does not collect when no request came", async () => {
    let calls = 0;
    const c = idleCollector(() => calls++, QUIET);
    await sleep(QUIET * 4);
    c.stop();
    assert.equal(calls, 0);
  });

  it("collects after one and two quiet periods, then at the settled time and one period later, then waits", async () => {
    assert.deepEqual(collectionSchedule(1_000, SETTLED_MS), [1_000, 2_000, 6_000, 7_000]);
    let calls = 0;
    // At 1, 2, 8 and 9 quiet periods: each check sits 2-3 periods away from a collection (timers run late on a
    // busy machine).
    const c = idleCollector(() => calls++, QUIET, QUIET * 8);
    c.touch();
    c.touch();
    await sleep(QUIET * 5);
    assert.equal(calls, 2, "one and two quiet periods");
    await sleep(QUIET * 6);
    assert.equal(calls, 4, "the settled time and one period after it");
    await sleep(QUIET * 4);
    assert.equal(calls, 4, "then nothing until the next request");
    c.touch();
    await sleep(QUIET * 12);
    c.stop();
    assert.equal(calls, 8);
  });

  it("does not collect while requests keep coming", async () => {
    let calls = 0;
    const quiet = QUIET * 5; // wide against a busy machine's timer delays
    const c = idleCollector(() => calls++, quiet);
    for (let i = 0; i < 16; i++) {
      c.touch();
      await sleep(quiet / 10);
    }
    assert.equal(calls, 0);
    await sleep(quiet * 3);
    c.stop();
    assert.equal(calls, 2, "one and two quiet periods after the last request");
  });

  it("stop() cancels a pending collection", async () => {
    let calls = 0;
    const c = idleCollector(() => calls++, QUIET);
    c.touch();
    c.stop();
    await sleep(QUIET * 4);
    assert.equal(calls, 0);
  });
});

describe("fullCollection", () => {
  it("is a forced major collection that frees what no one references", async () => {
    const collect = fullCollection();
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ payload: new Array(1000).fill("x") });
    })();
    await sleep(0); // a WeakRef keeps its target alive until the end of the job that made it
    const count = await forcedMajorGcs(async () => collect());
    assert.equal(count, 1);
    assert.equal(ref!.deref(), undefined);
  });
});

describe("idleCollector with fullCollection", () => {
  // The late collections are there for the new space: a burst grows it to its maximum and V8 shrinks it only at a
  // collection that sees a low allocation rate over its last 5 s (idle-collect.ts).
  it("gives back the new space a burst of allocation grew", async () => {
    const newSpaceMiB = () => (getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.physical_space_size ?? 0) / 2 ** 20;
    let sink: unknown[] = [];
    for (let round = 0; round < 400 && newSpaceMiB() < 8; round++) {
      for (let i = 0; i < 20_000; i++) sink.push({ i, text: `call ${i}` });
      if (sink.length > 100_000) sink = [];
    }
    sink = [];
    const grown = newSpaceMiB();
    assert.ok(grown >= 8, `the burst grew the new space (${grown.toFixed(1)} MiB)`);
    let calls = 0;
    const collect = fullCollection();
    const c = idleCollector(() => (calls++, collect()), 100);
    c.touch();
    await sleep(SETTLED_MS + 600);
    c.stop();
    assert.equal(calls, 4);
    assert.ok(newSpaceMiB() <= grown / 4, `new space ${grown.toFixed(1)} → ${newSpaceMiB().toFixed(1)} MiB`);
  });
});

describe("fullCollection and the command's compile cache", () => {
  // V8 stamps a code cache with a hash of its flags; bin/compile-cache.cjs writes `serve`'s at exit. If fetching `gc`
  // left --expose-gc on, every next start would reject the cache and compile the whole bundle again.
  it("leaves V8's flags as they were: a code cache written after it is accepted by a fresh process", () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-pull-gc-cache-"));
    try {
      const file = join(dir, "cache.bin");
      const source = JSON.stringify("function f() { return 1 + 1; } f();");
      const idleCollect = JSON.stringify(new URL("../../emulator/idle-collect.ts", import.meta.url).href);
      const write = `import { Script } from "node:vm"; import { writeFileSync } from "node:fs";
        const { fullCollection } = await import(${idleCollect});
        const script = new Script(${source}); script.runInThisContext();
        fullCollection()();
        writeFileSync(${JSON.stringify(file)}, script.createCachedData());`;
      const read = `const { Script } = require("node:vm");
        const script = new Script(${source}, { cachedData: require("node:fs").readFileSync(${JSON.stringify(file)}) });
        process.stdout.write(String(script.cachedDataRejected));`;
      execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", write], { stdio: ["ignore", "ignore", "inherit"] });
      assert.equal(execFileSync(process.execPath, ["-e", read], { encoding: "utf8" }), "false");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("startEmulator collectWhenIdleMs", () => {
  const call = (url: string) =>
    fetch(url, { method: "POST", headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "secretsmanager.ListSecrets" }, body: "{}" });

  it("collects after the calls stop, not before any, and answers the same", async () => {
    await using on = await startEmulator({ collectWhenIdleMs: QUIET, signatureCheck: false });
    await using off = await startEmulator({ signatureCheck: false });
    assert.equal(await forcedMajorGcs(() => sleep(QUIET * 4)), 0, "no request, no collection");
    let answers: string[] = [];
    const withCollector = await forcedMajorGcs(async () => {
      const a = await call(on.url);
      const b = await call(off.url);
      answers = [`${a.status} ${await a.text()}`, `${b.status} ${await b.text()}`];
      await sleep(QUIET * 5);
    });
    assert.equal(withCollector, 2);
    assert.equal(answers[0], answers[1]);
    assert.match(answers[0]!, /^200 /);
  });
});
