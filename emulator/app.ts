// The emulator, built by a factory: `handler` for node:http (server.ts listens with it) and an express `app` that
// tests mount with supertest. One visible chain per AWS request (`POST /`, handleAwsCall, plain node:http):
//   request id → body → route (X-Amz-Target → JSON service, or a form body's Action → Query service)
//   → authenticate (SigV4 check, access key → principal) → handler
//   → AWS error rendering in the service's wire shape (anything unexpected becomes InternalServiceError).
// express serves the rest (the health check, the answer to anything that is not an AWS call) and hands `POST /` to
// the same chain. ECS and the internal service load on their first call (protocol/lazy-service.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import { EMULATOR_HEALTH_PATH } from "../agent-sim/client.ts";
import { DEFAULT_ADMIN_KEY, accessKeys } from "./auth/access-keys.ts";
import { type WireProtocol, authError } from "./auth/auth-error.ts";
import { checkScope, verifySignature } from "./auth/verify.ts";
import { type Caller, type CallerDefaults, DEFAULT_ACCOUNT, DEFAULT_REGION, callerForScope } from "./caller.ts";
import type { RequestContext } from "./context.ts";
import { answered } from "./protocol/answer.ts";
import { AwsError, AwsErrorCode } from "./protocol/aws-error.ts";
import { WireText } from "../aws/texts.ts";
import { parseJsonBody, sendError, sendJson } from "./protocol/json-wire.ts";
import { type QueryRegistry, type RoutedQueryCall, QueryRegistry as Queries } from "./protocol/query-service.ts";
import { FORM_URLENCODED, type QueryInput, parseQueryBody, sendQueryError, sendQueryResult } from "./protocol/query-wire.ts";
import { readIdentityBody } from "./protocol/read-body.ts";
import type { XmlValue } from "./protocol/xml.ts";
import { nextRequestId, requestId } from "./protocol/request-id.ts";
import { type RoutedCall, ServiceRegistry } from "./protocol/router.ts";
import { parseCredentialScope } from "./protocol/sigv4-scope.ts";
import { iamService } from "./services/iam/index.ts";
import { INTERNAL_DESCRIPTOR } from "./services/internal/descriptor.ts";
import { kmsService } from "./services/kms/index.ts";
import type { AgentBackedServices } from "./services/agent-backed.ts";
import { ECS_DESCRIPTOR } from "./services/ecs/descriptor.ts";
import type { EcsOptions } from "./services/ecs/index.ts";
import { lazyJsonService } from "./protocol/lazy-service.ts";
import { createSecretsManagerService } from "./services/secretsmanager/index.ts";
import type { RotationFunction } from "./services/secretsmanager/rotation-functions.ts";
import { stsService } from "./services/sts/index.ts";
import { EmulatorStore } from "./state/store.ts";
import { type CallRecord, CallStats } from "./stats.ts";

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
  /** What AWS's terse error text leaves out (e.g. where a policy document is malformed). Never carries secrets. */
  detail?: string;
  /** The caller's ARN. */
  principal?: string;
  ms: number;
}

