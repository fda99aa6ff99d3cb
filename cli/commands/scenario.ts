// `ecs-pull scenario list | show ID | run ID|FILE... | run --all [--json] [--real-time]`: the failure catalogue from the
// command line. Exit codes: 0 every scenario run passed (pending ones are skipped), 1 at least one failed its
// expectation or could not build its world, 2 usage (unknown id, invalid scenario file: the bad field is named).
import { stringify as toYaml } from "yaml";
import { loadCatalogue, loadScenario, ScenarioValidationError, type LoadedScenario } from "../../scenarios/load.ts";
import { redactScenario } from "../../scenarios/redact.ts";
import { runScenarios, type ScenarioReport } from "../../scenarios/runner.ts";
import { applyAssumptions, assumptionLines, AssumptionError, parseAssume } from "../../capture/assume.ts";
import { alignedDiff } from "../../capture/text-diff.ts";
import { UsageError } from "../exit-codes.ts";
import { checkClockFlags } from "./run-input.ts";
import { ansiStyle, plainStyle, type Style } from "../render/human.ts";

export const SCENARIO_EXIT_HELP = `Exit codes (scenario run):
  0  every scenario run matched its expectation (pending scenarios are skipped and listed)
  1  at least one scenario did not match, or its world could not be built
  2  usage error: unknown scenario id, unreadable or invalid scenario file (the bad field is named)`;

function load(idOrFile: string): LoadedScenario {
  try {
    return loadScenario(idOrFile);
  } catch (error) {
    if (error instanceof ScenarioValidationError) throw new UsageError(error.message);
    throw error;
  }
}

function catalogue(): LoadedScenario[] {
  try {
    return loadCatalogue();
  } catch (error) {
    if (error instanceof ScenarioValidationError) throw new UsageError(error.message);
    throw error;
  }
}

export function scenarioListCommand(opts: { json?: boolean }): number {
  const all = catalogue();
  if (opts.json) {
    process.stdout.write(JSON.stringify(all.map((s) => ({ id: s.id, section: s.section, title: s.title, runs: s.runs.length, ...(s.pending && { pending: s.pending }) })), null, 2) + "\n");
    return 0;
  }
  const width = Math.max(...all.map((s) => s.id.length));
  let section = "";
  let out = "";
  for (const s of all) {
    if (s.section !== section) out += `${section ? "\n" : ""}${(section = s.section)}:\n`;
    out += `  ${s.id.padEnd(width)}  ${s.title}${s.pending ? `  (pending: ${s.pending})` : ""}\n`;
  }
  process.stdout.write(out);
  return 0;
}

export function scenarioShowCommand(idOrFile: string, opts: { json?: boolean }): number {
  const { source, ...scenario } = redactScenario(load(idOrFile));
  if (opts.json) process.stdout.write(JSON.stringify({ ...scenario, source }, null, 2) + "\n");
  else process.stdout.write(`# ${source}\n${toYaml(scenario, { lineWidth: 0 })}`);
  return 0;
}

/** Captured scenarios run on their stated assumptions; --assume id=choice picks another (capture/assume.ts). */
function withAssumptions(scenarios: LoadedScenario[], assume: string[]): LoadedScenario[] {
  try {
    const choices = new Map(assume.map(parseAssume));
    if (choices.size && !scenarios.some((s) => s.unknowns?.length)) throw new AssumptionError("--assume: none of these scenarios has unknowns (only captured scenarios do)");
    return scenarios.map((s) => {
      if (!s.unknowns?.length) return s;
      const mine = new Map([...choices].filter(([id]) => s.unknowns!.some((u) => u.id === id)));
      return applyAssumptions(s, mine);
    });
  } catch (error) {
    if (error instanceof AssumptionError) throw new UsageError(error.message);
    throw error;
  }
}

export async function scenarioRunCommand(ids: string[], opts: { all?: boolean; json?: boolean; fast?: boolean; realTime?: boolean; assume?: string[] }): Promise<number> {
  checkClockFlags(opts);
  if (opts.all && ids.length) throw new UsageError("give scenario ids/files or --all, not both");
  if (!opts.all && !ids.length) throw new UsageError("name a scenario id or file, or use --all (ecs-pull scenario list)");
  const scenarios = withAssumptions(opts.all ? catalogue() : ids.map(load), opts.assume ?? []);
  const style = process.stdout.isTTY ? ansiStyle : plainStyle;
  if (!opts.json) for (const s of scenarios) for (const line of assumptionLines(s)) process.stdout.write(`${style.dim(`${s.id}: ${line}`)}\n`);
  const started = Date.now();
  const reports = await runScenarios(scenarios, {
    ...(opts.realTime && { realTime: true }),
    onScenarioEnd: (r) => {
      if (!opts.json) process.stdout.write(reportLines(r, style).join("\n") + "\n");
    },
  });
  const summary = summarize(reports, Date.now() - started);
  if (opts.json) process.stdout.write(JSON.stringify({ summary, scenarios: reports }, null, 2) + "\n");
  else {
    process.stdout.write(
      `\n${summary.passed} passed, ${summary.failed} failed, ${summary.errors} errors, ${summary.pending} pending — ${summary.scenarios} scenario(s) in ${(summary.wallMs / 1000).toFixed(1)} s\n`,
    );
  }
  return summary.failed + summary.errors > 0 ? 1 : 0;
}

export function summarize(reports: ScenarioReport[], wallMs: number) {
  const count = (s: ScenarioReport["status"]) => reports.filter((r) => r.status === s).length;
  const ran = reports.filter((r) => r.status !== "pending");
  return {
    scenarios: reports.length,
    passed: count("passed"),
    failed: count("failed"),
    errors: count("error"),
    pending: count("pending"),
    wallMs,
    meanMsPerScenario: ran.length ? Math.round(ran.reduce((t, r) => t + r.durationMs, 0) / ran.length) : 0,
  };
}

function reportLines(r: ScenarioReport, style: Style): string[] {
  const mark = { passed: style.green("✓"), failed: style.red("✗"), error: style.red("!"), pending: style.dim("-") }[r.status];
  const lines = [`${mark} ${r.id}  ${style.dim(r.title)}${r.status === "pending" ? style.dim(`  pending: ${r.pending}`) : `  ${r.durationMs} ms`}`];
  if (r.error) lines.push(`    world: ${r.error}`);
  for (const run of r.runs) {
    if (run.passed) continue;
    lines.push(`    ${style.red("✗")} ${run.label}${run.error ? `: ${run.error}` : ""}`);
    for (const m of run.mismatches) {
      lines.push(`      ${m.field}:`, `        expected: ${JSON.stringify(m.expected)}`, `        actual:   ${JSON.stringify(m.actual)}`);
      // Texts: aligned, the first differing character marked (a captured scenario's expectation is AWS's text).
      if (typeof m.expected === "string" && typeof m.actual === "string") {
        for (const l of alignedDiff(m.expected, m.actual, ["expected (AWS)", "ecs-pull"])) lines.push(`        ${l}`);
      }
    }
  }
  return lines;
}
