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

/**
 * The body as one Buffer, or `undefined` when this request is not the plain case (then body-parser reads it). The
 * promise rejects when the client goes away before the declared length arrived.
 */
export function readIdentityBody(req: IncomingMessage, limit: number): Promise<Buffer> | undefined {
  const { headers } = req;
  const encoding = headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") return undefined;
  if (headers["transfer-encoding"] !== undefined) return undefined;
  const declared = headers["content-length"];
  if (declared === undefined) return undefined;
  const length = Number(declared);
  if (!Number.isSafeInteger(length) || length < 0 || length > limit) return undefined;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const fail = (type: BodyReadError["type"]) => {
      if (done) return;
      done = true;
      reject(new BodyReadError(type));
    };
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (done) return;
      if (received !== length) {
        fail("request.size.invalid");
        return;
      }
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    });
    req.on("aborted", () => fail("request.aborted"));
    req.on("error", () => fail("request.aborted"));
  });
}