/** An admin access key: requests signed with it act as the account's root user (full access). */
export interface AccountKey {
  account: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface EmulatorOptions {
  store?: EmulatorStore;
  /** Only `now()` is used (milliseconds since the epoch). */
  clock?: { now(): number };
  defaultRegion?: string;
  defaultAccount?: string;
  log?: (entry: EmulatorLogEntry) => void;
  /**
   * Which answers reach `log`: "all" (default), or "errors" (status 400 and above) — then no entry is built for the
   * others (`ecs-pull serve --log errors`, its default: one object less per answered call, issue 17).
   */
  logLevel?: "all" | "errors";
  /**
   * Admin keys, one or more per account. Default: access key `test`, secret `test`, in `defaultAccount`
   * (000000000000). The first key's account is the default account when `defaultAccount` is not given.
   */
  accounts?: AccountKey[];
  /**
   * SigV4 signature checking (default true). With `false` (`ecs-pull serve --no-verify-signatures`) unsigned or
   * badly signed requests are accepted: a known access key still maps to its principal (admin or role session),
   * anything else acts as the default account's admin.
   */
  signatureCheck?: boolean;
  /**
   * IAM enforcement on Secrets Manager and KMS (default true). With `false` role sessions act like admin keys, as on
   * a backend that does not enforce IAM (LocalStack's free edition): `ecs-pull run --iam-check client` then decides.
   */
  enforceIam?: boolean;
  /**
   * Rotation functions by Lambda ARN (`serve --rotation-function`): what RotateSecret may invoke. Fixed here, when
   * the emulator is built; no API call adds one.
   */
  rotationFunctions?: ReadonlyMap<string, RotationFunction>;
  /**
   * Makes the store's changes durable (`ecs-pull serve --state DIR`, state/persistence.ts): called after an operation
   * that may change state succeeded and before it is answered; the answer waits for it.
   */
  persist?: () => Promise<void>;
  /** ECS: container instances per cluster, the Docker engine and Secrets Manager port its tasks use (services/ecs). */
  ecs?: EcsOptions;
}

export interface Emulator {
  app: express.Express;
  /**
   * The node:http handler: AWS calls (`POST /`) are answered without express; anything else goes to `next`
   * (default: `app`; `startEmulator` passes the page in front of it).
   */
  handler(req: IncomingMessage, res: ServerResponse, next?: (req: IncomingMessage, res: ServerResponse) => void): void;
  store: EmulatorStore;
  stats: CallStats;
  registry: ServiceRegistry;
  queryRegistry: QueryRegistry;
  /** ECS's background task runs: `idle()` resolves when none is queued or running. */
  ecs: { idle(): Promise<void> };
}

interface CallLocals {
  requestId: string;
  started: number;
  /** Set for AWS calls (handleAwsCall), which log their line when answered; unset in express's res.locals. */
  req?: IncomingMessage;
  res?: ServerResponse;
  /** The operation's context, once invoked. */
  ctx?: RequestContext;
  /** The resource (SecretId) the call names, for the call statistics. */
  resource?: string;
  protocol?: WireProtocol;
  call?: RoutedCall;
  input?: Record<string, unknown>;
  queryCall?: RoutedQueryCall;
  queryInput?: QueryInput;
  /** The Query service an error is rendered for (its XML namespace), even when the Action is unknown. */
  queryNamespace?: string;
  caller?: Caller;
  errorCode?: string;
  errorDetail?: string;
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const store = options.store ?? new EmulatorStore();
  const clock = options.clock ?? { now: () => Date.now() };
  const adminKeys = options.accounts ?? [{ account: options.defaultAccount ?? DEFAULT_ACCOUNT, ...DEFAULT_ADMIN_KEY }];
  const defaults: CallerDefaults = {
    region: options.defaultRegion ?? DEFAULT_REGION,
    account: options.defaultAccount ?? adminKeys[0]?.account ?? DEFAULT_ACCOUNT,
    ...(adminKeys[0] !== undefined && { accessKeyId: adminKeys[0].accessKeyId }),
  };
  const keys = accessKeys(store);
  // A restored store may hold the admin keys of an earlier start: only this start's keys are valid.
  keys.dropAdmins();
  for (const key of adminKeys) keys.addAdmin(key);
  const signatureCheck = options.signatureCheck ?? true;
  const stats = new CallStats();
  // ECS tasks and RunAgentTask fetch their registry credentials from this emulator's own Secrets Manager, at the URL
  // it is reached on; both pull through one Docker engine connection, made on the first pull.
  let selfUrl: string | undefined;
  // ECS and the internal service (and agent-sim behind them: its SDK clients, dockerode, zod) load on the first call
  // to either, not at start (issue 17); until then ECS has no background task to wait for.
  // With persistence, a task's later statuses (RUNNING, STOPPED) are written when its run ends; a failed write is
  // retried by the next one.
  const afterTask = options.persist === undefined ? undefined : () => void options.persist!().catch(() => undefined);
  let agentBacked: Promise<AgentBackedServices> | undefined;
  const loadAgentBacked = () =>
    (agentBacked ??= import("./services/agent-backed.ts").then((m) =>
      m.createAgentBackedServices({ ...options.ecs, ...(afterTask && { afterTask }) }, () => selfUrl),
    ));
  const ecsService = lazyJsonService(ECS_DESCRIPTOR, () => loadAgentBacked().then((s) => s.ecs.service));
  const internal = lazyJsonService(INTERNAL_DESCRIPTOR, () => loadAgentBacked().then((s) => s.internal));
  const secretsManager = createSecretsManagerService({
    functions: options.rotationFunctions ?? new Map(),
    endpoint: () => selfUrl,
    credentials: (account) => adminKeys.find((k) => k.account === account),
  });
  const registry = new ServiceRegistry().addJson(secretsManager).addJson(kmsService).addJson(internal).addJson(ecsService);
  const queryRegistry = new Queries().add(stsService).add(iamService);
  const log = options.log;
  // Successful answers are logged only at "all"; failures always (when there is a log).
  const logSuccess = options.logLevel !== "errors" ? log : undefined;
  const persist = options.persist;
  const iamOff = options.enforceIam === false;

