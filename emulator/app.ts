// The emulator as an express app, built by a factory so that tests mount it with supertest and the CLI listens
// on a port. One visible chain per request:
//   request id → body → route (X-Amz-Target → service, operation) → authenticate (placeholder) → handler
//   → AWS error rendering (anything unexpected becomes InternalServiceError, without internals).
import express, { type NextFunction, type Request, type Response } from "express";
import { type Caller, type CallerDefaults, DEFAULT_ACCOUNT, DEFAULT_REGION, resolveCaller } from "./caller.ts";
import type { RequestContext } from "./context.ts";
import { AwsError, AwsErrorCode } from "./protocol/aws-error.ts";
import { WireText } from "./protocol/aws-texts.ts";
import { parseJsonBody, sendError, sendJson } from "./protocol/json-wire.ts";
import { requestId } from "./protocol/request-id.ts";
import { type RoutedCall, ServiceRegistry } from "./protocol/router.ts";
import { secretsManagerService } from "./services/secretsmanager/index.ts";
import { EmulatorStore } from "./state/store.ts";
import { CallStats } from "./stats.ts";

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** One line per answered request. Never carries secret values (inputs and outputs are not logged). */
export interface EmulatorLogEntry {
  requestId: string;
  service?: string;
  operation?: string;
  account?: string;
  region?: string;
  status: number;
  errorCode?: string;
  ms: number;
}

export interface EmulatorOptions {
  store?: EmulatorStore;
  /** Only `now()` is used (milliseconds since the epoch). */
  clock?: { now(): number };
  defaultRegion?: string;
  defaultAccount?: string;
  log?: (entry: EmulatorLogEntry) => void;
}

export interface Emulator {
  app: express.Express;
  store: EmulatorStore;
  stats: CallStats;
  registry: ServiceRegistry;
}

interface CallLocals {
  requestId: string;
  started: number;
  call?: RoutedCall;
  input?: Record<string, unknown>;
  caller?: Caller;
  errorCode?: string;
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const store = options.store ?? new EmulatorStore();
  const clock = options.clock ?? { now: () => Date.now() };
  const defaults: CallerDefaults = { region: options.defaultRegion ?? DEFAULT_REGION, account: options.defaultAccount ?? DEFAULT_ACCOUNT };
  const stats = new CallStats();
  const registry = new ServiceRegistry().addJson(secretsManagerService);
  const log = options.log;

  const locals = (res: Response) => res.locals as CallLocals;

  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");

  app.use(requestId());
  app.use((_req, res, next) => {
    locals(res).started = performance.now();
    if (log !== undefined) res.on("finish", () => log(logEntry(res)));
    next();
  });

  // Any content type: the SDKs send application/x-amz-json-1.1, hand-written requests often something else.
  const body = express.raw({ type: () => true, limit: BODY_LIMIT_BYTES });

  function route(req: Request, res: Response, next: NextFunction): void {
    const call = registry.route(req.get("x-amz-target"));
    locals(res).call = call;
    locals(res).input = parseJsonBody(req.body);
    next();
  }

  // Placeholder for the SigV4 check: today it only reads who signed and for which region.
  function authenticate(req: Request, res: Response, next: NextFunction): void {
    locals(res).caller = resolveCaller(req.get("authorization"), defaults);
    next();
  }

  function invoke(_req: Request, res: Response): void {
    const { call, input, caller, requestId: id } = locals(res);
    const ctx: RequestContext = { account: caller!.account, region: caller!.region, requestId: id, now: clock.now(), store };
    let errorCode: string | undefined;
    try {
      sendJson(res, 200, call!.handler(ctx, input!));
    } catch (error) {
      errorCode = error instanceof AwsError ? error.code : AwsErrorCode.InternalServiceError;
      throw error;
    } finally {
      const secretId = call!.service.resourceMember?.(call!.operation, input!);
      stats.record({
        service: call!.service.name,
        operation: call!.operation,
        ...(secretId !== undefined && { secretId }),
        region: ctx.region,
        account: ctx.account,
        requestId: id,
        ...(errorCode !== undefined && { errorCode }),
      });
    }
  }

  app.get("/_ecs-pull/health", (_req, res) => sendJson(res, 200, { status: "ok" }));
  app.post("/", body, route, authenticate, invoke);
  app.use((req: Request) => {
    throw new AwsError(AwsErrorCode.UnknownOperationException, WireText.notAnAwsRequest(req.method, req.path));
  });

  // Renders every failure in the AWS shape of the service the request was for.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const messageKey = (locals(res).call?.service ?? registry.serviceForTarget(req.get("x-amz-target")))?.messageKey ?? "message";
    const awsError = toAwsError(error);
    locals(res).errorCode = awsError.code;
    if (res.headersSent) {
      res.end();
      return;
    }
    sendError(res, awsError, messageKey);
  });

  function logEntry(res: Response): EmulatorLogEntry {
    const l = locals(res);
    return {
      requestId: l.requestId,
      ...(l.call && { service: l.call.service.name, operation: l.call.operation }),
      ...(l.caller && { account: l.caller.account, region: l.caller.region }),
      status: res.statusCode,
      ...(l.errorCode !== undefined && { errorCode: l.errorCode }),
      ms: Math.round((performance.now() - l.started) * 1000) / 1000,
    };
  }

  return { app, store, stats, registry };
}

/** Body-parser failures get their own AWS-like answers; anything else unexpected hides its internals. */
function toAwsError(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  const type = (error as { type?: unknown } | null)?.type;
  if (type === "entity.too.large") return new AwsError(AwsErrorCode.RequestEntityTooLarge, WireText.bodyTooLarge(BODY_LIMIT_BYTES), 413);
  if (type === "request.aborted" || type === "request.size.invalid" || type === "encoding.unsupported" || type === "charset.unsupported") {
    return new AwsError(AwsErrorCode.SerializationException, WireText.malformedJson);
  }
  return new AwsError(AwsErrorCode.InternalServiceError, WireText.internal, 500);
}
