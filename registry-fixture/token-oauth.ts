// The OAuth2 side of the fixture's token service (distribution's spec/auth/oauth.md, with RFC 6749 for the error
// answers): refresh tokens, the identity tokens of Docker's AuthConfig. The daemon's client
// (distribution registry/client/auth/session.go, tokenHandler.fetchToken) POSTs
// `grant_type=refresh_token&refresh_token=…&service=…&client_id=…&scope=…` as soon as its credential store holds
// one (moby's static credential store answers RefreshToken() with AuthConfig.IdentityToken), and `docker login`
// gets one with `GET …&offline_token=true&client_id=…` (moby registry/auth.go loginV2, OfflineAccess; token.md).
// A refresh token is opaque, bound to the account and the service it was issued for, and never expires here
// (token.md: "The refresh token does not have an expiration").
import { randomBytes, timingSafeEqual } from "node:crypto";

/** RFC 6749 §5.2 error codes the fixture answers with. */
export type OAuthErrorCode = "invalid_request" | "invalid_grant" | "unsupported_grant_type";

/** An OAuth2 error answer: status 400 and `{"error", "error_description"}` (RFC 6749 §5.2). */
export interface OAuthError {
  status: 400;
  body: { error: OAuthErrorCode; error_description: string };
}

export function oauthError(error: OAuthErrorCode, description: string): OAuthError {
  return { status: 400, body: { error, error_description: description } };
}

/** The token endpoint's POST takes a form (oauth.md, "Headers"); parameters may carry `; charset=…`. */
export function isFormContentType(header: string | undefined): boolean {
  return (header ?? "").split(";", 1)[0]!.trim().toLowerCase() === "application/x-www-form-urlencoded";
}

interface RefreshTokenRecord {
  account: string;
  service: string;
}

/** Refresh tokens the service issued or was given, each bound to an account and a service. */
export class RefreshTokens {
  private readonly byToken = new Map<string, RefreshTokenRecord>();

  /** A fresh opaque token for `account` (32 random bytes, base64url). */
  issue(account: string, service: string): string {
    const token = randomBytes(32).toString("base64url");
    this.byToken.set(token, { account, service });
    return token;
  }

  /** Registers a token chosen by the caller (a scenario's known identity token). */
  register(token: string, account: string, service: string): void {
    this.byToken.set(token, { account, service });
  }

  /**
   * The account a token stands for, or why not: unknown, or issued for another service (oauth.md: "Refresh tokens
   * will only be good for getting tokens for this service"). Compared in constant time per candidate.
   */
  redeem(token: string, service: string): { account: string } | { problem: string } {
    const given = Buffer.from(token);
    for (const [known, record] of this.byToken) {
      const candidate = Buffer.from(known);
      if (candidate.length !== given.length || !timingSafeEqual(candidate, given)) continue;
      if (record.service !== service) return { problem: "refresh token was not issued for this service" };
      return { account: record.account };
    }
    return { problem: "invalid refresh token" };
  }

  /** Forgets a token (a revoked identity token). */
  revoke(token: string): boolean {
    return this.byToken.delete(token);
  }

  /** Every token, for a caller's redaction list. */
  all(): string[] {
    return [...this.byToken.keys()];
  }
}
