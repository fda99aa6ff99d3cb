// Reads a SigV4 `Authorization` header in full: credential scope, signed header names and the signature.
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

/** `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/sts/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization(header: string): AuthorizationParse {
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
