// `ecs-pull doctor`: prints the library's doctor() report (human or --json). Exit 0 when every essential is
// there, 1 otherwise; a malformed --endpoint or AWS_ENDPOINT_URL* is a usage error (2).
import { EndpointError, doctor } from "../../stack/doctor/index.ts";
import type { AwsCliReport, DoctorReport } from "../../stack/doctor/index.ts";
import { EXIT, UsageError } from "../exit-codes.ts";

export interface DoctorCommandOptions {
  endpoint?: string;
  region?: string;
  json?: boolean;
  /** Contact AWS's own endpoints for services with no endpoint configured. */
  checkAws?: boolean;
}

export async function doctorCommand(opts: DoctorCommandOptions): Promise<number> {
  let report: DoctorReport;
  try {
    report = await doctor({
      ...(opts.endpoint !== undefined && { endpoint: opts.endpoint }),
      ...(opts.region !== undefined && { region: opts.region }),
      ...(opts.checkAws && { checkAws: true }),
    });
  } catch (error) {
    if (error instanceof EndpointError) throw new UsageError(error.message);
    throw error;
  }
  console.log(opts.json ? JSON.stringify(report, null, 2) : renderDoctor(report).join("\n"));
  return report.ok ? EXIT.RUNNING : EXIT.ENVIRONMENT;
}

export function renderDoctor(report: DoctorReport): string[] {
  const mark = (ok: boolean) => (ok ? "ok " : "!! ");
  const lines = [`AWS endpoints (region ${report.region}):`];
  for (const e of report.endpoints) {
    const from = e.variable ?? e.source;
    const state = !e.checked ? e.detail : e.answers ? "answers" : `no answer: ${e.detail}`;
    lines.push(`  ${e.checked ? mark(e.answers) : "-- "}${e.service.padEnd(15)}${e.url}  (${from}; ${e.kind})  ${state}`);
  }
  const c = report.credentials;
  lines.push(`credentials:  ${mark(c.kind !== "none")}${c.detail}${c.identity ? ` → ${c.identity}` : ""}`);
  lines.push(`docker:       ${mark(report.docker.ok)}${report.docker.detail}`);
  const r = report.registry;
  lines.push(`registry:     ${mark(r.ok)}${r.mode === "none" ? "cannot run" : `runs as ${r.mode === "container" ? "the registry:2 container" : "the native binary"}`} (${r.detail})`);
  lines.push(...awsCliLines(report.awsCli));
  lines.push(`compose:      ${mark(report.dockerCompose.ok)}${report.dockerCompose.version ? `docker-compose ${report.dockerCompose.version}` : "docker-compose not installed"}`);
  if (report.missing.length > 0) {
    lines.push("missing:");
    for (const m of report.missing) lines.push(`  - ${m.what}${m.essential ? "" : " (optional)"}\n    fix: ${m.fix}`);
  }
  lines.push(report.ok ? "ready: every essential is there" : "not ready: see what is missing above");
  return lines;
}

/** The CLI used and whether it honours AWS_ENDPOINT_URL, then every CLI found with its version. */
export function awsCliLines(cli: AwsCliReport): string[] {
  const endpointUrl = (honours: boolean | undefined) =>
    honours === undefined ? "" : honours ? "honours AWS_ENDPOINT_URL" : "ignores AWS_ENDPOINT_URL: pass --endpoint-url";
  const head = cli.ok
    ? `uses ${cli.command} (aws-cli/${cli.version}; ${cli.chosenBecause}), which ${endpointUrl(cli.honoursEndpointUrl)}`
    : cli.command !== undefined
      ? `${cli.command} does not run (${cli.chosenBecause})`
      : cli.chosenBecause;
  const lines = [`aws cli:      ${cli.ok ? "ok " : "!! "}${head}`];
  const width = Math.max(0, ...cli.found.map((f) => f.path.length));
  for (const f of cli.found) {
    const alias = f.realPath !== f.path ? ` → ${f.realPath}` : "";
    const what = f.version ? `aws-cli/${f.version} (${endpointUrl(f.honoursEndpointUrl).replace(": pass --endpoint-url", "")})` : "does not run";
    lines.push(`  found:      ${f.path.padEnd(width)}  ${what}${alias}${f.path === cli.command ? "  ← used" : ""}`);
  }
  return lines;
}
