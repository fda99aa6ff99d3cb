// `doctor()`: is this machine ready to reproduce an ECS pull? The resolved endpoint of each AWS service and whether
// it answers, where credentials come from (never the secrets), the Docker engine, the registry, the AWS CLI, and
// what is missing with the fix. Essentials: Secrets Manager and STS answering, credentials, an engine, a registry.
import { type CredentialsSource, credentialsSource } from "./credentials-source.ts";
import { type ResolvedEndpoint, resolveEndpoints } from "./endpoints.ts";
import { connectDocker } from "../../agent-sim/index.ts";
import { type AwsCliReport, probeAwsClis } from "./aws-cli.ts";
import { type LocalStackRefusal, listLocalStackContainers, localStackRefusals } from "./localstack.ts";
import { type DockerProbe, type RegistryProbe, PROBE_TIMEOUT_MS, callerIdentity, probeDocker, probeRegistry, tcpAnswers, toolVersion } from "./probes.ts";

export { EndpointError, resolveEndpoint, resolveEndpoints, awsEndpoint, DOCTOR_SERVICES, SERVICE_ENDPOINT_ENV } from "./endpoints.ts";
export type { ResolvedEndpoint, DoctorService, EndpointSource } from "./endpoints.ts";
export { credentialsSource, maskAccessKeyId } from "./credentials-source.ts";
export type { CredentialsSource } from "./credentials-source.ts";
export { chooseAwsCli, honoursEndpointUrl, parseAwsCliVersion, ENDPOINT_URL_SINCE } from "./aws-cli.ts";
export type { AwsCliFound, AwsCliReport } from "./aws-cli.ts";
export { localStackRefusals, LOCALSTACK_LICENSE_EXIT } from "./localstack.ts";
export type { LocalStackContainer, LocalStackRefusal } from "./localstack.ts";

export interface DoctorOptions {
  /** One endpoint for every service (like `ecs-pull run --endpoint`). */
  endpoint?: string;
  region?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Contact AWS's own endpoints (TCP, STS GetCallerIdentity) when a service has no endpoint configured. Off by
   * default: doctor then makes no network call to AWS and says "no endpoint configured: real AWS".
   */
  checkAws?: boolean;
}

export interface EndpointCheck extends ResolvedEndpoint {
  /** False for AWS's own endpoint when checkAws is off: not contacted, `answers` is then false and means nothing. */
  checked: boolean;
  answers: boolean;
  detail: string;
}

export const NOT_CONTACTED = "no endpoint configured: real AWS (not contacted; `ecs-pull doctor --check-aws` checks it)";

export interface Missing {
  what: string;
  fix: string;
  /** Essentials decide the exit code; the rest is nice to have. */
  essential: boolean;
}

export interface DoctorReport {
  /** True when every essential is there (exit 0). */
  ok: boolean;
  region: string;
  endpoints: EndpointCheck[];
  credentials: CredentialsSource & { identity?: string };
  docker: DockerProbe;
  registry: RegistryProbe;
  awsCli: AwsCliReport;
  /** LocalStack containers that exited because no LOCALSTACK_AUTH_TOKEN was set (looked for when an endpoint is local). */
  localStackRefusals: LocalStackRefusal[];
  dockerCompose: { ok: boolean; version?: string };
  missing: Missing[];
}

