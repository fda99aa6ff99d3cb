// The order `scenario run --all` starts scenarios in (scenarios/schedule.ts): longest first by what each declares,
// ties in the order given; the catalogue's deliberately slow worlds start before the rest.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadCatalogue } from "../../scenarios/load.ts";
import { CACHED_IMAGE_COST_MS, estimatedCostMs, FAULT_WAIT_MS, RUN_COST_MS, startOrder } from "../../scenarios/schedule.ts";
import type { Scenario } from "../../scenarios/schema.ts";

type Fake = Pick<Scenario, "world" | "runs"> & { pending?: string; id: string };
type Fault = Scenario["world"]["faults"][number];
const registry = { auth: "htpasswd" as const, users: [{ username: "u", password: "pw-u-1234" }], images: [{ repository: "r", tag: "t", layers: 1, layerSize: 4096 }] };
const fake = (id: string, o: { runs?: number; faults?: Fault[]; runFaults?: Fault[][]; cached?: number; registry?: boolean; pending?: string } = {}): Fake => ({
  id,
  world: { kmsKeys: [], secrets: [], roles: [], faults: o.faults ?? [], ...(o.registry !== false && { registry }) },
  runs: Array.from({ length: o.runs ?? 1 }, (_, i) => ({
    launch: {},
    ...(o.cached && { cachedImages: Array.from({ length: o.cached }, () => "{image:r:t}") }),
    ...(o.runFaults?.[i] && { faults: o.runFaults[i] }),
  })),
  ...(o.pending && { pending: o.pending }),
});
const ids = (list: Fake[]) => startOrder(list).map((i) => list[i]!.id);

describe("scenario start order (longest first)", () => {
  it("a world that waits in real time starts before plain ones; ties keep the order given", () => {
    const list = [
      fake("plain-a"),
      fake("plain-b"),
      fake("throttled", { faults: [{ kind: "secrets-manager-throttle" }] }),
      fake("no-registry", { registry: false, runs: 3 }),
      fake("slow", { faults: [{ kind: "registry-slow" }] }),
      fake("pending", { pending: "not yet", runs: 4 }),
      fake("cached", { runs: 2, cached: 2 }),
      fake("plain-c"),
    ];
    assert.deepEqual(ids(list), ["slow", "cached", "throttled", "plain-a", "plain-b", "plain-c", "no-registry", "pending"]);
  });

  it("costs add up per run: runs, cached images, each run's faults (a run's proxy faults replace the world's)", () => {
    const one = estimatedCostMs(fake("x"));
    assert.equal(estimatedCostMs(fake("x", { runs: 3 })), one + 2 * RUN_COST_MS);
    assert.equal(estimatedCostMs(fake("x", { cached: 2 })), one + 2 * CACHED_IMAGE_COST_MS);
    const throttle = FAULT_WAIT_MS["secrets-manager-throttle"]!;
    // The world throttles; the second run says "not this time" (times: 0), the third sets its own.
    const runs = fake("x", { runs: 3, faults: [{ kind: "secrets-manager-throttle" }], runFaults: [[], [{ kind: "secrets-manager-throttle", times: 0 }], [{ kind: "registry-429" }]] });
    assert.equal(estimatedCostMs(runs), one + 2 * RUN_COST_MS + FAULT_WAIT_MS["registry-429"]!);
    const down = fake("x", { runs: 2, faults: [{ kind: "registry-down" }, { kind: "secrets-manager-throttle" }], runFaults: [[{ kind: "secrets-manager-throttle", times: 2 }]] });
    // registry-down holds for every run and waits for nothing (a refused connection); each run is throttled once.
    assert.equal(estimatedCostMs(down), one + RUN_COST_MS + 2 * throttle);
    assert.equal(estimatedCostMs(fake("x", { pending: "later" })), 0);
  });

  it("the catalogue starts with its slow registries, cached images and throttling; nothing is left out", () => {
    const catalogue = loadCatalogue();
    const order = startOrder(catalogue);
    assert.deepEqual([...order].sort((a, b) => a - b), catalogue.map((_, i) => i));
    const first = order.slice(0, 4).map((i) => catalogue[i]!.id).sort();
    assert.deepEqual(first, ["cred-throttled", "pull-behavior-cached", "pull-slow", "pull-slow-windows"]);
    // Worlds without a registry (the register and gate rows) cost a few ms: they fill the end.
    const last = catalogue[order[order.length - 1]!]!;
    assert.equal(last.world.registry, undefined);
  });
});
