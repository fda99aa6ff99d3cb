// Reads a SigV4 `Authorization` header in full: credential scope, signed header names and the signature.
import { awsRegion } from "../protocol/regions.ts";
import type { CredentialScope } from "../protocol/sigv4-scope.ts";

export interface ParsedAuthorization {
  scope: CredentialScope;
  /** Lower-case header names as listed (`host;x-amz-date;x-amz-target`). */
  signedHeaders: string[];
  /** Hex, as sent. */
  signature: string;
}

export type AuthorizationParse = { ok: true; value: ParsedAuthorization } | { ok: false; missing: string[] };

const ALGORITHM = "AWS4-HMAC-SHA256";
const SCOPE = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

/**
 * `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/sts/aws4_request, SignedHeaders=a;b, Signature=hex`. Comma-
 * separated `name=value` parts after the algorithm, each trimmed; a repeated name keeps its last value. Scanned with
 * indexOf (it runs on every request): no intermediate arrays or maps.
 */
export function parseAuthorization(header: string): AuthorizationParse {
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  if (header.startsWith(ALGORITHM)) {
    let start = ALGORITHM.length;
    while (start <= header.length) {
      let end = header.indexOf(",", start);
      if (end < 0) end = header.length;
      const eq = header.indexOf("=", start);
      if (eq >= 0 && eq < end) {
        const name = header.slice(start, eq).trim();
        if (name !== "") {
          const value = header.slice(eq + 1, end).trim();
          if (name === "Credential") credential = value;
          else if (name === "SignedHeaders") signedHeaders = value;
          else if (name === "Signature") signature = value;
        }
      }
      start = end + 1;
    }
  }
  const scope = credential === undefined ? null : SCOPE.exec(credential);
  const missing: string[] = [];
  if (scope === null) missing.push("Credential");
  if (signature === undefined || signature === "") missing.push("Signature");
  if (signedHeaders === undefined || signedHeaders === "") missing.push("SignedHeaders");
  if (missing.length > 0 || scope === null) return { ok: false, missing };
  return {
    ok: true,
    value: {
      scope: { accessKeyId: scope[1]!, date: scope[2]!, region: awsRegion(scope[3]!) ?? scope[3]!, service: scope[4]! },
      signedHeaders: signedHeaderNames(signedHeaders!),
      signature: signature!,
    },
  };
}

// SignedHeaders lists by their text (issue 17): an SDK sends the same list on every call, so it is lower-cased and
// split once, and the same array (with strings V8 has already hashed) serves each request. A pure function of the
// text; bounded in entries and in length, cleared when full; a kept key is a copy (not a slice of the whole header).
// The arrays are frozen: callers share them.
const headerLists = new Map<string, string[]>();
const HEADER_LISTS_LIMIT = 1024;
const HEADER_LIST_MAX_LENGTH = 1024;

function signedHeaderNames(text: string): string[] {
  let names = headerLists.get(text);
  if (names === undefined) {
    names = Object.freeze(text.toLowerCase().split(";").filter((h) => h !== "")) as string[];
    if (text.length <= HEADER_LIST_MAX_LENGTH) {
      if (headerLists.size >= HEADER_LISTS_LIMIT) headerLists.clear();
      headerLists.set(` ${text}`.slice(1), names);
    }
  }
  return names;
}
