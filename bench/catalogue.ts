// Prints the wall time of `ecs-pull scenario run --all` (the library call it makes: simulated agent time, scenarios
// run DEFAULT_SCENARIO_CONCURRENCY at a time, longest first) and the mean per scenario run; the target is the whole
// catalogue in 20 s on this machine. Also the CPU time it took (this process and the registries it started and
// waited for; not dockerd's), which a shared machine's load moves less than the wall time, and the load average.
// `npm run bench:catalogue [-- --real-time] [-- --concurrency N] [-- --only id,id,...]`.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { loadCatalogue } from "../scenarios/load.ts";
import { DEFAULT_SCENARIO_CONCURRENCY, runScenarios } from "../scenarios/runner.ts";
import { summarize } from "../cli/commands/scenario.ts";

const realTime = process.argv.includes("--real-time") || process.argv.includes("--real-delays");
const at = process.argv.indexOf("--concurrency");
const concurrency = at > 0 ? Number(process.argv[at + 1]) : DEFAULT_SCENARIO_CONCURRENCY;
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt > 0 ? new Set(process.argv[onlyAt + 1]!.split(",")) : undefined;
const scenarios = loadCatalogue().filter((s) => !only || only.has(s.id));

/** User + system CPU seconds of this process and of its children that have been waited for (/proc/self/stat). */
function cpuSeconds(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").replace(/^.*\) /, "").split(" ");
  // After the command name: state is field 3, so utime..cstime (fields 14-17) are at 11..14 here.
  return fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0) / 100;
}
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

const loadBefore = load();
const cpuBefore = cpuSeconds();
const started = Date.now();
const reports = await runScenarios(scenarios, { realTime, concurrency });
const s = summarize(reports, Date.now() - started);
const cpu = cpuSeconds() - cpuBefore;
const runs = reports.reduce((n, r) => n + r.runs.length, 0);
for (const r of [...reports].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5)) console.log(`slowest: ${r.id} ${r.durationMs} ms`);
console.log(`catalogue ${realTime ? "--real-time" : "(simulated agent time)"}, concurrency ${concurrency}: ${s.scenarios} scenarios (${s.pending} pending), ${runs} task runs`);
console.log(`wall ${(s.wallMs / 1000).toFixed(2)} s, mean ${s.meanMsPerScenario} ms per scenario run, ${s.passed} passed, ${s.failed} failed, ${s.errors} errors`);
console.log(`sum of scenario times ${(reports.reduce((n, r) => n + r.durationMs, 0) / 1000).toFixed(1)} s; CPU ${cpu.toFixed(1)} s (this process and its registries)`);
console.log(`load average before ${loadBefore}, after ${load()}`);
process.exitCode = s.failed + s.errors > 0 ? 1 : 0;
