// The SigV4 signature a request should carry, recomputed synchronously on node:crypto (AWS General Reference,
// "Create a signed AWS API request": canonical request → string to sign → signing key → HMAC).
//
// Written by hand rather than with @smithy/signature-v4 (issue 17): the library signs — it has no verifier — and its
// `sign()` is asynchronous, rebuilds the request, and takes several promise turns per call (credential and region
// providers, every hash and HMAC a promise), on every request the emulator answers. The check itself is small and
// fully specified; the SDK's signer stays the reference in test/unit/emulator-sigv4-differential.test.ts, which
// signs with it and with aws4 and checks that this code and the signer-based verifier it replaced agree.
//
// What is canonicalised is what the SDKs sign (and, but for the path, what the signer-based check did):
//   - path: as received, empty and `.` segments dropped, `..` removing the one before, each segment then encoded
//     (RFC 3986) once more — AWS's rule for every service but S3, whose clients encode path segments twice (the
//     signer-based check decoded the path first, so a path with a `%` escape never matched; only `/` reaches it);
//   - query: form-decoded (`+` is a space), `X-Amz-Signature` left out, keys and values RFC 3986-encoded, pairs
//     sorted by key, then by `key=value`;
//   - headers: the names the client listed (lower case, sorted, once each) plus X-Amz-Date, less Authorization; each value with CR/LF as spaces, runs of spaces and tabs as one, one space trimmed at each end;
//     a listed header that did not arrive is signed as empty (so it matches only a client that signed it empty);
//   - payload: the SHA-256 of the body; a signed X-Amz-Content-SHA256 must equal it (JSON and Query services
//     have no UNSIGNED-PAYLOAD).
import { createHmac, hash } from "node:crypto";
import type { ParsedAuthorization } from "./authorization-header.ts";

export interface SignedRequest {
  method: string;
  /** As received (percent-encoded), without the query. */
  path: string;
  /** The raw query string without `?`. */
  query: string;
  /** Node's lower-cased headers. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export const ALGORITHM = "AWS4-HMAC-SHA256";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * The hex signature `request` should carry for the client's `authorization` with `secretAccessKey`, signed at
 * `amzDate` (its X-Amz-Date, already validated); undefined when nothing can match (a path that does not decode, a
 * signed payload hash that is not the body's).
 */
export function expectedSignature(request: SignedRequest, authorization: ParsedAuthorization, secretAccessKey: string, amzDate: string): string | undefined {
  const path = canonicalPath(request.path);
  if (path === undefined) return undefined;
  const names = canonicalHeaderNames(authorization.signedHeaders);
  const payload = request.body.length === 0 ? EMPTY_SHA256 : sha256Hex(request.body);
  let headerLines = "";
  for (const name of names) {
    const value = headerValue(request.headers, name);
    if (name === "x-amz-content-sha256" && value !== payload) return undefined;
    headerLines += `${name}:${canonicalHeaderValue(value)}\n`;
  }
  const canonicalRequest = `${request.method}\n${path}\n${canonicalQuery(request.query)}\n${headerLines}\n${joinedNames(names)}\n${payload}`;
  const shortDate = amzDate.slice(0, 8);
  const { region, service } = authorization.scope;
  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  return hmacHex(derivedKey(secretAccessKey, scope, shortDate, region, service), stringToSign);
}

/**
 * The signed header names of the canonical request: the client's list plus x-amz-date (required, verify.ts), without
 * authorization. A listed Date is signed like any header (the signer-based check dropped it: a client that signed
 * Date never matched, and a Date added to the list was never checked).
 */
export function canonicalHeaderNames(signedHeaders: readonly string[]): readonly string[] {
  if (isCanonicalList(signedHeaders)) return signedHeaders;
  const names = new Set<string>(signedHeaders);
  names.add("x-amz-date");
  names.delete("authorization");
  return [...names].sort();
}

/** What every SDK sends: sorted, no repeats, X-Amz-Date in it and no Authorization (then the list is used as is). */
function isCanonicalList(names: readonly string[]): boolean {
  let date = false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (i > 0 && !(names[i - 1]! < name)) return false;
    if (name === "x-amz-date") date = true;
    else if (name === "authorization") return false;
  }
  return date;
}