  const locals = (res: Response) => res.locals as CallLocals;

  // Any content type: the SDKs send application/x-amz-json-1.1, hand-written requests often something else.
  // body-parser reads what the fast reader (readIdentityBody) leaves to it: compressed or chunked bodies.
  const parseBody = express.raw({ type: () => true, limit: BODY_LIMIT_BYTES });

  /**
   * The AWS request path, `POST /`, as a plain node:http handler (issue 17): one visible chain, no express
   * routing or middleware per call. The express app below hands `POST /` to it too, so both give the same answers.
   * Synchronous up to the operation's handler (body read by callback, the SigV4 check on node:crypto); the answer
   * carries the request id in its one `writeHead` (protocol/answer.ts), and the log line is made when it is written.
   */
  function handleAwsCall(req: IncomingMessage, res: ServerResponse): void {
    // Every field from the start: one object shape for all calls (V8 keeps its property accesses monomorphic).
    const l: CallLocals = {
      requestId: nextRequestId(),
      started: performance.now(),
      req,
      res,
      ctx: undefined,
      resource: undefined,
      protocol: undefined,
      call: undefined,
      input: undefined,
      queryCall: undefined,
      queryInput: undefined,
      queryNamespace: undefined,
      caller: undefined,
      errorCode: undefined,
      errorDetail: undefined,
    };
    selfUrl ??= ownUrl(req);
    if (readIdentityBody(req, BODY_LIMIT_BYTES, (error, bytes) => (error === undefined ? answer(l, bytes) : renderError(error, req, res, l)))) return;
    parseBody(req as Request, res as Response, (error?: unknown) => {
      if (error !== undefined && error !== null) renderError(error, req, res, l);
      else answer(l, (req as { body?: unknown }).body);
    });
  }

  function answer(l: CallLocals, body: unknown): void {
    const req = l.req!;
    try {
      route(req, l, body);
      authenticate(req, l, body);
      invoke(req, l.res!, l);
    } catch (error) {
      renderError(error, req, l.res!, l);
    }
  }

  function route(req: IncomingMessage, l: CallLocals, body: unknown): void {
    const target = header(req, "x-amz-target");
    // A form body with an Action is a Query request (IAM, STS); anything else is JSON 1.1 by X-Amz-Target.
    const query = target === undefined && isForm(req) ? parseQueryBody(body) : undefined;
    if (query?.action !== undefined) {
      l.protocol = "query";
      const signingService = parseCredentialScope(header(req, "authorization"))?.service;
      l.queryNamespace = (queryRegistry.serviceFor(query.action, signingService) ?? queryRegistry.fallback)?.namespace;
      l.queryCall = queryRegistry.route(query.action, query.version, signingService);
      l.queryInput = query.input;
      return;
    }
    l.protocol = "json";
    l.call = registry.route(target);
    l.input = parseJsonBody(body);
  }

  // SigV4: with checking on, only a correctly signed request with a known, current key gets through.
  function authenticate(req: IncomingMessage, l: CallLocals, body: unknown): void {
    const authorization = header(req, "authorization");
    if (signatureCheck) {
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const service = l.queryCall?.service.name ?? l.call?.service.signingName;
      const verified = verifySignature(
        { method: req.method ?? "POST", path: q < 0 ? url : url.slice(0, q), query: q < 0 ? "" : url.slice(q + 1), headers: req.headers, body: Buffer.isBuffer(body) ? body : Buffer.alloc(0) },
        keys,
        clock.now(),
        service === undefined ? {} : { service },
      );
      if (!verified.ok) {
        if (verified.authorization !== undefined) l.caller = callerForScope(verified.authorization.scope, defaults);
        throw authError(verified.kind, l.protocol ?? "json", verified.args);
      }
      const { scope } = verified.authorization;
      const principal = verified.key.principal;
      l.caller = { account: principal.account, region: scope.region, accessKeyId: scope.accessKeyId, principal, signingService: scope.service };
    } else {
      // Unchecked signatures are taken at their word, but a region still has to exist: each keeps state.
      const scope = parseCredentialScope(authorization);
      const failure = scope === undefined ? undefined : checkScope(scope, {});
      if (failure !== undefined) throw authError(failure.kind, l.protocol ?? "json", failure.args);
      l.caller = callerForScope(scope, defaults, keys);
    }
  }

