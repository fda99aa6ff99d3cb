// `ecs-pull demo`: the demo world from scenarios/demo.ts, printed case by case (or as one JSON document);
// `--web` serves the teaching page (ui) on 127.0.0.1 instead, prints its URL and waits for Ctrl-C.
import { runDemo } from "../../scenarios/demo.ts";
import type { DemoOutcome } from "../../scenarios/demo.ts";
import { EXIT } from "../exit-codes.ts";
import { ansiStyle, outcomeLines, plainStyle, stepLine } from "../render/human.ts";

export interface DemoCommandOptions {
  json?: boolean;
  /** Alias of realTime (old flag). */
  realDelays?: boolean;
  realTime?: boolean;
  web?: boolean;
}

async function serveWeb(): Promise<number> {
  const { startEmulator } = await import("../../emulator/index.ts");
  const { UI_PATH, withUi } = await import("../../ui/server/index.ts");
  const server = await startEmulator({ port: 0, wrap: (app) => withUi(app) });
  console.log(`ecs-pull demo: the teaching page is at ${server.url}${UI_PATH}/#s=cred-missing-suffix`);
  console.log("Pick a scenario, run it, edit a policy and run again. Ctrl-C stops the server.");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await server.close();
  return EXIT.RUNNING;
}

export async function demoCommand(opts: DemoCommandOptions): Promise<number> {
  if (opts.web) return serveWeb();
  const style = process.stdout.isTTY ? ansiStyle : plainStyle;
  const human = !opts.json;
  let index = 0;
  if (human) {
    console.log(style.bold("ecs-pull demo") + ": an emulator (Secrets Manager) and a registry (htpasswd) on 127.0.0.1, one image,");
    console.log("four tasks on a simulated EC2 container agent. The agent's retries run on\n");
    console.log(opts.realTime || opts.realDelays ? "real time (--real-time).\n" : "simulated agent time: ECS's attempts and delays, reported in the trace, without the sleeping.\n");
  }
  const outcomes = await runDemo({
    ...(process.env.ECS_PULL_DEMO_PASSWORD ? { registryPassword: process.env.ECS_PULL_DEMO_PASSWORD } : {}),
    ...((opts.realTime || opts.realDelays) && { realTime: true }),
    onCaseStart: (c) => {
      if (human) console.log(style.bold(`${++index}. ${c.title}`) + style.dim(`  [${c.id}]`));
    },
    onEvent: (_c, event) => {
      if (human && event.type === "step-end") console.log(stepLine(event.trace, style));
    },
    onCaseEnd: (o) => {
      if (!human) return;
      console.log(["", ...outcomeLines(o.run, style), ""].join("\n"));
      if (!o.asExpected) console.log(style.red(`  (unexpected: the demo expected ${o.expect.result}, exit ${o.expect.exitCode})\n`));
    },
  });
  const allAsExpected = outcomes.every((o) => o.asExpected);
  if (human) console.log(summary(outcomes));
  else process.stdout.write(JSON.stringify(outcomes.map(({ id, title, expect, asExpected, run }) => ({ id, title, expect, asExpected, run })), null, 2) + "\n");
  return allAsExpected ? EXIT.RUNNING : EXIT.ENVIRONMENT;
}

function summary(outcomes: DemoOutcome[]): string {
  const lines = outcomes.map((o) => `  ${o.asExpected ? "✓" : "✗"} ${o.id.padEnd(18)} ${o.run.result.padEnd(8)} exit ${o.run.exitCode}`);
  return ["Summary (each task ended as ECS would end it):", ...lines, "Everything the demo started has been stopped."].join("\n");
}
