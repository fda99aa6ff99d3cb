// The emulator's SigV4 check as it was before issue 17 (emulator/auth/verify.ts at 19df50d), kept unchanged as the
// reference of test/unit/emulator-sigv4-differential.test.ts: the new synchronous verifier must agree with it.
// The SigV4 check: recompute the signature with the SDK's own signer (@smithy/signature-v4) over what was received
// — method, path, query, the signed headers only, the body — and compare in constant time. Also the checks AWS
// makes around it: a known access key, the session token of temporary credentials and its expiry, and a request
// time within 15 minutes of the emulator's clock. Pure apart from the key registry; no HTTP framework.
import { timingSafeEqual } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AuthFailureKind } from "../../aws/texts.ts";
import { basicIso, checkScope, parseAmzDate } from "../../emulator/auth/verify.ts";
import type { AccessKeyRecord, AccessKeys } from "../../emulator/auth/access-keys.ts";
import type { AuthorizationParse, ParsedAuthorization } from "../../emulator/auth/authorization-header.ts";
import { NodeSha256 } from "../../emulator/auth/sha256.ts";

export interface ReceivedRequest {
  method: string;
  /** The path as received (percent-encoded), without the query. */
  path: string;
  /** The raw query string without `?` ("" for none). */
  query: string;
  /** Node's lower-cased headers. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type Verification =
  | { ok: true; key: AccessKeyRecord; authorization: ParsedAuthorization }
  | { ok: false; kind: AuthFailureKind; /** For the clock-skew texts and incomplete headers. */ args?: string[]; authorization?: ParsedAuthorization };

export const MAX_SKEW_MS = 15 * 60 * 1000;

export interface Expectations {
  /** The SigV4 signing name of the service the request is routed to (`secretsmanager`, `kms`, `ecs`, `sts`, `iam`). */
  service?: string;
}

export async function smithyVerifySignature(request: ReceivedRequest, keys: AccessKeys, now: number, expect: Expectations = {}): Promise<Verification> {
  const header = single(request.headers.authorization);
  if (header === undefined || header === "") return { ok: false, kind: "missingToken" };
  const parsed = referenceParseAuthorization(header);
  if (!parsed.ok) return { ok: false, kind: "incompleteSignature", args: parsed.missing };
  const authorization = parsed.value;
  const amzDate = single(request.headers["x-amz-date"]);
  const signingDate = amzDate === undefined ? undefined : parseAmzDate(amzDate);
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

  const skew = signingDate.getTime() - now;
  if (skew < -MAX_SKEW_MS) return { ok: false, kind: "signatureExpired", args: [amzDate!, basicIso(now - MAX_SKEW_MS), basicIso(now)], authorization };
  if (skew > MAX_SKEW_MS) return { ok: false, kind: "signatureNotYetCurrent", args: [amzDate!, basicIso(now + MAX_SKEW_MS), basicIso(now)], authorization };

  const expected = await expectedSignature(request, authorization, key, signingDate);
  if (expected === undefined || !sameText(expected, authorization.signature)) return { ok: false, kind: "signatureMismatch", authorization };
  return { ok: true, key, authorization };
}

async function expectedSignature(request: ReceivedRequest, authorization: ParsedAuthorization, key: AccessKeyRecord, signingDate: Date): Promise<string | undefined> {
  const headers: Record<string, string> = {};
  for (const name of authorization.signedHeaders) {
    const value = request.headers[name];
    // A signed header that did not arrive cannot match; sign it as empty so that the comparison fails.
    headers[name] = value === undefined ? "" : Array.isArray(value) ? value.join(",") : value;
  }
  // The signer trusts a x-amz-content-sha256 header; the emulator checks it against the body it received. JSON and
  // Query services always hash the body (only S3 knows UNSIGNED-PAYLOAD), so anything else cannot match.
  const declared = headers["x-amz-content-sha256"];
  if (declared !== undefined && declared !== (await payloadHash(request.body))) return undefined;
  const path = decodePath(request.path);
  if (path === undefined) return undefined;
  const { scope } = authorization;
  // The signer adds x-amz-security-token to what it signs whenever it has a token: hand it over only if the
  // client signed it (the token itself was already checked).
  const sessionToken = authorization.signedHeaders.includes("x-amz-security-token") ? key.sessionToken : undefined;
  const signer = signerFor(key, sessionToken, scope.region, scope.service);
  try {
    const signed = await signer.sign(
      { method: request.method, protocol: "http:", hostname: headers.host ?? "", path, query: parseQuery(request.query), headers, body: request.body },
      { signingDate, signableHeaders: new Set(authorization.signedHeaders) },
    );
    const out = signed.headers.authorization;
    return out === undefined ? undefined : /Signature=([0-9a-f]+)$/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

// One signer per key, token, region and service; the SDK's signer caches the derived signing keys itself.
const signers = new Map<string, SignatureV4>();
const MAX_SIGNERS = 256;

function signerFor(key: AccessKeyRecord, sessionToken: string | undefined, region: string, service: string): SignatureV4 {
  const id = `${key.accessKeyId}\u0000${key.secretAccessKey}\u0000${sessionToken !== undefined}\u0000${region}\u0000${service}`;
  let signer = signers.get(id);
  if (signer === undefined) {
    if (signers.size >= MAX_SIGNERS) signers.clear();
    const credentials = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, ...(sessionToken !== undefined && { sessionToken }) };
    signer = new SignatureV4({ credentials, region, service, sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
    signers.set(id, signer);
  }
  return signer;
}

async function payloadHash(body: Buffer): Promise<string> {
  const hash = new NodeSha256();
  hash.update(body);
  return Buffer.from(await hash.digest()).toString("hex");
}

// The checks around the signature (the scope's region and service, X-Amz-Date's form, the skew texts' dates) are
// not what the differential test compares: they are the emulator's own, shared with the verifier under test.

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function decodePath(path: string): string | undefined {
  try {
    return path.split("/").map((s) => decodeURIComponent(s)).join("/");
  } catch {
    return undefined;
  }
}

function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

// The Authorization parser as it was (emulator/auth/authorization-header.ts at 19df50d).
const ALGORITHM = "AWS4-HMAC-SHA256";
const SCOPE = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

/** `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/sts/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function referenceParseAuthorization(header: string): AuthorizationParse {
  const parts = new Map<string, string>();
  const rest = header.startsWith(ALGORITHM) ? header.slice(ALGORITHM.length) : "";
  for (const piece of rest.split(",")) {
    const eq = piece.indexOf("=");
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = parts.get("Credential");
  const signedHeaders = parts.get("SignedHeaders");
  const signature = parts.get("Signature");
  const scope = credential === undefined ? null : SCOPE.exec(credential);
  const missing: string[] = [];
  if (scope === null) missing.push("Credential");
  if (signature === undefined || signature === "") missing.push("Signature");
  if (signedHeaders === undefined || signedHeaders === "") missing.push("SignedHeaders");
  if (missing.length > 0 || scope === null) return { ok: false, missing };
  return {
    ok: true,
    value: {
      scope: { accessKeyId: scope[1]!, date: scope[2]!, region: scope[3]!, service: scope[4]! },
      signedHeaders: signedHeaders!.toLowerCase().split(";").filter((h) => h !== ""),
      signature: signature!,
    },
  };
}