  /**
   * Runs the operation and answers. No promise when the handler answers synchronously (GetSecretValue does); an
   * asynchronous handler or a `--state` write is waited for. Each call is counted once, failed ones with their code.
   */
  function invoke(req: IncomingMessage, res: ServerResponse, l: CallLocals): void {
    const { call, queryCall, caller, requestId: id } = l;
    const remote = req.socket.remoteAddress ?? "127.0.0.1";
    const ctx: RequestContext = {
      account: caller!.account,
      region: caller!.region,
      requestId: id,
      now: clock.now(),
      store,
      principal: caller!.principal,
      secureTransport: (req.socket as { encrypted?: boolean }).encrypted === true,
      sourceIp: remote.startsWith("::ffff:") ? remote.slice(7) : remote,
    };
    // Set after the literal, not spread into it: one plain literal per request (issue 17).
    if (iamOff) (ctx as { enforceIam?: false }).enforceIam = false;
    l.ctx = ctx;
    let result: unknown;
    try {
      if (queryCall !== undefined) result = queryCall.handler(ctx, l.queryInput!);
      else {
        l.resource = call!.service.resourceMember?.(call!.operation, l.input!);
        result = call!.handler(ctx, l.input!);
      }
    } catch (error) {
      failed(l, error);
      return;
    }
    if (isThenable(result)) result.then((value) => succeeded(l, value), (error: unknown) => failed(l, error));
    else succeeded(l, result);
  }

  function succeeded(l: CallLocals, result: unknown): void {
    if (persist !== undefined && changesState(l.queryCall?.operation ?? l.call!.operation)) {
      persist().then(() => send(l, result), (error: unknown) => failed(l, error));
    } else send(l, result);
  }

  function send(l: CallLocals, result: unknown): void {
    const { queryCall, requestId: id } = l;
    const res = l.res!;
    try {
      if (queryCall !== undefined) sendQueryResult(res, queryCall.service.namespace, queryCall.operation, result as Record<string, XmlValue> | undefined, id);
      else sendJson(res, 200, result, id);
    } catch (error) {
      failed(l, error);
      return;
    }
    count(l);
    if (logSuccess !== undefined) logSuccess(logEntry(res, l));
  }

  function failed(l: CallLocals, error: unknown): void {
    count(l, error instanceof AwsError ? error.code : AwsErrorCode.InternalServiceError);
    renderError(error, l.req!, l.res!, l);
  }

  function count(l: CallLocals, errorCode?: string): void {
    const { ctx } = l;
    const record: CallRecord = { service: l.queryCall?.service.name ?? l.call!.service.name, operation: l.queryCall?.operation ?? l.call!.operation, region: ctx!.region, account: ctx!.account, requestId: l.requestId };
    if (l.resource !== undefined) record.secretId = l.resource;
    if (errorCode !== undefined) record.errorCode = errorCode;
    stats.record(record);
  }

  // Renders every failure in the AWS shape of the service the request was for.
  function renderError(error: unknown, req: IncomingMessage, res: ServerResponse, l: CallLocals): void {
    const awsError = toAwsError(error, req);
    l.errorCode = awsError.code;
    const detail = (error as { detail?: unknown } | null)?.detail;
    if (typeof detail === "string") l.errorDetail = detail;
    if (answered(res)) {
      if (res.headersSent) res.end();
    } else {
      // A body that never got parsed (bad Content-Encoding) was for a Query service when it was a form.
      if (l.protocol === undefined && awsError.code === QUERY_MALFORMED_BODY) l.protocol = "query";
      if (l.protocol === "query") {
        sendQueryError(res, awsError, l.queryNamespace ?? queryRegistry.fallback?.namespace ?? "", l.requestId);
      } else {
        // Auth-layer errors (AuthLayerError) carry their own key: bare `message` on every JSON service.
        const ownKey = (error as { messageKey?: unknown } | null)?.messageKey;
        const messageKey = ownKey === "message" || ownKey === "Message" ? ownKey : ((l.call?.service ?? registry.serviceForTarget(header(req, "x-amz-target")))?.messageKey ?? "message");
        sendError(res, awsError, messageKey, l.requestId);
      }
    }
    // An AWS call's line is logged here; express's own answers log on "finish" (the middleware below).
    if (l.res !== undefined && log !== undefined) log(logEntry(res, l));
  }

  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");

  // Before every other layer: `POST /` gets its request id, log line and error answers from handleAwsCall.
  app.post("/", (req, res) => handleAwsCall(req, res));
  app.use(requestId());
  app.use((req, _res, next) => {
    selfUrl ??= ownUrl(req);
    next();
  });
  app.use((_req, res, next) => {
    locals(res).started = performance.now();
    if (log !== undefined) res.on("finish", () => (logSuccess !== undefined || res.statusCode >= 400) && log(logEntry(res, locals(res))));
    next();
  });

