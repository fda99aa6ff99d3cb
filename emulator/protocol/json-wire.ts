// The AWS JSON 1.1 wire: the request body as an object, a 200 answer, and the error shape
// `{"__type":"<Code>","<Message|message>":"<text>"}` (AWS-ERRORS.md, "Wire shapes").
import type { ServerResponse as Response } from "node:http";
import { AwsError, AwsErrorCode } from "./aws-error.ts";
import { WireText } from "../../aws/texts.ts";

export const JSON_1_1 = "application/x-amz-json-1.1";

/** Parses a request body; an absent or empty body is `{}` (AWS accepts that for operations without input). */
export function parseJsonBody(body: unknown): Record<string, unknown> {
  if (!Buffer.isBuffer(body) || body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new AwsError(AwsErrorCode.SerializationException, WireText.malformedJson);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new AwsError(AwsErrorCode.SerializationException, WireText.notAnObject);
  }
  return parsed as Record<string, unknown>;
}

/** Writes a JSON 1.1 answer. The body is written as bytes so that no `charset` is appended, like AWS. */
export function sendJson(res: Response, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body ?? {}), "utf8");
  res.statusCode = status;
  res.setHeader("Content-Type", JSON_1_1);
  res.setHeader("Content-Length", bytes.length);
  res.end(bytes);
}

/** The AWS error body: `__type` plus the service's message key, or `__type` alone when there is no text. */
export function errorBody(error: AwsError, messageKey: "Message" | "message"): Record<string, string> {
  return error.text === undefined ? { __type: error.code } : { __type: error.code, [messageKey]: error.text };
}

export function sendError(res: Response, error: AwsError, messageKey: "Message" | "message"): void {
  sendJson(res, error.httpStatus, errorBody(error, messageKey));
}
