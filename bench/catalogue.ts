// Prints the wall time of `ecs-pull scenario run --all` (the library call it makes: simulated agent time, scenarios
// run DEFAULT_SCENARIO_CONCURRENCY at a time) and the mean per scenario run; the target is the whole catalogue in
// 20 s on this machine. `npm run bench:catalogue [-- --real-time] [-- --concurrency N]`.
import { loadCatalogue } from "../scenarios/load.ts";
import { DEFAULT_SCENARIO_CONCURRENCY, runScenarios } from "../scenarios/runner.ts";
import { summarize } from "../cli/commands/scenario.ts";

const realTime = process.argv.includes("--real-time") || process.argv.includes("--real-delays");
const at = process.argv.indexOf("--concurrency");
const concurrency = at > 0 ? Number(process.argv[at + 1]) : DEFAULT_SCENARIO_CONCURRENCY;
const scenarios = loadCatalogue();
const started = Date.now();
const reports = await runScenarios(scenarios, { realTime, concurrency });
const s = summarize(reports, Date.now() - started);
const runs = reports.reduce((n, r) => n + r.runs.length, 0);
for (const r of [...reports].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5)) console.log(`slowest: ${r.id} ${r.durationMs} ms`);
console.log(`catalogue ${realTime ? "--real-time" : "(simulated agent time)"}, concurrency ${concurrency}: ${s.scenarios} scenarios (${s.pending} pending), ${runs} task runs`);
console.log(`wall ${(s.wallMs / 1000).toFixed(2)} s, mean ${s.meanMsPerScenario} ms per scenario run, ${s.passed} passed, ${s.failed} failed, ${s.errors} errors`);
process.exitCode = s.failed + s.errors > 0 ? 1 : 0;
