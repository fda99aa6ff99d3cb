// Prints the wall time of `ecs-pull scenario run --all --fast` (the library call it makes) and the mean per
// scenario run; the target is the whole catalogue under a minute on this machine. `npm run bench:catalogue`.
import { loadCatalogue } from "../scenarios/load.ts";
import { runScenarios } from "../scenarios/runner.ts";
import { summarize } from "../cli/commands/scenario.ts";

const fast = !process.argv.includes("--real-delays");
const scenarios = loadCatalogue();
const started = Date.now();
const reports = await runScenarios(scenarios, { fast });
const s = summarize(reports, Date.now() - started);
const runs = reports.reduce((n, r) => n + r.runs.length, 0);
for (const r of [...reports].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5)) console.log(`slowest: ${r.id} ${r.durationMs} ms`);
console.log(`catalogue ${fast ? "--fast" : "(real delays)"}: ${s.scenarios} scenarios (${s.pending} pending), ${runs} task runs`);
console.log(`wall ${(s.wallMs / 1000).toFixed(2)} s, mean ${s.meanMsPerScenario} ms per scenario run, ${s.passed} passed, ${s.failed} failed, ${s.errors} errors`);
process.exitCode = s.failed + s.errors > 0 ? 1 : 0;
