// Reads an AWS request's body on the hot path (issue 17): an uncompressed body of a declared length within the
// limit, straight from node:http's stream into one Buffer. Everything else — a Content-Encoding (gzip, deflate, br),
// a chunked body, no body, a declared length above the limit — is left to body-parser (express.raw), whose answers
// for those cases (inflation errors, 413 after reading the rest) stay the reference. Written by hand rather than with
// raw-body because the case it takes is a dozen lines and raw-body's per-call work (options, encodings, its own
// length and limit bookkeeping) is what it saves; raw-body still reads every other case.
import type { IncomingMessage } from "node:http";

/** What raw-body reports for a body cut short (`type` as raw-body names it), so that the answers stay the same. */
class BodyReadError extends Error {
  readonly status = 400;
  readonly expose = true;
  constructor(readonly type: "request.aborted" | "request.size.invalid") {
    super(type === "request.aborted" ? "request aborted" : "request size did not match content length");
  }
}

export type BodyDone = (error: Error | undefined, body: Buffer | undefined) => void;

/**
 * Reads the body into one Buffer and calls `done` once, or returns false when this request is not the plain case
 * (then body-parser reads it). `done` gets an error when the client goes away before the declared length arrived.
 * A callback, not a promise: no promise and no extra turn of the microtask queue per request.
 */
export function readIdentityBody(req: IncomingMessage, limit: number, done: BodyDone): boolean {
  const { headers } = req;
  const encoding = headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") return false;
  if (headers["transfer-encoding"] !== undefined) return false;
  const declared = headers["content-length"];
  if (declared === undefined) return false;
  const length = Number(declared);
  if (!Number.isSafeInteger(length) || length < 0 || length > limit) return false;
  (req as Reading)[BODY] = { length, received: 0, first: undefined, chunks: undefined, finished: false, done };
  // Listeners shared by every request (the state rides on the request): no closure per call.
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("aborted", onAborted);
  req.on("error", onAborted);
  return true;
}

const BODY = Symbol("identityBody");

/** One body being read: its chunks and whether `done` was called. */
interface BodyState {
  length: number;
  received: number;
  first: Buffer | undefined;
  chunks: Buffer[] | undefined;
  finished: boolean;
  done: BodyDone;
}

type Reading = IncomingMessage & { [BODY]?: BodyState };

function onData(this: Reading, chunk: Buffer): void {
  const s = this[BODY]!;
  s.received += chunk.length;
  if (s.first === undefined) s.first = chunk;
  else (s.chunks ??= [s.first]).push(chunk);
}

function onEnd(this: Reading): void {
  const s = this[BODY]!;
  if (s.finished) return;
  s.finished = true;
  if (s.received !== s.length) s.done(new BodyReadError("request.size.invalid"), undefined);
  else s.done(undefined, s.chunks !== undefined ? Buffer.concat(s.chunks, s.received) : (s.first ?? EMPTY));
}

function onAborted(this: Reading): void {
  const s = this[BODY]!;
  if (s.finished) return;
  s.finished = true;
  s.done(new BodyReadError("request.aborted"), undefined);
}

const EMPTY = Buffer.alloc(0);