// The `;`-joined list of a shared (cached, authorization-header.ts) names array, joined once (issue 17).
const joined = new WeakMap<readonly string[], string>();

function joinedNames(names: readonly string[]): string {
  if (!Object.isFrozen(names)) return names.join(";");
  let text = joined.get(names);
  if (text === undefined) joined.set(names, (text = names.join(";")));
  return text;
}

/**
 * A header's value as signed: its string, repeated ones joined, "" when absent. One lookup (issue 17: was
 * `Object.hasOwn` and then the read): node:http's headers hold only strings and arrays of them, so anything else —
 * an inherited Object.prototype member for a header named `constructor` — is not a header and reads as absent.
 */
function headerValue(headers: SignedRequest["headers"], name: string): string {
  const value: unknown = headers[name];
  return typeof value === "string" ? value : Array.isArray(value) ? value.join(",") : "";
}

// CR and LF as spaces, runs of spaces and tabs as one space, one space trimmed at each end (what the SDKs sign).
const NEEDS_CANONICAL = /[\t\r\n]| {2}|^ | $/;
const LINE_BREAK = /[\r\n]/g;
const BLANKS = /[ \t]+/g;

export function canonicalHeaderValue(value: string): string {
  if (!NEEDS_CANONICAL.test(value)) return value;
  let out = value.replace(LINE_BREAK, " ").replace(BLANKS, " ");
  if (out.startsWith(" ")) out = out.slice(1);
  if (out.endsWith(" ")) out = out.slice(0, -1);
  return out;
}

/**
 * The canonical URI of a received path, as AWS defines it for every service but S3: the path as sent (its segments
 * already percent-encoded once by the client) with empty, `.` and `..` segments resolved, each segment encoded again
 * — so `%20` on the wire is `%2520` here. Undefined only for a string that cannot be UTF-8 (a lone surrogate).
 */
