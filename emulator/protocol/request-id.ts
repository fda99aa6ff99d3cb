// Gives every answer an `x-amzn-RequestId` (a UUID), like AWS, before anything else can fail.
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

export const REQUEST_ID_HEADER = "x-amzn-RequestId";

export function requestId() {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const id = randomUUID();
    res.locals.requestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}
