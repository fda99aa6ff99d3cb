// The AWS JSON 1.1 wire: the request body as an object, a 200 answer, and the error shape
// `{"__type":"<Code>","<Message|message>":"<text>"}` (AWS-ERRORS.md, "Wire shapes").
import type { ServerResponse as Response } from "node:http";
import { writeAnswer } from "./answer.ts";
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

/**
 * Writes a JSON 1.1 answer (Content-Type without a `charset`, like AWS), with the request id header when given
 * (answer.ts).
 */
export function sendJson(res: Response, status: number, body: unknown, requestId?: string): void {
  writeAnswer(res, status, JSON_1_1, JSON.stringify(body ?? {}), requestId);
}

/** The AWS error body: `__type` plus the service's message key, or `__type` alone when there is no text. */
export function errorBody(error: AwsError, messageKey: "Message" | "message"): Record<string, string> {
  return error.text === undefined ? { __type: error.code } : { __type: error.code, [messageKey]: error.text };
}

export function sendError(res: Response, error: AwsError, messageKey: "Message" | "message", requestId?: string): void {
  sendJson(res, error.httpStatus, errorBody(error, messageKey), requestId);
}
