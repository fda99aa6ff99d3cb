// Writes an AWS answer in one go (issue 17): the status and the headers as one raw array to `writeHead` (no
// `setHeader` per header, no header map), the body as a string so that node:http sends head and body in one write.
// The request id header (`x-amzn-RequestId`) comes first, as when it was set before anything else; a response whose
// id an express middleware already set (protocol/request-id.ts) passes none and keeps that one.
//
// The write waits for the end of the event loop's I/O phase (setImmediate): the requests that arrived together are
// all worked through first, then their answers are written together and the server goes back to waiting. Written one
// at a time, each answer woke its client while the server still had requests to work through, and on a machine with
// few cores the woken client ran on the server's core (Linux puts the task a socket write wakes on the writer's core,
// expecting the writer to wait next): GetSecretValue at c=8 went from 48 to 60 % of a bare Node server, 62 → 47 µs
// of server CPU per answer (issue 17, bench/serve-figures.ts). The status is set at once (the call's log line reads
// it); `answered()` tells a response with a pending answer from one that has none.
import type { ServerResponse } from "node:http";
import { REQUEST_ID_HEADER } from "./request-id.ts";

interface PendingAnswer {
  res: ServerResponse;
  status: number;
  headers: string[];
  body: string;
}

let pending: PendingAnswer[] = [];

function flush(): void {
  const batch = pending;
  pending = [];
  for (const { res, status, headers, body } of batch) {
    try {
      res.writeHead(status, headers);
      res.end(body, "utf8");
    } catch {
      // A response already ended or a socket gone: that client gets nothing more; the others still get theirs.
      res.destroy();
    }
  }
}

export function writeAnswer(res: ServerResponse, status: number, contentType: string, body: string, requestId?: string): void {
  const length = String(Buffer.byteLength(body, "utf8"));
  const headers = requestId === undefined ? ["Content-Type", contentType, "Content-Length", length] : [REQUEST_ID_HEADER, requestId, "Content-Type", contentType, "Content-Length", length];
  res.statusCode = status;
  if (pending.push({ res, status, headers, body }) === 1) setImmediate(flush);
}

/** Whether `res` has its answer: written, or waiting for the end of this turn of the event loop. */
export function answered(res: ServerResponse): boolean {
  return res.headersSent || pending.some((p) => p.res === res);
}
