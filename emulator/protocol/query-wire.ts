// The AWS Query wire (IAM, STS): `Action=...&Version=...` form bodies in, XML out. Parses the flat form into
// nested input (`Tags.member.1.Key` → Tags[0].Key), renders `<XResponse><XResult>…</XResult><ResponseMetadata>`
// answers and the `<ErrorResponse>` error shape (AWS-ERRORS.md "Wire shapes").
import type { ServerResponse as Response } from "node:http";
import { writeAnswer } from "./answer.ts";
import type { AwsError } from "./aws-error.ts";
import { type XmlValue, xmlDocument } from "./xml.ts";

export const FORM_URLENCODED = "application/x-www-form-urlencoded";
export const XML_CONTENT_TYPE = "text/xml";

export type QueryInput = { [member: string]: QueryValue };
export type QueryValue = string | QueryValue[] | QueryInput;

export interface QueryRequest {
  action?: string;
  version?: string;
  input: QueryInput;
}

/** Members AWS never sends deeper than this; deeper keys are ignored rather than answered with a 500. */
const MAX_DEPTH = 8;
/** `member.N` indexes above this are ignored (keeps a hostile body from allocating huge arrays). */
const MAX_INDEX = 1000;

/** Parses a form body. Never throws: unusable keys are dropped. */
export function parseQueryBody(body: unknown): QueryRequest {
  const text = Buffer.isBuffer(body) ? body.toString("utf8") : "";
  const params = new URLSearchParams(text);
  const root: Record<string, unknown> = Object.create(null);
  let action: string | undefined;
  let version: string | undefined;
  for (const [key, value] of params) {
    if (key === "Action") { action ??= value; continue; }
    if (key === "Version") { version ??= value; continue; }
    setPath(root, key.split("."), value);
  }
  return { ...(action !== undefined && { action }), ...(version !== undefined && { version }), input: finish(root) as QueryInput };
}

function setPath(root: Record<string, unknown>, parts: string[], value: string): void {
  if (parts.length > MAX_DEPTH || parts.some((p) => p === "" || p === "__proto__")) return;
  let node: Record<string, unknown> = root;
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i]!;
    // `member.N` (and map `entry.N`) are list positions: keep them as numeric keys, turned into arrays later.
    if ((part === "member" || part === "entry") && i + 1 < parts.length && /^\d+$/.test(parts[i + 1]!)) {
      const index = Number(parts[i + 1]);
      if (index < 1 || index > MAX_INDEX) return;
      part = `#${String(index).padStart(4, "0")}`;
      i++;
    }
    if (i === parts.length - 1) {
      if (typeof node[part] !== "object") node[part] = value;
      return;
    }
    let next = node[part];
    if (next === undefined || typeof next === "string") {
      next = Object.create(null) as Record<string, unknown>;
      node[part] = next;
    }
    node = next as Record<string, unknown>;
  }
}

/** Objects whose keys are all list positions become arrays, in index order. */
function finish(node: unknown): QueryValue {
  if (typeof node === "string") return node;
  const record = node as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 0 && keys.every((k) => k.startsWith("#"))) return keys.sort().map((k) => finish(record[k]));
  const out: QueryInput = Object.create(null);
  for (const k of keys) if (!k.startsWith("#")) out[k] = finish(record[k]);
  return out;
}

/** Writes `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…` (no Result element when result is undefined). */
export function sendQueryResult(res: Response, namespace: string, action: string, result: Record<string, XmlValue> | undefined, requestId: string): void {
  const children: Record<string, XmlValue> = {};
  if (result !== undefined) children[`${action}Result`] = result;
  children.ResponseMetadata = { RequestId: requestId };
  writeAnswer(res, 200, XML_CONTENT_TYPE, xmlDocument(`${action}Response`, namespace, children), requestId);
}

/** `<ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function queryErrorBody(error: AwsError, namespace: string, requestId: string): string {
  const type = error.httpStatus >= 500 ? "Receiver" : "Sender";
  const inner: Record<string, XmlValue> = { Type: type, Code: error.code, Message: error.text };
  return xmlDocument("ErrorResponse", namespace, { Error: inner, RequestId: requestId });
}

export function sendQueryError(res: Response, error: AwsError, namespace: string, requestId: string): void {
  writeAnswer(res, error.httpStatus, XML_CONTENT_TYPE, queryErrorBody(error, namespace, requestId), requestId);
}
