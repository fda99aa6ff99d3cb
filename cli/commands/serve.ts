// `ecs-pull serve`: the emulator on a port until SIGINT/SIGTERM, with the teaching page (ui) at /ui/.
import { fastRetryPolicies, parseVersion } from "../../agent-sim/index.ts";
import { BUILTIN_ROTATION_FUNCTIONS, DEFAULT_ACCOUNT, type EcsInstanceConfig, type RotationFunction, RotationFunctionSpecError, parseRotationFunctions, startEmulator } from "../../emulator/index.ts";
import { UI_DIST_DIR, UI_PATH, withUi } from "../../ui/server/index.ts";
import { ensurePageBuilt } from "../../ui/server/build-page.ts";
import { UsageError } from "../exit-codes.ts";
import { requestLogger, type RequestLogLevel } from "../render/request-log.ts";
import { parsePort } from "../options.ts";

export interface ServeOptions {
  port: string;
  host: string;
  region: string;
  /** 12 digits: the account of the default admin key. */
  account: string;
  /** `ARN=COMMAND|URL`, repeatable. */
  rotationFunction?: string[];
  /** commander's --no-verify-signatures sets this to false. */
  verifySignatures: boolean;
  /** commander's --no-ui sets this to false. */
  ui?: boolean;
  ecsInstance?: string[];
  fast?: boolean;
  log: string;
}

/** `cluster:version[:external]` → an ECS container instance of the emulator. */
export function parseEcsInstance(value: string): EcsInstanceConfig {
  const [cluster, agentVersion, kind, ...rest] = value.split(":");
  const valid = cluster && /^[A-Za-z0-9_-]{1,255}$/.test(cluster) && agentVersion && parseVersion(agentVersion) && rest.length === 0 && (kind === undefined || kind === "external");
  if (!valid) throw new UsageError(`--ecs-instance must be CLUSTER:AGENT_VERSION[:external], e.g. default:1.18.0, got "${value}"`);
  return { cluster, agentVersion, ...(kind === "external" && { external: true }) };
}

/** `--account`: exactly 12 digits, like an AWS account id. */
export function parseAccount(value: string): string {
  if (!/^\d{12}$/.test(value)) throw new UsageError(`--account must be a 12-digit AWS account id, got "${value}"`);
  return value;
}

/** `--rotation-function ARN=COMMAND|URL|builtin:NAME` (repeatable) → the emulator's rotation functions. */
export function rotationFunctionsOf(specs: readonly string[]): Map<string, RotationFunction> {
  try {
    return parseRotationFunctions(specs, BUILTIN_ROTATION_FUNCTIONS);
  } catch (error) {
    if (error instanceof RotationFunctionSpecError) throw new UsageError(error.message);
    throw error;
  }
}

export async function serveCommand(opts: ServeOptions): Promise<void> {
  const port = parsePort(opts.port);
  const account = parseAccount(opts.account ?? DEFAULT_ACCOUNT);
  const rotationFunctions = rotationFunctionsOf(opts.rotationFunction ?? []);
  const instances = opts.ecsInstance?.map(parseEcsInstance);
  if (!["all", "errors", "off"].includes(opts.log)) throw new UsageError(`--log must be all, errors or off, got "${opts.log}"`);
  const log = requestLogger(opts.log as RequestLogLevel, (line) => console.log(line));
  let server;
  try {
    server = await startEmulator({
      port,
      host: opts.host,
      defaultRegion: opts.region,
      defaultAccount: account,
      rotationFunctions,
      signatureCheck: opts.verifySignatures,
      ...(log && { log }),
      ecs: {
        ...(instances && { instances }),
        ...(opts.fast && { pullRetry: fastRetryPolicies.pullRetry, manifestRetry: fastRetryPolicies.manifestRetry }),
      },
      ...(opts.ui !== false && { wrap: (app) => withUi(app) }),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UsageError(`port ${port} on ${opts.host} is already in use; pick another with --port (0 = any free port)`);
    if (code === "EADDRNOTAVAIL") throw new UsageError(`cannot bind ${opts.host}: not an address of this machine`);
    throw error;
  }
  const checking = opts.verifySignatures ? "SigV4 signatures checked" : "signatures NOT checked (--no-verify-signatures)";
  console.log(`ecs-pull emulator listening on ${server.url} (Secrets Manager, KMS, IAM, STS, ECS; account ${account}; ${checking})`);
  console.log(`  export AWS_ENDPOINT_URL=${server.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`);
  if (opts.ui !== false) {
    console.log(`teaching page: ${server.url}${UI_PATH}/`);
    // A clone's first start builds the page now rather than on the first visit (which would wait for the same build).
    ensurePageBuilt(UI_DIST_DIR, { log: (line) => console.log(line) }).catch((error: Error) => console.error(`ecs-pull: ${error.message}`));
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
}
