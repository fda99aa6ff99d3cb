// Loaded into the measured `ecs-pull serve` by `bench/serve-figures.ts --memory-detail` (`node --require`): on
// SIGUSR2 it prints one line to stderr — the process's memory (process.memoryUsage), each V8 heap space's physical
// and used size (v8.getHeapSpaceStatistics), and the resident memory by mapping (/proc/self/smaps: the node binary,
// other files, the malloc heap, anonymous memory: V8's pages, thread arenas). Reads only; changes no V8 flag, so the
// command's compile cache is used as in any start.
"use strict";
const { readFileSync } = require("node:fs");
const { getHeapSpaceStatistics } = require("node:v8");

const MiB = (bytes) => (bytes / 2 ** 20).toFixed(1);

function residentByMapping() {
  const kinds = {};
  let kind = "anon";
  for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[1];
      kind = name === "" ? "anon" : name === "[heap]" ? "malloc-heap" : name === process.execPath ? "node-binary" : name.startsWith("/") ? "files" : "other";
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) kinds[kind] = (kinds[kind] ?? 0) + Number(rss[1]) * 1024;
  }
  return Object.entries(kinds).map(([k, v]) => `${k} ${MiB(v)}`).join(", ");
}

process.on("SIGUSR2", () => {
  const m = process.memoryUsage();
  const spaces = getHeapSpaceStatistics()
    .filter((s) => s.physical_space_size > 0)
    .map((s) => `${s.space_name.replace(/_space$/, "")} ${MiB(s.physical_space_size)}/${MiB(s.space_used_size)}`)
    .join(", ");
  process.stderr.write(
    `memory-detail: rss ${MiB(m.rss)}, heapTotal ${MiB(m.heapTotal)}, heapUsed ${MiB(m.heapUsed)}, external ${MiB(m.external)} MiB\n` +
      `  heap spaces (physical/used MiB): ${spaces}\n  resident by mapping (MiB): ${residentByMapping()}\n`,
  );
});
