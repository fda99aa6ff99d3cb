// Reads the credential scope of a SigV4 `Authorization` header: who signed (access key) and for which region.
// Signature checking is a later step (it will live next to this file); this only parses.

export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/secretsmanager/aws4_request, ...` → its scope. */
export function parseCredentialScope(authorization: string | undefined): CredentialScope | undefined {
  if (authorization === undefined || !authorization.startsWith("AWS4-HMAC-SHA256")) return undefined;
  const match = CREDENTIAL.exec(authorization);
  if (match === null) return undefined;
  return { accessKeyId: match[1]!, date: match[2]!, region: match[3]!, service: match[4]! };
}
