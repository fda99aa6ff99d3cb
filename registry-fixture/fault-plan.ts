// The fault proxy's plan as data: which requests a fault applies to (method, path pattern), how many times
// ("fail the first N, then recover"), and what happens to them. Pure: no sockets, so the matching and counting
// rules are one-line tests; fault-proxy.ts carries the plan out. Every delay has a cap, so no plan can hang a test.
import {
  AWS_JSON_1_1,
  DOCKER_HUB_RATE_LIMIT_BODY,
  INTERNAL_SERVICE_ERROR,
  REGISTRY_JSON,
  THROTTLING,
  awsJsonErrorBody,
  blobUnknownBody,
} from "./fault-bodies.ts";

/** The longest any fault may hold a request or a connection; a plan asking for more is refused at start. */
export const MAX_FAULT_MS = 120_000;

export type FaultAction =
  /** Destroy the connection without answering (the client sees EOF / connection reset). */
  | { kind: "destroy" }
  /** Wait, then forward as usual. */
  | { kind: "delay"; ms: number }
  /** Never answer; the connection is destroyed after maxMs (the client's own timeout should fire first). */
  | { kind: "hang"; maxMs: number }
  /** Answer directly; the target never sees the request. */
  | { kind: "respond"; status: number; body: string; headers: Record<string, string> }
  /** Forward, but send the answer's body chunkBytes at a time, waiting delayMs before each chunk. */
  | { kind: "slow-body"; chunkBytes: number; delayMs: number }
  /** Forward, then destroy the connection after `bytes` bytes of the answer's body. */
  | { kind: "reset-after"; bytes: number };

export interface FaultMatch {
  /** One method or several (upper case); default any. */
  method?: string | readonly string[];
  /** A substring of the path (with query) or a RegExp; default any. */
  path?: string | RegExp;
}

export interface FaultRule {
  /** Shown in stats; default the action's kind. */
  name?: string;
  match?: FaultMatch;
  /** Apply to the first N matching requests only, then let them through (recovery); default every one. */
  times?: number;
  action: FaultAction;
}

export class FaultPlanError extends Error {
  override readonly name = "FaultPlanError";
}

/** Throws FaultPlanError for a rule that could hang or makes no sense. */
export function validateRule(rule: FaultRule): void {
  const where = `fault ${JSON.stringify(rule.name ?? rule.action.kind)}`;
  const ms = (value: number, what: string) => {
    if (!Number.isFinite(value) || value < 0 || value > MAX_FAULT_MS) {
      throw new FaultPlanError(`${where}: ${what} must be 0..${MAX_FAULT_MS} ms, got ${String(value)}`);
    }
  };
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 0)) {
    throw new FaultPlanError(`${where}: times must be a whole number, got ${String(rule.times)}`);
  }
  const a = rule.action;
  if (a.kind === "delay") ms(a.ms, "ms");
  if (a.kind === "hang") ms(a.maxMs, "maxMs");
  if (a.kind === "slow-body") {
    ms(a.delayMs, "delayMs");
    if (!Number.isInteger(a.chunkBytes) || a.chunkBytes < 1) throw new FaultPlanError(`${where}: chunkBytes must be >= 1`);
  }
  if (a.kind === "reset-after" && (!Number.isInteger(a.bytes) || a.bytes < 0)) {
    throw new FaultPlanError(`${where}: bytes must be a whole number`);
  }
  if (a.kind === "respond" && (!Number.isInteger(a.status) || a.status < 100 || a.status > 599)) {
    throw new FaultPlanError(`${where}: status must be 100..599, got ${String(a.status)}`);
  }
}

export function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method !== undefined) {
    const methods = typeof match.method === "string" ? [match.method] : match.method;
    if (!methods.includes(method.toUpperCase())) return false;
  }
  if (match.path !== undefined) {
    return typeof match.path === "string" ? path.includes(match.path) : match.path.test(path);
  }
  return true;
}

/** Per-rule counters: how many requests matched and how many the fault was applied to. */
export interface RuleStats {
  name: string;
  matched: number;
  applied: number;
}

/** The plan with its counters: picks the action for each request, first matching rule with times left wins. */
export class FaultPlan {
  readonly rules: readonly FaultRule[];
  private readonly counters: RuleStats[];

  constructor(rules: readonly FaultRule[]) {
    rules.forEach(validateRule);
    this.rules = rules;
    this.counters = rules.map((rule) => ({ name: rule.name ?? rule.action.kind, matched: 0, applied: 0 }));
  }

