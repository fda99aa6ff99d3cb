// Writes an AWS answer in one go (issue 17): the status and the headers as one raw array to `writeHead` (no
// `setHeader` per header, no header map), the body as a string so that node:http sends head and body in one write.
// The request id header (`x-amzn-RequestId`) comes first, as when it was set before anything else; a response whose
// id an express middleware already set (protocol/request-id.ts) passes none and keeps that one.
import type { ServerResponse } from "node:http";
import { REQUEST_ID_HEADER } from "./request-id.ts";

export function writeAnswer(res: ServerResponse, status: number, contentType: string, body: string, requestId?: string): void {
  const length = String(Buffer.byteLength(body, "utf8"));
  res.writeHead(status, requestId === undefined ? ["Content-Type", contentType, "Content-Length", length] : [REQUEST_ID_HEADER, requestId, "Content-Type", contentType, "Content-Length", length]);
  res.end(body, "utf8");
}
