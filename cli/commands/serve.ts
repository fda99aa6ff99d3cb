// `ecs-pull serve`: the emulator on a port until SIGINT/SIGTERM, with the teaching page (ui) at /ui/.
import { parseVersion } from "../../agent-sim/client.ts";
import { BUILTIN_ROTATION_FUNCTIONS, DEFAULT_ACCOUNT, EmulatorStore, type EcsInstanceConfig, type RotationFunction, RotationFunctionSpecError, isAwsRegion, openStateDir, parseRotationFunctions, startEmulator } from "../../emulator/index.ts";
import { UI_PATH, withLazyUi } from "../../ui/server/mount.ts";
import { UsageError } from "../exit-codes.ts";
import { checkClockFlags } from "./run-input.ts";
import { requestLogger, type RequestLogLevel } from "../render/request-log.ts";
import { parsePort } from "../options.ts";

/** Quiet time after which `serve` collects the heap a burst of calls grew (emulator/idle-collect.ts). */
export const SERVE_IDLE_COLLECT_MS = 1_000;

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
  /** Alias of the default (simulated agent time). */
  fast?: boolean;
  realTime?: boolean;
  log: string;
  /** `--allowed-host` (repeatable): more Host header names the server answers. */
  allowedHost?: string[];
  /** `--allow-remote`: bind a non-loopback address with the well-known admin key. */
  allowRemote?: boolean;
  /** `--state DIR`: keep the emulator's state there across restarts. */
  state?: string;
}

/** `ECS_PULL_ADMIN_KEY=ID:SECRET` replaces the well-known `test`/`test` admin key (environment only: not in `ps`). */
export const ADMIN_KEY_ENV = "ECS_PULL_ADMIN_KEY";

export function parseAdminKey(value: string | undefined): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (value === undefined || value === "") return undefined;
  const colon = value.indexOf(":");
  const accessKeyId = colon < 0 ? "" : value.slice(0, colon);
  const secretAccessKey = colon < 0 ? "" : value.slice(colon + 1);
  // The value is a secret: the error never repeats it.
  if (!/^[A-Za-z0-9]{1,128}$/.test(accessKeyId) || secretAccessKey.length === 0) {
    throw new UsageError(`${ADMIN_KEY_ENV} must be ACCESS_KEY_ID:SECRET_ACCESS_KEY (an alphanumeric key id, a non-empty secret)`);
  }
  return { accessKeyId, secretAccessKey };
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}

/**
 * A non-loopback bind with the public `test`/`test` admin key lets anyone on the network act as the account's root
 * (issue 16, finding 7): refused unless `--allow-remote` says it is meant (the container image) or another admin
 * key is set; a warning is printed either way.
 */
export function checkRemoteBind(host: string, allowRemote: boolean, customKey: boolean, warn: (line: string) => void): void {
  if (isLoopback(host)) return;
  if (!allowRemote && !customKey) {
    throw new UsageError(
      `--host ${host} is reachable from other machines, and the admin key test/test is public knowledge: pass --allow-remote to bind it anyway, or set ${ADMIN_KEY_ENV}=ID:SECRET to use your own admin key`,
    );
  }
  warn(
    customKey
      ? `warning: listening on ${host}: reachable from other machines; requests need the admin key from ${ADMIN_KEY_ENV} or a role session`
      : `warning: listening on ${host} with the admin key test/test, which is public knowledge: anyone who can reach this address acts as the account's root user`,
  );
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
  checkClockFlags(opts);
  const port = parsePort(opts.port);
  const account = parseAccount(opts.account ?? DEFAULT_ACCOUNT);
  const rotationFunctions = rotationFunctionsOf(opts.rotationFunction ?? []);
  const instances = opts.ecsInstance?.map(parseEcsInstance);
  if (!["all", "errors", "off"].includes(opts.log)) throw new UsageError(`--log must be all, errors or off, got "${opts.log}"`);
  const log = requestLogger(opts.log as RequestLogLevel, (line) => console.log(line));
  if (!isAwsRegion(opts.region)) throw new UsageError(`--region must be an AWS region such as us-east-1, got "${opts.region}"`);
  const adminKey = parseAdminKey(process.env[ADMIN_KEY_ENV]);
  checkRemoteBind(opts.host, opts.allowRemote === true, adminKey !== undefined, (line) => console.error(line));
  // Opened before listening: a damaged, future or locked state directory stops the start (exit 1).
  let store: EmulatorStore | undefined;
  const stateDir = opts.state === undefined ? undefined : openStateDir(opts.state, () => store!.exportPartitions());
  if (stateDir !== undefined) store = new EmulatorStore(stateDir.loaded);
  let server;
  try {
    server = await startEmulator({
      ...(store && { store }),
      ...(stateDir && { persist: () => stateDir.commit() }),
      port,
      host: opts.host,
      defaultRegion: opts.region,
      defaultAccount: account,
      rotationFunctions,
      ...(adminKey && { accounts: [{ account, ...adminKey }] }),
      ...(opts.allowedHost && { allowedHosts: opts.allowedHost }),
      signatureCheck: opts.verifySignatures,
      // The process is the server's: the heap a burst of calls grew is collected once they stop (issue 17).
      collectWhenIdleMs: SERVE_IDLE_COLLECT_MS,
      ...(log && { log, logLevel: opts.log === "errors" ? "errors" : "all" }),
      ecs: {
        ...(instances && { instances }),
        ...(opts.realTime && { realTime: true }),
      },
      ...(opts.ui !== false && { wrap: (app) => withLazyUi(app, { buildLog: (line) => console.log(line) }) }),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UsageError(`port ${port} on ${opts.host} is already in use; pick another with --port (0 = any free port)`);
    if (code === "EADDRNOTAVAIL") throw new UsageError(`cannot bind ${opts.host}: not an address of this machine`);
    throw error;
  } finally {
    if (server === undefined) await stateDir?.close();
  }
  const checking = opts.verifySignatures ? "SigV4 signatures checked" : "signatures NOT checked (--no-verify-signatures)";
  console.log(`ecs-pull emulator listening on ${server.url} (Secrets Manager, KMS, IAM, STS, ECS; account ${account}; ${checking})`);
  console.log(
    adminKey === undefined
      ? `  export AWS_ENDPOINT_URL=${server.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`
      : `  export AWS_ENDPOINT_URL=${server.url} AWS_ACCESS_KEY_ID=${adminKey.accessKeyId} AWS_SECRET_ACCESS_KEY=<the secret of ${ADMIN_KEY_ENV}>`,
  );
  if (opts.ui !== false) {
    // Loaded, and from a clone built, on the first visit: nothing no request asked for is built at start.
    console.log(`teaching page: ${server.url}${UI_PATH}/`);
  }
  if (stateDir !== undefined) console.log(`state kept in ${stateDir.path} (each change is on disk before it is answered)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
  await stateDir?.close();
}