export function canonicalPath(path: string): string | undefined {
  if (path === "/") return "/";
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  try {
    return `${path.startsWith("/") ? "/" : ""}${segments.map(uriEncode).join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  } catch {
    return undefined;
  }
}

/**
 * The canonical query string of a raw one; `X-Amz-Signature` (any case) is left out. A key named like an Object
 * property (`constructor`, `__proto__`) is a key like any other here (the signer-based check mangled those).
 */
export function canonicalQuery(query: string): string {
  if (query === "") return "";
  const pairs: string[] = [];
  for (const [key, value] of new URLSearchParams(query)) {
    if (key.toLowerCase() === "x-amz-signature") continue;
    pairs.push(`${uriEncode(key)}=${uriEncode(value)}`);
  }
  // By encoded key, then by the whole pair: a key's values sort by their encoding. Keys are compared without the
  // `=`, so `a` comes before `a-b` whatever follows.
  return pairs
    .map((pair) => [pair.slice(0, pair.indexOf("=")), pair] as const)
    .sort(([ka, pa], [kb, pb]) => (ka < kb ? -1 : ka > kb ? 1 : pa < pb ? -1 : pa > pb ? 1 : 0))
    .map(([, pair]) => pair)
    .join("&");
}

/** RFC 3986 encoding: everything but A–Z a–z 0–9 - _ . ~ as %XX of its UTF-8 bytes. Throws on a lone surrogate. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(RESERVED_BY_3986, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const RESERVED_BY_3986 = /[!'()*]/g;

/** One-shot SHA-256 (crypto.hash: no Hash object per call; Node ≥ 20.12, package.json asks ≥ 20.18). */
function sha256Hex(data: Buffer | string): string {
  return hash("sha256", data, "hex");
}

// Derived signing keys by secret, date, region and service: four HMACs saved per request. Bounded: the oldest entry
// goes when full (a key changes daily, per region and per service; sessions bring new secrets). Each entry also keeps
// the key's two HMAC pads (below). Keyed by secret, then by the credential scope the string to sign carries anyway:
// no key string is built per request.
interface DerivedKey {
  key: Buffer;
  /** key ⊕ ipad, then room for the message (hmacHex). */
  inner: Buffer;
  /** key ⊕ opad, then the inner digest. */
  outer: Buffer;
}
const signingKeys = new Map<string, Map<string, DerivedKey>>();
let cachedKeys = 0;
export const MAX_SIGNING_KEYS = 256;

export function signingKey(secretAccessKey: string, shortDate: string, region: string, service: string): Buffer {
  return derivedKey(secretAccessKey, `${shortDate}/${region}/${service}/aws4_request`, shortDate, region, service).key;
}

function derivedKey(secretAccessKey: string, scope: string, shortDate: string, region: string, service: string): DerivedKey {
  let byScope = signingKeys.get(secretAccessKey);
  let derived = byScope?.get(scope);
  if (derived !== undefined) return derived;
  let key = createHmac("sha256", `AWS4${secretAccessKey}`).update(shortDate).digest();
  for (const part of [region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  derived = { key, inner: Buffer.alloc(HMAC_SCRATCH), outer: Buffer.alloc(SHA256_BLOCK + 32) };
  for (let i = 0; i < SHA256_BLOCK; i++) {
    const k = i < key.length ? key[i]! : 0;
    derived.inner[i] = k ^ 0x36;
    derived.outer[i] = k ^ 0x5c;
  }
  if (cachedKeys >= MAX_SIGNING_KEYS) {
    const [oldestSecret, oldest] = signingKeys.entries().next().value!;
    oldest.delete(oldest.keys().next().value!);
    if (oldest.size === 0) signingKeys.delete(oldestSecret);
    cachedKeys--;
  }
  if (byScope === undefined) signingKeys.set(secretAccessKey, (byScope = new Map()));
  byScope.set(scope, derived);
  cachedKeys++;
  return derived;
}

/** How many derived keys are cached (tests: the bound holds). */
export function cachedSigningKeys(): number {
  return cachedKeys;
}

const SHA256_BLOCK = 64;
/** Pad plus the longest string to sign written in place (the scope is client-chosen; longer ones take a copy). */
const HMAC_SCRATCH = 1024;

/**
 * HMAC-SHA256 (RFC 2104) of `message` under a derived key, from its precomputed pads with two one-shot hashes:
 * H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)). Issue 17, measured on Node 20.20 for a string to sign: `createHmac(…).update(…)
 * .digest("hex")` 3.0 µs; this 0.9 µs. The inner digest is taken as a "binary" (latin1) string, one character per
 * byte, and written back as bytes: `hash(…, "buffer")` alone costs 2.1 µs. The pads' buffers are reused: nothing runs
 * between filling and hashing them.
 */
function hmacHex(derived: DerivedKey, message: string): string {
  const { inner, outer } = derived;
  const length = Buffer.byteLength(message, "utf8");
  let innerDigest: string;
  if (SHA256_BLOCK + length <= inner.length) {
    // ASCII (every character one UTF-8 byte: always so for a valid scope) is written as latin1, its cheaper encoder.
    inner.write(message, SHA256_BLOCK, length === message.length ? "latin1" : "utf8");
    innerDigest = hash("sha256", inner.subarray(0, SHA256_BLOCK + length), "binary");
  } else {
    innerDigest = hash("sha256", Buffer.concat([inner.subarray(0, SHA256_BLOCK), Buffer.from(message, "utf8")]), "binary");
  }
  outer.write(innerDigest, SHA256_BLOCK, "latin1");
  return hash("sha256", outer, "hex");
}