  app.get(EMULATOR_HEALTH_PATH, (_req, res) => sendJson(res, 200, { status: "ok" }));
  app.use((req: Request) => {
    throw new AwsError(AwsErrorCode.UnknownOperationException, WireText.notAnAwsRequest(req.method, req.path));
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => renderError(error, req, res, locals(res)));

  // Built field by field, in the order the line is read, without a spread per optional field (once per request).
  function logEntry(res: ServerResponse, l: CallLocals): EmulatorLogEntry {
    const entry = { requestId: l.requestId } as EmulatorLogEntry;
    const routed = l.call ?? l.queryCall;
    if (routed !== undefined) {
      entry.service = routed.service.name;
      entry.operation = routed.operation;
    }
    if (l.caller !== undefined) {
      entry.account = l.caller.account;
      entry.region = l.caller.region;
      entry.principal = l.caller.principal.arn;
    }
    entry.status = res.statusCode;
    if (l.errorCode !== undefined) entry.errorCode = l.errorCode;
    if (l.errorDetail !== undefined) entry.detail = l.errorDetail;
    entry.ms = Math.round((performance.now() - l.started) * 1000) / 1000;
    return entry;
  }

  /** node:http's handler: `POST /` straight to the AWS chain, everything else (health, the 404 answer) to express. */
  const handler = (req: IncomingMessage, res: ServerResponse, next: (req: IncomingMessage, res: ServerResponse) => void = app): void => {
    if (isAwsCall(req)) handleAwsCall(req, res);
    else next(req, res);
  };

  return { app, handler, store, stats, registry, queryRegistry, ecs: { idle: () => (agentBacked === undefined ? Promise.resolve() : agentBacked.then((s) => s.ecs.idle())) } };
}

/** One request header as a string (node:http joins repeated ones), like express's `req.get`. */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** `POST /` (any query string): what express's `app.post("/")` matches, checked without parsing the URL. */
export function isAwsCall(req: IncomingMessage): boolean {
  if (req.method !== "POST") return false;
  const url = req.url ?? "";
  return url === "/" || url.startsWith("/?");
}

/** `http://<local address>:<local port>` of the connection a request came in on. */
function ownUrl(req: IncomingMessage): string | undefined {
  const { localAddress, localPort } = req.socket;
  if (localAddress === undefined || localPort === undefined) return undefined;
  const host = localAddress.replace(/^::ffff:/, "");
  return `http://${host.includes(":") ? `[${host}]` : host}:${localPort}`;
}

/**
 * Whether an operation may change the store: all but reads by AWS's naming (Get…, List…, Describe…, Simulate…,
 * Encrypt/Decrypt…, GenerateRandom). Operations other issues add are persisted unless they are named as reads.
 * GetSecretValue's LastAccessedDate is the one read side effect not made durable at once (the next write carries it).
 */
export function changesState(operation: string): boolean {
  return !/^(?:Get|List|Describe|Simulate|Decrypt|Encrypt|ReEncrypt|GenerateDataKey|GenerateRandom|Verify|Sign)/.test(operation);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function isForm(req: IncomingMessage): boolean {
  return (header(req, "content-type") ?? "").toLowerCase().startsWith(FORM_URLENCODED);
}

/**
 * AWS's common Query error for a request it cannot read (IAM and STS API references, "Common Errors":
 * MalformedQueryString, HTTP 404 there).
 */
const QUERY_MALFORMED_BODY = "MalformedQueryString";

/** Body-parser failures get their own AWS-like answers; anything else unexpected hides its internals. */
function toAwsError(error: unknown, req?: IncomingMessage): AwsError {
  if (error instanceof AwsError) return error;
  const type = (error as { type?: unknown } | null)?.type;
  // zlib's errors while inflating a gzip/deflate/br body: body-parser marks them 400 and exposable (issue 16, finding 2).
  const { status, expose } = (error ?? {}) as { status?: unknown; expose?: unknown };
  if (type === undefined && expose === true && status === 400 && req !== undefined) {
    const text = WireText.undecodableBody(header(req, "content-encoding") ?? "");
    return isForm(req) ? new AwsError(QUERY_MALFORMED_BODY, text, 404) : new AwsError(AwsErrorCode.SerializationException, text);
  }
  if (type === "entity.too.large") return new AwsError(AwsErrorCode.RequestEntityTooLarge, WireText.bodyTooLarge(BODY_LIMIT_BYTES), 413);
  if (type === "request.aborted" || type === "request.size.invalid" || type === "encoding.unsupported" || type === "charset.unsupported") {
    return new AwsError(AwsErrorCode.SerializationException, WireText.malformedJson);
  }
  return new AwsError(AwsErrorCode.InternalServiceError, WireText.internal, 500);
}
