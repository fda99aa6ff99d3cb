// The SigV4 check: recompute the signature over what was received — method, path, query, the signed headers only,
// the body — synchronously on node:crypto (signature.ts, which says why it is written by hand) and compare in
// constant time. Also the checks AWS makes around it: a known access key, the session token of temporary credentials
// and its expiry, and a request time within 15 minutes of the emulator's clock. Pure apart from the key registry and
// the signing-key cache; no HTTP framework, no promise.
import type { AuthFailureKind } from "../../aws/texts.ts";
import { isAwsRegion } from "../protocol/regions.ts";
import type { AccessKeyRecord, AccessKeys } from "./access-keys.ts";
import { type ParsedAuthorization, parseAuthorization } from "./authorization-header.ts";
import { type SignedRequest, expectedSignature } from "./signature.ts";

/** What the check reads of a request (signature.ts). */
export type ReceivedRequest = SignedRequest;

export type Verification =
  | { ok: true; key: AccessKeyRecord; authorization: ParsedAuthorization }
  | { ok: false; kind: AuthFailureKind; /** For the clock-skew texts and incomplete headers. */ args?: string[]; authorization?: ParsedAuthorization };

export const MAX_SKEW_MS = 15 * 60 * 1000;

export interface Expectations {
  /** The SigV4 signing name of the service the request is routed to (`secretsmanager`, `kms`, `ecs`, `sts`, `iam`). */
  service?: string;
}

export function verifySignature(request: ReceivedRequest, keys: AccessKeys, now: number, expect: Expectations = {}): Verification {
  const header = single(request.headers.authorization);
  if (header === undefined || header === "") return { ok: false, kind: "missingToken" };
  const parsed = parseAuthorization(header);
  if (!parsed.ok) return { ok: false, kind: "incompleteSignature", args: parsed.missing };
  const authorization = parsed.value;
  const amzDate = single(request.headers["x-amz-date"]);
  const signingDate = amzDate === undefined ? undefined : signingTime(amzDate);
  if (signingDate === undefined) return { ok: false, kind: "incompleteSignature", args: ["X-Amz-Date"], authorization };
  // What the signature must cover: the Host (AWS SigV4 "Create a signed AWS API request": host is always signed)
  // and, on JSON services, the X-Amz-Target that chooses the operation — else a captured signature replays as
  // another operation (issue 16, finding 5).
  if (!authorization.signedHeaders.includes("host")) return { ok: false, kind: "headerNotSigned", args: ["Host"], authorization };
  if (request.headers["x-amz-target"] !== undefined && !authorization.signedHeaders.includes("x-amz-target")) {
    return { ok: false, kind: "headerNotSigned", args: ["X-Amz-Target"], authorization };
  }
  const scopeFailure = checkScope(authorization.scope, expect);
  if (scopeFailure !== undefined) return { ...scopeFailure, authorization };

  const key = keys.get(authorization.scope.accessKeyId);
  if (key === undefined) return { ok: false, kind: "unknownKey", authorization };
  const token = single(request.headers["x-amz-security-token"]);
  if (key.sessionToken !== undefined) {
    // Temporary credentials are only valid with their own session token.
    if (token === undefined || !sameText(token, key.sessionToken)) return { ok: false, kind: "unknownKey", authorization };
    if (key.expiration !== undefined && key.expiration <= now) return { ok: false, kind: "expiredToken", authorization };
  } else if (token !== undefined) {
    return { ok: false, kind: "unknownKey", authorization };
  }

  const skew = signingDate - now;
  if (skew < -MAX_SKEW_MS) return { ok: false, kind: "signatureExpired", args: [amzDate!, basicIso(now - MAX_SKEW_MS), basicIso(now)], authorization };
  if (skew > MAX_SKEW_MS) return { ok: false, kind: "signatureNotYetCurrent", args: [amzDate!, basicIso(now + MAX_SKEW_MS), basicIso(now)], authorization };

  // The scope's date must be the X-Amz-Date's day (AWS refuses otherwise); the signer-based check signed with the
  // X-Amz-Date's day whatever the scope said, so a scope date changed in transit still passed.
  if (authorization.scope.date !== amzDate!.slice(0, 8)) return { ok: false, kind: "signatureMismatch", authorization };
  const expected = expectedSignature(request, authorization, key.secretAccessKey, amzDate!);
  if (expected === undefined || !sameText(expected, authorization.signature)) return { ok: false, kind: "signatureMismatch", authorization };
  return { ok: true, key, authorization };
}

/**
 * The credential scope's region must be one AWS has (protocol/regions.ts) and its service the one the request is
 * for. Cheap: a set lookup and a string comparison per request.
 */
export function checkScope(scope: { region: string; service: string }, expect: Expectations): { ok: false; kind: AuthFailureKind; args: string[] } | undefined {
  if (!isAwsRegion(scope.region)) return { ok: false, kind: "invalidRegion", args: [scope.region] };
  if (expect.service !== undefined && scope.service !== expect.service) return { ok: false, kind: "wrongService", args: [expect.service] };
  return undefined;
}

// The last X-Amz-Date read and its time: requests signed within the same second share it.
let lastAmzDate = "";
let lastSigningTime: number | undefined;

function signingTime(amzDate: string): number | undefined {
  if (amzDate !== lastAmzDate) {
    lastSigningTime = parseAmzDate(amzDate)?.getTime();
    lastAmzDate = amzDate;
  }
  return lastSigningTime;
}

/**
 * "20250101T000000Z" → Date; undefined when malformed, including a month, day, hour, minute or second out of range
 * (month 13 or 31 February would otherwise roll over into the next year or month; issue 16, finding 9).
 */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const same =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return same ? date : undefined;
}

/** ISO 8601 basic form, as in x-amz-date. */
export function basicIso(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Equal strings, compared in time that depends on their length only (the signature and the session token are
 * secrets to an attacker guessing them). In JavaScript rather than with timingSafeEqual (issue 17): that took two
 * Buffers per comparison, two comparisons per request.
 */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
