// Which AWS CLIs this machine has, which one ecs-pull's tests and examples use, and whether that one honours
// AWS_ENDPOINT_URL. Every `aws` on PATH and /usr/bin/aws (Debian's awscli, which scripts/env.sh installs) is named
// with its version, once per real file. The one used: ECS_PULL_AWS_CLI when set (scripts/env.sh records it), else
// /usr/bin/aws when it is a v2, else the first v2 on PATH; a v1 alone is reported but not used (the tests drive v2).
//
// AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>) is honoured from AWS CLI 2.13.0 and 1.29.0: aws/aws-cli
// CHANGELOG.rst, "feature:configuration: Configure the endpoint URL in the shared configuration file or via an
// environment variable for a specific AWS service or all AWS services" (branch v2 under 2.13.0, branch develop
// under 1.29.0). Older CLIs ignore it and go to AWS's own endpoints; `--endpoint-url` works in every version.
import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, join } from "node:path";
import semver from "semver";

export const DEBIAN_AWS_CLI = "/usr/bin/aws";
/** The first versions whose AWS_ENDPOINT_URL support the CHANGELOG announces, per major version. */
export const ENDPOINT_URL_SINCE: Record<1 | 2, string> = { 1: "1.29.0", 2: "2.13.0" };

export interface AwsCliFound {
  path: string;
  /** The file behind symlinks (/bin/aws and /usr/bin/aws are one CLI on merged-/usr systems). */
  realPath: string;
  /** `aws-cli/2.9.19 Python/3.11.2 …`'s version; undefined when the command does not run. */
  version?: string;
  major?: number;
  honoursEndpointUrl?: boolean;
}

export interface AwsCliReport {
  ok: boolean;
  /** The CLI used (ECS_PULL_AWS_CLI, else /usr/bin/aws when v2, else the first v2 on PATH). */
  command?: string;
  version?: string;
  honoursEndpointUrl?: boolean;
  /** Why that one: "ECS_PULL_AWS_CLI", "/usr/bin/aws is v2", "the first v2 on PATH", or why none. */
  chosenBecause: string;
  found: AwsCliFound[];
}

/** `aws-cli/2.9.19 Python/…` → 2.9.19 and its major version. */
export function parseAwsCliVersion(line: string): { version: string; major: number } | undefined {
  const first = line.trim().split(/\s/)[0] ?? "";
  if (!first.startsWith("aws-cli/")) return undefined;
  const version = semver.valid(semver.coerce(first.slice("aws-cli/".length)));
  return version ? { version, major: semver.major(version) } : undefined;
}

export function honoursEndpointUrl(version: string): boolean {
  const major = semver.major(version);
  const since = major === 1 || major === 2 ? ENDPOINT_URL_SINCE[major] : undefined;
  return since === undefined ? major > 2 : semver.gte(version, since);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Every executable `aws` on PATH in order, then /usr/bin/aws and ECS_PULL_AWS_CLI; one entry per real file. */
export function awsCliCandidates(env: NodeJS.ProcessEnv): { path: string; realPath: string }[] {
  const dirs = (env["PATH"] ?? "").split(delimiter).filter((d) => d !== "");
  const paths = [...dirs.map((d) => join(d, "aws")), DEBIAN_AWS_CLI, ...(env["ECS_PULL_AWS_CLI"] ? [env["ECS_PULL_AWS_CLI"]] : [])];
  const seen = new Set<string>();
  const out: { path: string; realPath: string }[] = [];
  for (const path of paths) {
    if (!isExecutable(path)) continue;
    const realPath = realPathOf(path);
    if (seen.has(realPath)) continue;
    seen.add(realPath);
    out.push({ path, realPath });
  }
  return out;
}

/** Pure: the CLI used among those found (with versions), by the rule above. */
export function chooseAwsCli(found: AwsCliFound[], env: NodeJS.ProcessEnv): AwsCliReport {
  const report = (cli: AwsCliFound | undefined, chosenBecause: string, command = cli?.path): AwsCliReport => ({
    ok: cli?.version !== undefined,
    ...(command !== undefined && { command }),
    ...(cli?.version !== undefined && { version: cli.version }),
    ...(cli?.honoursEndpointUrl !== undefined && { honoursEndpointUrl: cli.honoursEndpointUrl }),
    chosenBecause,
    found,
  });
  const configured = env["ECS_PULL_AWS_CLI"];
  if (configured) {
    const cli = found.find((f) => f.path === configured || f.realPath === realPathOf(configured));
    return report(cli, cli?.version ? "ECS_PULL_AWS_CLI" : "ECS_PULL_AWS_CLI, which does not run", configured);
  }
  const debian = found.find((f) => f.realPath === realPathOf(DEBIAN_AWS_CLI));
  if (debian?.major === 2) return report(debian, `${DEBIAN_AWS_CLI} is v2`);
  const v2 = found.find((f) => f.major === 2);
  if (v2) return report(v2, "the first v2 on PATH");
  return report(undefined, found.some((f) => f.version) ? "no AWS CLI v2 found (only v1)" : "no AWS CLI found");
}

export async function probeAwsClis(env: NodeJS.ProcessEnv, versionOf: (command: string) => Promise<string | undefined>): Promise<AwsCliReport> {
  const found = await Promise.all(
    awsCliCandidates(env).map(async ({ path, realPath }): Promise<AwsCliFound> => {
      const parsed = parseAwsCliVersion((await versionOf(path)) ?? "");
      return { path, realPath, ...(parsed && { version: parsed.version, major: parsed.major, honoursEndpointUrl: honoursEndpointUrl(parsed.version) }) };
    }),
  );
  return chooseAwsCli(found, env);
}
