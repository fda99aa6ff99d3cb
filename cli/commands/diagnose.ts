// `ecs-pull diagnose TEXT | - | describe-tasks.json [--json] [--limit N]`: offline, no AWS. The catalogue entries
// that produce a stoppedReason, best first (capture/diagnose.ts). Exit 0 with a diagnosis (a text we do not know
// says so and shows the nearest entries), 2 on usage (no input, unreadable file, a JSON file that is not a
// DescribeTasks document).
import { existsSync, readFileSync, statSync } from "node:fs";
import { Diagnoser, NotDescribeTasksError, readDiagnoseInput, type DiagnoseInput, type TextDiagnosis } from "../../capture/diagnose.ts";
import { MAX_TEXT_CHARS } from "../../capture/text-tokens.ts";
import { loadCatalogue, ScenarioValidationError } from "../../scenarios/load.ts";
import { UsageError } from "../exit-codes.ts";
import { ansiStyle, plainStyle, type Style } from "../render/human.ts";

export interface DiagnoseOptions {
  json?: boolean;
  limit?: string;
}

function readInput(arg: string, stdin: () => string): DiagnoseInput {
  let content: string;
  if (arg === "-") content = stdin();
  else if (looksLikePath(arg) && existsSync(arg)) {
    if (!statSync(arg).isFile()) throw new UsageError(`${arg}: not a file`);
    if (statSync(arg).size > MAX_TEXT_CHARS * 16) throw new UsageError(`${arg}: larger than ${MAX_TEXT_CHARS * 16} bytes; a DescribeTasks document is far smaller`);
    try {
      content = readFileSync(arg, "utf8");
    } catch (error) {
      throw new UsageError(`${arg}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    try {
      return readDiagnoseInput(content);
    } catch (error) {
      if (error instanceof NotDescribeTasksError) throw new UsageError(`${arg}: ${error.message}`);
      throw error;
    }
  } else content = arg;
  try {
    return readDiagnoseInput(content);
  } catch (error) {
    if (error instanceof NotDescribeTasksError) throw new UsageError(error.message);
    throw error;
  }
}

/** A file name, not a pasted text: one line, no spaces around colons as ECS texts have. */
function looksLikePath(arg: string): boolean {
  return !arg.includes("\n") && arg.length < 4096 && !arg.includes(": ");
}

export function diagnoseCommand(arg: string | undefined, opts: DiagnoseOptions, stdin: () => string = () => readFileSync(0, "utf8")): number {
  if (arg === undefined) throw new UsageError("give the text to diagnose (quoted), - for stdin, or a DescribeTasks JSON file");
  const limit = opts.limit === undefined ? 5 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError(`--limit: a whole number from 1 to 100 (got "${opts.limit}")`);
  const input = readInput(arg, stdin);
  let catalogue;
  try {
    catalogue = loadCatalogue();
  } catch (error) {
    if (error instanceof ScenarioValidationError) throw new UsageError(error.message);
    throw error;
  }
  const diagnoser = new Diagnoser(catalogue);
  const results = input.texts.map((t) => ({ ...(t.task !== undefined && { task: t.task }), field: t.field, ...diagnoser.diagnose(t.text, limit) }));
  if (opts.json) {
    process.stdout.write(JSON.stringify({ input: input.kind, results }, null, 2) + "\n");
    return 0;
  }
  const style = process.stdout.isTTY ? ansiStyle : plainStyle;
  process.stdout.write(results.map((r) => humanLines(r, style).join("\n")).join("\n\n") + "\n");
  return 0;
}

function humanLines(r: TextDiagnosis & { task?: string; field: string }, style: Style): string[] {
  const lines: string[] = [];
  if (r.task) lines.push(style.dim(`${r.task} (${r.field === "container" ? "container reason" : r.field})`));
  lines.push(`${style.bold("text:")} ${r.text}`);
  const top = r.entries[0];
  if (!top) return [...lines, "No catalogue entry to compare with."];
  const tied = r.entries.filter((e) => e.score === top.score);
  if (r.known) {
    lines.push(
      tied.length > 1
        ? style.green(`Known text: ${tied.length} catalogue entries produce it; the text alone cannot tell them apart (ecs-pull capture or explain can).`)
        : style.green(`Known text: catalogue entry ${top.id} produces it.`),
    );
  } else if (top.match === "close") {
    lines.push(style.green(`Close to a catalogued text (another wording of it): best ${top.id}.`));
  } else {
    lines.push(style.red("Unknown text: no catalogue entry produces it. The nearest entries:"));
  }
  r.entries.forEach((e, i) => {
    lines.push(`${i + 1}. ${style.bold(e.id)}  ${e.title}  ${style.dim(`[${e.match}, ${e.score}]`)}`);
    if (e.cause) lines.push(`   cause: ${e.cause}`);
    lines.push(`   fix: ${e.fix}`, `   reproduce: ${e.reproduce}   ${style.dim(`(${e.run})`)}`);
  });
  return lines;
}
