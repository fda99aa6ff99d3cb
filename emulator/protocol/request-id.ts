// Gives every answer an `x-amzn-RequestId` (a UUID), like AWS, before anything else can fail.
//
// The ids are UUID-shaped (version 4 layout): a random prefix drawn once per process and a counter in the last 12 hex
// digits, so that ids are unique within a process and differ between processes. Issue 17: `randomUUID()` per request
// built its 36 characters from 20 string concatenations (a tree of ~20 cons strings) and the call list
// (emulator/stats.ts) kept that tree alive long enough to be promoted to the old generation; this writes the counter
// into a 36-byte template and reads it back as one flat string.
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

export const REQUEST_ID_HEADER = "x-amzn-RequestId";

const HEX = "0123456789abcdef";
const template = Buffer.from(randomUUID(), "latin1");
/** The counter's 12 hex digits: 2^48 ids before it wraps around to the prefix's first id. */
const COUNTER_DIGITS = 12;
let counter = 0;

/** The next request id: `xxxxxxxx-xxxx-4xxx-yxxx-` (random per process) and a 12-digit counter. */
export function nextRequestId(): string {
  counter = counter >= 0xffffffffffff ? 0 : counter + 1;
  let n = counter;
  for (let i = template.length - 1; i >= template.length - COUNTER_DIGITS; i--) {
    template[i] = HEX.charCodeAt(n % 16);
    n = Math.floor(n / 16);
  }
  return template.toString("latin1");
}

export function requestId() {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const id = nextRequestId();
    res.locals.requestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}