const LOCAL_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export async function doctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const region = options.region ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? "us-east-1";
  const resolved = resolveEndpoints(region, env, options.endpoint);
  const allLocal = resolved.every((e) => e.kind === "local");
  const credentials: DoctorReport["credentials"] = credentialsSource(env, allLocal);
  const check = async (e: ResolvedEndpoint): Promise<EndpointCheck> =>
    e.kind === "aws" && !options.checkAws ? { ...e, checked: false, answers: false, detail: NOT_CONTACTED } : { ...e, checked: true, ...(await tcpAnswers(e.url)) };

  const anyLocal = resolved.some((e) => e.kind === "local");
  const localStack = async (): Promise<LocalStackRefusal[]> => {
    if (!anyLocal) return [];
    try {
      return localStackRefusals(await listLocalStackContainers(await connectDocker({ env, pingTimeoutMs: PROBE_TIMEOUT_MS })));
    } catch {
      return []; // no engine: reported by the Docker probe
    }
  };

  const [endpoints, docker, registry, awsCli, composeVersion, refusals] = await Promise.all([
    Promise.all(resolved.map(check)),
    probeDocker(env),
    probeRegistry(env),
    probeAwsClis(env, (command) => toolVersion(command, ["--version"], env)),
    toolVersion("docker-compose", ["version", "--short"], env),
    localStack(),
  ]);

  const missing: Missing[] = [];
  const sts = endpoints.find((e) => e.service === "sts")!;
  if (sts.checked && sts.answers && credentials.kind !== "none") {
    const identity = await callerIdentity(sts.kind === "aws" ? undefined : sts.url, region, credentials.kind === "local-default" ? LOCAL_CREDENTIALS : undefined);
    if (identity.ok) credentials.identity = identity.arn;
    else {
      const fix = identity.notAService
        ? `something other than an AWS service listens on ${sts.url}: point ${sts.variable ?? "--endpoint"} at \`ecs-pull serve\` or a LocalStack`
        : fixForCredentials(sts);
      missing.push({ what: `STS GetCallerIdentity failed at ${sts.url}: ${identity.error}`, fix, essential: true });
    }
  }
  for (const e of endpoints) {
    if (e.answers || !e.checked) continue;
    const essential = e.service === "secretsmanager" || e.service === "sts";
    missing.push({ what: `${e.service} endpoint ${e.url} (${e.variable ?? e.source}) does not answer: ${e.detail}`, fix: fixForEndpoint(e), essential });
  }
  for (const r of refusals) missing.push({ what: r.what, fix: r.fix, essential: false });
  if (credentials.kind === "none") {
    missing.push({ what: "AWS credentials", fix: "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE (any values work against the emulator)", essential: true });
  }
  if (!docker.ok) missing.push({ what: "a Docker engine", fix: "start Docker, set DOCKER_HOST, or run `npm run env:up` (Debian, as root)", essential: true });
  if (!registry.ok) {
    missing.push({ what: "a registry", fix: "`docker pull registry:2` (Docker Hub), or `apt-get install docker-registry`, or `npm run env:up`", essential: true });
  }
  if (!awsCli.ok) {
    missing.push({ what: `the AWS CLI v2 (${awsCli.chosenBecause})`, fix: "install AWS CLI v2 (Debian: apt-get install awscli) or set ECS_PULL_AWS_CLI to its path", essential: false });
  }
  if (!composeVersion) missing.push({ what: "docker-compose (for docker-compose.yml)", fix: "apt-get install docker-compose, or use `docker compose`", essential: false });

  return {
    ok: missing.every((m) => !m.essential),
    region,
    endpoints,
    credentials,
    docker,
    registry,
    awsCli,
    localStackRefusals: refusals,
    dockerCompose: { ok: composeVersion !== undefined, ...(composeVersion && { version: composeVersion }) },
    missing,
  };
}

function fixForEndpoint(e: EndpointCheck): string {
  if (e.kind === "local") {
    return `start the emulator (\`ecs-pull serve --port ${new URL(e.url).port || 80}\`) or LocalStack (images from 2026-03 on need LOCALSTACK_AUTH_TOKEN), or point ${e.variable ?? "AWS_ENDPOINT_URL"} elsewhere`;
  }
  if (e.kind === "aws") return "check the network (real AWS), or set AWS_ENDPOINT_URL to the emulator (`ecs-pull serve`) or a LocalStack";
  return `check that ${e.url} is up and reachable`;
}

function fixForCredentials(sts: EndpointCheck): string {
  return sts.kind === "aws"
    ? "check the credentials of the default chain (aws sts get-caller-identity) and the clock"
    : "use the emulator's admin key (AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test) or one it issued";
}
