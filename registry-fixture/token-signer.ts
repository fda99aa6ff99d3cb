// The token issuer's key material and JWT signing for the registry's `auth.token` mode: an RSA key with a
// self-signed certificate (the registry's rootcertbundle) made by the openssl CLI (node:crypto cannot write
// X.509), and RS256 tokens whose `x5c` header carries that certificate, which is how distribution 2.x finds the
// key: it verifies the x5c chain against rootcertbundle, then the signature.
import { execFileSync } from "node:child_process";
import { createPrivateKey, randomBytes, sign, X509Certificate, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class TokenSetupError extends Error {
  override readonly name = "TokenSetupError";
}

/** One access grant in a token: `repository:<name>:<actions>` as the registry reads it. */
export interface TokenAccess {
  type: "repository" | "registry";
  name: string;
  actions: string[];
}

export interface TokenClaims {
  issuer: string;
  service: string;
  subject: string;
  access: TokenAccess[];
  /** Lifetime; default 300 s (Docker Hub's). */
  ttlSeconds?: number;
  /** Issue time in seconds since the epoch; default now (an earlier one makes an already expired token). */
  issuedAt?: number;
}

export interface TokenSigner {
  /** PEM of the self-signed certificate: the registry's rootcertbundle. */
  certificatePem: string;
  sign(claims: TokenClaims): string;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/** A fresh RSA key and certificate (openssl CLI), valid for a day. */
export function createTokenSigner(commonName = "ecs-pull-token-issuer"): TokenSigner {
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-token-"));
  try {
    const keyPath = join(dir, "key.pem");
    const certPath = join(dir, "cert.pem");
    try {
      execFileSync(
        "openssl",
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", certPath, "-days", "1", "-subj", `/CN=${commonName}`],
        { stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 },
      );
    } catch (error) {
      throw new TokenSetupError(`registry fixture: token auth needs the openssl CLI to make its certificate: ${(error as Error).message}`);
    }
    const key = createPrivateKey(readFileSync(keyPath));
    const certificatePem = readFileSync(certPath, "utf8");
    return signerFrom(key, certificatePem);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function signerFrom(key: KeyObject, certificatePem: string): TokenSigner {
  const der = new X509Certificate(certificatePem).raw.toString("base64");
  const header = base64url(JSON.stringify({ typ: "JWT", alg: "RS256", x5c: [der] }));
  return {
    certificatePem,
    sign(claims) {
      const now = claims.issuedAt ?? Math.floor(Date.now() / 1000);
      const payload = base64url(
        JSON.stringify({
          iss: claims.issuer,
          sub: claims.subject,
          aud: claims.service,
          // nbf a little before iat: the registry allows 60 s of skew, but clocks of a test machine are one clock.
          nbf: now - 5,
          iat: now,
          exp: now + (claims.ttlSeconds ?? 300),
          jti: randomBytes(12).toString("hex"),
          access: claims.access,
        }),
      );
      const input = `${header}.${payload}`;
      return `${input}.${base64url(sign("sha256", Buffer.from(input), key))}`;
    },
  };
}