  /** The action for this request (and counts it), or undefined to forward it untouched. */
  decide(method: string, path: string): { action: FaultAction; rule: string } | undefined {
    let chosen: { action: FaultAction; rule: string } | undefined;
    this.rules.forEach((rule, index) => {
      if (!matches(rule.match, method, path)) return;
      const counter = this.counters[index]!;
      counter.matched++;
      if (chosen || (rule.times !== undefined && counter.applied >= rule.times)) return;
      counter.applied++;
      chosen = { action: rule.action, rule: counter.name };
    });
    return chosen;
  }

  stats(): RuleStats[] {
    return this.counters.map((c) => ({ ...c }));
  }
}

// Named faults, so that a plan reads like the situation it stages.
const BLOB_PATH = (digest: string) => `/blobs/${digest}`;
const MANIFEST_PATH = /\/v2\/.+\/manifests\//;

export const faults = {
  /** Every matching request: connection destroyed without an answer. */
  destroy: (match?: FaultMatch, times?: number): FaultRule => ({ name: "destroy", match, times, action: { kind: "destroy" } }),
  delay: (ms: number, match?: FaultMatch, times?: number): FaultRule => ({ name: "delay", match, times, action: { kind: "delay", ms } }),
  hang: (maxMs: number, match?: FaultMatch, times?: number): FaultRule => ({ name: "hang", match, times, action: { kind: "hang", maxMs } }),
  status: (status: number, body = "", match?: FaultMatch, times?: number, contentType = "text/plain; charset=utf-8"): FaultRule => ({
    name: `status ${status}`,
    match,
    times,
    action: { kind: "respond", status, body, headers: { "content-type": contentType } },
  }),
  /** Docker Hub's 429 `toomanyrequests` on manifest requests (where Hub counts pulls). */
  rateLimited: (match: FaultMatch = { path: MANIFEST_PATH }, times?: number): FaultRule => ({
    name: "rate limited",
    match,
    times,
    action: {
      kind: "respond",
      status: 429,
      body: DOCKER_HUB_RATE_LIMIT_BODY,
      headers: { "content-type": REGISTRY_JSON, "docker-distribution-api-version": "registry/2.0" },
    },
  }),
  /** A layer missing from storage: the registry's own 404 BLOB_UNKNOWN for one digest. */
  dropBlob: (digest: string, times?: number): FaultRule => ({
    name: `drop ${digest.slice(0, 19)}`,
    match: { method: ["GET", "HEAD"], path: BLOB_PATH(digest) },
    times,
    action: {
      kind: "respond",
      status: 404,
      body: blobUnknownBody(digest),
      headers: { "content-type": REGISTRY_JSON, "docker-distribution-api-version": "registry/2.0" },
    },
  }),
  /** The blob's transfer is cut after `bytes` bytes. */
  resetBlob: (digest: string, bytes: number, times?: number): FaultRule => ({
    name: `reset ${digest.slice(0, 19)}`,
    match: { method: "GET", path: BLOB_PATH(digest) },
    times,
    action: { kind: "reset-after", bytes },
  }),
  slowBody: (chunkBytes: number, delayMs: number, match?: FaultMatch, times?: number): FaultRule => ({
    name: "slow body",
    match,
    times,
    action: { kind: "slow-body", chunkBytes, delayMs },
  }),
  /** Secrets Manager throttling: HTTP 400 ThrottlingException `Rate exceeded`. */
  awsThrottling: (times?: number, match?: FaultMatch): FaultRule => awsError("throttling", THROTTLING, times, match),
  /** Secrets Manager InternalServiceError, HTTP 500 (the SDK retries it). */
  awsInternalError: (times?: number, match?: FaultMatch): FaultRule => awsError("internal error", INTERNAL_SERVICE_ERROR, times, match),
  /** Secrets Manager unreachable: requests are held until the client gives up (capped at maxMs). */
  awsUnreachable: (maxMs: number, times?: number, match?: FaultMatch): FaultRule => ({ name: "unreachable", match, times, action: { kind: "hang", maxMs } }),
} as const;

function awsError(name: string, error: { status: number; type: string; message: string }, times?: number, match?: FaultMatch): FaultRule {
  return {
    name,
    match: match ?? { method: "POST" },
    times,
    action: {
      kind: "respond",
      status: error.status,
      body: awsJsonErrorBody(error.type, error.message),
      headers: { "content-type": AWS_JSON_1_1 },
    },
  };
}
