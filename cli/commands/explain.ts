// `ecs-pull explain TASKDEF.json`: the launch up to the pull, without pulling (register, place, assume the
// execution role, GetSecretValue + parse), and for every secret the IAM decisions for secretsmanager:GetSecretValue
// and kms:Decrypt by statement. Same flags and exit codes as `run`; 0 when everything up to the pull would pass.
import { explainTask } from "../../agent-sim/index.ts";
import type { AgentEvent, TaskExplanation } from "../../agent-sim/index.ts";
import { ansiStyle, launchLine, outcomeLines, plainStyle, stepLine } from "../render/human.ts";
import type { Style } from "../render/human.ts";
import { prepareLaunch } from "./run.ts";
import { readTaskDefinitionFile } from "./run-input.ts";
import type { RunOptions } from "./run-input.ts";

export async function explainCommand(file: string, opts: RunOptions): Promise<number> {
  const taskDefinition = await readTaskDefinitionFile(file);
  const { launch, ports } = prepareLaunch(opts);
  const human = !opts.json;
  const style = process.stdout.isTTY ? ansiStyle : plainStyle;
  const onEvent = (event: AgentEvent) => {
    if (human && event.type === "step-end") process.stdout.write(stepLine(event.trace, style) + "\n");
  };
  let explained: TaskExplanation;
  try {
    if (human) process.stdout.write(`ecs-pull explain ${file} (checks up to the pull; nothing is pulled)\n`);
    explained = await explainTask({ taskDefinition, launch, ports, options: { onEvent } });
  } finally {
    ports.close();
  }
  if (human) process.stdout.write(explainLines(explained, style).join("\n") + "\n");
  else process.stdout.write(JSON.stringify(explained, null, 2) + "\n");
  return explained.run.exitCode;
}

export function explainLines(explained: TaskExplanation, style: Style): string[] {
  const { run } = explained;
  const lines = [`  launch: ${launchLine(run)}`];
  // A failure's diagnosis carries its own explanation (printed with it below).
  for (const s of run.diagnosis?.explanation ? [] : explained.secrets) {
    lines.push("", style.bold(`IAM for ${s.secretId} (${s.region}; containers ${s.containers.join(", ")})`));
    for (const line of s.explanation.text.split("\n")) lines.push(`  ${line}`);
  }
  lines.push("");
  if (run.result === "RUNNING") {
    lines.push(style.green(style.bold("Everything up to the pull would pass")) + " (registration, placement, execution role, secrets).");
  } else {
    lines.push(...outcomeLines(run, style));
  }
  return lines;
}
