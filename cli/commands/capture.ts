// `ecs-pull capture --task ARN|ID [--cluster C] | --task-definition FAMILY[:REV]|ARN [--launch-type T]
//  [--region R] [--endpoint URL] [-o repro.yaml] [--anonymize] [--registry-password same|different] [--json]`
// and `ecs-pull scenario export --endpoint URL --task-definition FAMILY [-o f.yaml]`: read-only captures through
// the library (capture/). Exit 0 written, 1 AWS unreachable (environment), 2 usage (no such task, a task that has
// not stopped, ECS refusing the reads, bad flags).
import { writeFileSync } from "node:fs";
import { EnvironmentError, localEndpointCredentials } from "../../agent-sim/index.ts";
import { anonymize } from "../../capture/anonymize.ts";
import { createSdkCaptureReader } from "../../capture/aws-reader.ts";
import { captureTask, CaptureError, type Capture } from "../../capture/capture.ts";
import { scenarioFileText } from "../../capture/scenario-file.ts";
import { loadCatalogue } from "../../scenarios/load.ts";
import { parseScenario } from "../../scenarios/load.ts";
import { UsageError } from "../exit-codes.ts";
import { endpointOverride } from "./run-input.ts";

export interface CaptureOptions {
  task?: string;
  cluster?: string;
  taskDefinition?: string;
  launchType?: string;
  region?: string;
  endpoint?: string;
  output?: string;
  anonymize?: boolean;
  registryPassword?: string;
  json?: boolean;
}

const LAUNCH_TYPES = ["EC2", "FARGATE", "EXTERNAL"] as const;

function regionOf(opts: CaptureOptions): string {
  const fromArn = [opts.task, opts.taskDefinition].find((x) => x?.startsWith("arn:"))?.split(":")[3];
  const region = opts.region ?? fromArn ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError("no region: give --region (or AWS_REGION), or a task ARN");
  if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/.test(region)) throw new UsageError(`--region: "${region}" is not an AWS region name such as eu-west-1`);
  return region;
}

export async function captureCommand(opts: CaptureOptions, mode: "capture" | "export" = "capture"): Promise<number> {
  if (!opts.task && !opts.taskDefinition) throw new UsageError(mode === "export" ? "--task-definition is required" : "give --task (a stopped task's ARN or id) or --task-definition");
  if (opts.task && opts.taskDefinition) throw new UsageError("give --task or --task-definition, not both");
  if (opts.registryPassword !== undefined && opts.registryPassword !== "same" && opts.registryPassword !== "different") {
    throw new UsageError(`--registry-password: same or different (got "${opts.registryPassword}")`);
  }
  if (opts.launchType !== undefined && !(LAUNCH_TYPES as readonly string[]).includes(opts.launchType)) throw new UsageError(`--launch-type: one of ${LAUNCH_TYPES.join(", ")}`);
  const endpoint = endpointOverride(opts);
  const region = regionOf(opts);
  const credentials = endpoint ? localEndpointCredentials() : undefined;
  const reader = createSdkCaptureReader({ region, ...(endpoint && { endpoint }), ...(credentials && { credentials }) });
  let capture: Capture;
  try {
    capture = await captureTask(reader, {
      ...(opts.task && { task: opts.task }),
      ...(opts.cluster && { cluster: opts.cluster }),
      ...(opts.taskDefinition && { taskDefinition: opts.taskDefinition }),
      ...(opts.launchType && { launchType: opts.launchType as (typeof LAUNCH_TYPES)[number] }),
      region,
      ...(opts.registryPassword && { registryPassword: opts.registryPassword as "same" | "different" }),
      catalogue: loadCatalogue(),
      now: new Date(),
    });
  } catch (error) {
    if (error instanceof CaptureError) throw new UsageError(error.message);
    const e = error as { name?: string; code?: string; message?: string };
    throw new EnvironmentError(`cannot reach AWS${endpoint ? ` at ${endpoint}` : ""}: ${e.code ?? e.name ?? "error"}: ${e.message ?? String(error)}`);
  } finally {
    reader.destroy();
  }
  if (opts.anonymize) capture = anonymize(capture);
  // The file must load as any scenario does: a capture that would not is a bug here, not the user's problem.
  parseScenario(JSON.parse(JSON.stringify(capture.scenario)), opts.output ?? "(capture)");
  const text = scenarioFileText(capture, [mode === "export" ? `Exported from ${endpoint ?? "the SDK's endpoint"}` : opts.anonymize ? "Anonymized (account ids, names and hosts replaced)" : `From ${opts.task ?? opts.taskDefinition} in ${region}`]);
  if (opts.output) writeFileSync(opts.output, text);
  if (opts.json) {
    process.stdout.write(JSON.stringify({ file: opts.output ?? null, scenario: capture.scenario, refused: capture.refused, unknowns: capture.scenario.unknowns ?? [] }, null, 2) + "\n");
  } else if (opts.output) {
    process.stdout.write(`wrote ${opts.output} (${capture.scenario.id})\n`);
    for (const r of capture.refused) process.stdout.write(`  AWS refused: ${r}\n`);
    for (const u of capture.scenario.unknowns ?? []) process.stdout.write(`  unknown ${u.id}: assuming ${u.assume} (--assume ${u.id}=<${Object.keys(u.choices).join("|")}>)\n`);
    process.stdout.write(`reproduce it: ecs-pull scenario run ${opts.output}\n`);
  } else process.stdout.write(text);
  return 0;
}
