// A small token service for the registry's `auth.token` mode (the Docker token auth spec): GET /token with Basic
// auth (token.md), or POST /token with an OAuth2 form (oauth.md; token-oauth.ts): the password grant (what
// containerd tries first) or the refresh-token grant (what the Docker daemon sends for an AuthConfig with an
// identitytoken), answers a JWT granting the requested repository actions the user's ACL allows. So a user can be authenticated and still get no access to
// a repository: the registry then refuses the pull, the `denied: requested access to the resource is denied` path.
// A wrong password is answered as Docker Hub does (401 `{"details":"incorrect username or password"}`), or, in
// "anonymous" mode, with an anonymous token that grants nothing (how some registries behave).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { type GlobPart, STAR, globMatch } from "../aws/iam/patterns.ts";
import { LOOPBACK } from "./probe.ts";
import type { TokenAccess, TokenClaims, TokenSigner } from "./token-signer.ts";
import { RefreshTokens, isFormContentType, oauthError, type OAuthError } from "./token-oauth.ts";

/** The `service` and `iss` of the fixture's tokens (what the registry's auth.token config expects). */
export const TOKEN_SERVICE = "ecs-pull-registry";
export const TOKEN_ISSUER = "ecs-pull-token-issuer";

/** Docker Hub's token-service answer to a wrong password; the daemon shows `unauthorized: <details>`. */
export const BAD_CREDENTIALS_DETAILS = "incorrect username or password";

/** user → repository patterns (`team/*`, `*`, `team/app`) the user may pull and push. */
export type TokenAcl = Record<string, readonly string[]>;

export type BadCredentialsMode = "401" | "anonymous";

export interface TokenServerOptions {
  signer: TokenSigner;
  service: string;
  issuer: string;
  users: ReadonlyArray<{ username: string; password: string }>;
  acl: TokenAcl;
  /** Patterns an anonymous caller may pull; default none. */
  anonymousPull?: readonly string[];
  badCredentials?: BadCredentialsMode;
  /** Refresh tokens (identity tokens) known from the start: token → username (one of `users`). */
  refreshTokens?: Readonly<Record<string, string>>;
}

/** How a token request authenticated: GET with Basic auth or none; POST with an OAuth2 grant (or an unknown one). */
export type TokenGrant = "basic" | "anonymous" | "password" | "refresh_token" | "unsupported";

/** One token request as served (never a password). */
export interface TokenLogEntry {
  method: string;
  grant: TokenGrant;
  /** The account claimed or redeemed ("" when anonymous or refused before one was known). */
  account: string;
  scopes: string[];
  granted: string[];
  /** A new refresh token was issued (GET offline_token=true, POST access_type=offline); never the token itself. */
  refreshTokenIssued: boolean;
  status: number;
}

/** The seeding identity: a random password, every action on every repository. */
export const ADMIN_USER = "ecs-pull-fixture-admin";

export interface StartedTokenServer {
  /** `http://127.0.0.1:<port>/token`: the realm the registry names in its Bearer challenge. */
  realm: string;
  admin: { username: string; password: string };
  log(): TokenLogEntry[];
  /** A new refresh token (identity token) for a known user, as `docker login` would get one. */
  issueRefreshToken(username: string): string;
  /** Forgets a refresh token: the next refresh-token grant with it is `invalid_grant`. */
  revokeRefreshToken(token: string): boolean;
  /** A token signed by the service's key for these claims (a registry token minted outside the token endpoint). */
  mint(claims: Omit<TokenClaims, "issuer" | "service">): string;
  stop(): Promise<void>;
}

/**
 * `team/*`: `*` matches anything, slashes included; nothing else is a wildcard. Matched with the IAM glob matcher
 * (no RegExp built from the pattern: many stars against a long repository name from a request would backtrack).
 */
export function patternMatches(pattern: string, repository: string): boolean {
  const parts: GlobPart[] = [];
  pattern.split("*").forEach((text, i) => {
    if (i > 0 && parts[parts.length - 1] !== STAR) parts.push(STAR);
    if (text !== "") parts.push(text);
  });
  return globMatch(parts, repository);
}

/** `repository:team/app:pull,push` → access entry; names may not hold ':' but a type may carry `(class)`. */
export function parseScope(scope: string): TokenAccess | undefined {
  const first = scope.indexOf(":");
  const last = scope.lastIndexOf(":");
  if (first < 0 || last <= first) return undefined;
  const type = scope.slice(0, first).replace(/\(.*\)$/, "");
  if (type !== "repository" && type !== "registry") return undefined;
  return { type, name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(",").filter(Boolean) };
}

/** What the ACL lets `patterns` do of what was asked. */
export function grant(requested: TokenAccess[], patterns: readonly string[], allowed: readonly string[]): TokenAccess[] {
  const granted: TokenAccess[] = [];
  for (const access of requested) {
    if (access.type !== "repository" || !patterns.some((p) => patternMatches(p, access.name))) continue;
    const actions = access.actions.filter((a) => allowed.includes(a) || allowed.includes("*"));
    if (actions.length > 0) granted.push({ ...access, actions });
  }
  return granted;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class TokenServerError extends Error {
  override readonly name = "TokenServerError";
}

/** The most a token request's body may hold (a form of a few short fields); more is refused with a 413. */
export const MAX_TOKEN_REQUEST_BYTES = 64 * 1024;

export async function startTokenServer(options: TokenServerOptions): Promise<StartedTokenServer> {
  const admin = { username: ADMIN_USER, password: randomBytes(18).toString("base64url") };
  const accounts = new Map<string, string>([[admin.username, admin.password]]);
  for (const user of options.users) accounts.set(user.username, user.password);
  const log: TokenLogEntry[] = [];
  const refreshTokens = new RefreshTokens();
  for (const [token, username] of Object.entries(options.refreshTokens ?? {})) {
    if (!options.users.some((u) => u.username === username)) {
      throw new TokenServerError(`registry fixture: refresh token for ${JSON.stringify(username)}, who is not a user`);
    }
    refreshTokens.register(token, username, options.service);
  }
  const sockets = new Set<Socket>();

  const permissions = (account: string | undefined): { patterns: readonly string[]; actions: readonly string[] } => {
    if (account === admin.username) return { patterns: ["*"], actions: ["*"] };
    if (account === undefined) return { patterns: options.anonymousPull ?? [], actions: ["pull"] };
    return { patterns: options.acl[account] ?? [], actions: ["pull", "push"] };
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  /** Who a request authenticates as: a refresh token's account, a password's, or anonymous; or the answer to give. */
  type Caller = { account: string | undefined; grant: TokenGrant } | { status: number; body: unknown; grant: TokenGrant; claimed?: string };

  const byPassword = (grant: TokenGrant, username: string, password: string): Caller => {
    const known = accounts.get(username);
    if (known !== undefined && safeEqual(known, password)) return { account: username, grant };
    if ((options.badCredentials ?? "401") === "401") return { status: 401, body: { details: BAD_CREDENTIALS_DETAILS }, grant, claimed: username };
    return { account: undefined, grant };
  };

  /** POST: the OAuth2 form (oauth.md). Errors are RFC 6749 §5.2's 400s, except a wrong password (Docker Hub's 401). */
  const oauthCaller = (req: IncomingMessage, form: URLSearchParams): Caller => {
    const grantType = form.get("grant_type") ?? "";
    const grant: TokenGrant = grantType === "password" || grantType === "refresh_token" ? grantType : "unsupported";
    const refuse = (e: OAuthError): Caller => ({ status: e.status, body: e.body, grant });
    if (!isFormContentType(req.headers["content-type"])) {
      return refuse(oauthError("invalid_request", "the token endpoint takes an application/x-www-form-urlencoded POST"));
    }
    if (grantType === "") return refuse(oauthError("invalid_request", "missing grant_type"));
    if (grant === "unsupported") return refuse(oauthError("unsupported_grant_type", "grant_type must be password or refresh_token"));
    for (const name of ["service", "client_id"]) {
      if (!form.get(name)) return refuse(oauthError("invalid_request", `missing ${name}`));
    }
    if (grant === "password") return byPassword(grant, form.get("username") ?? "", form.get("password") ?? "");
    const token = form.get("refresh_token") ?? "";
    if (token === "") return refuse(oauthError("invalid_request", "missing refresh_token"));
    const redeemed = refreshTokens.redeem(token, form.get("service") ?? "");
    if ("problem" in redeemed) return refuse(oauthError("invalid_grant", redeemed.problem));
    return { account: redeemed.account, grant };
  };

  /** GET: Basic auth or anonymous (token.md). */
  const basicCaller = (req: IncomingMessage): Caller => {
    const header = req.headers.authorization;
    if (!header?.startsWith("Basic ")) return { account: undefined, grant: "anonymous" };
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return byPassword("basic", decoded.slice(0, colon), decoded.slice(colon + 1));
  };

  const serve = (req: IncomingMessage, res: ServerResponse, form: URLSearchParams) => {
    const url = new URL(req.url ?? "/", "http://token");
    const method = req.method ?? "GET";
    const entry: TokenLogEntry = { method, grant: "anonymous", account: "", scopes: [], granted: [], refreshTokenIssued: false, status: 0 };
    const finish = (status: number, body: unknown) => {
      entry.status = status;
      log.push(entry);
      answer(res, status, body);
    };
    if (url.pathname !== "/token") return finish(404, { details: "not found" });
    const post = method === "POST";
    const params = post ? form : url.searchParams;
    entry.scopes = params.getAll("scope").flatMap((s) => s.split(" ")).filter(Boolean);

    const caller = post ? oauthCaller(req, form) : basicCaller(req);
    entry.grant = caller.grant;
    if ("status" in caller) {
      entry.account = caller.claimed ?? "";
      return finish(caller.status, caller.body);
    }
    const account = caller.account;
    entry.account = account ?? "";
    const { patterns, actions } = permissions(account);
    const requested = entry.scopes.map(parseScope).filter((a): a is TokenAccess => a !== undefined);
    const access = grant(requested, patterns, actions);
    entry.granted = access.map((a) => `${a.type}:${a.name}:${a.actions.join(",")}`);
    const token = options.signer.sign({ issuer: options.issuer, service: options.service, subject: account ?? "", access });
    const issuedAt = new Date().toISOString();
    // A refresh token for an authenticated caller that asks for one: GET offline_token=true (token.md), POST
    // access_type=offline (oauth.md; a refresh_token grant gets the same token back, not a new one).
    let refreshToken: string | undefined;
    const offline = post ? params.get("access_type") === "offline" : params.get("offline_token") === "true";
    if (offline && account !== undefined && account !== admin.username) {
      if (caller.grant === "refresh_token") refreshToken = form.get("refresh_token") ?? undefined;
      else {
        refreshToken = refreshTokens.issue(account, options.service);
        entry.refreshTokenIssued = true;
      }
    }
    const refresh = refreshToken === undefined ? {} : { refresh_token: refreshToken };
    if (post) return finish(200, { access_token: token, ...refresh, expires_in: 300, issued_at: issuedAt, scope: entry.granted.join(" ") });
    finish(200, { token, access_token: token, ...refresh, expires_in: 300, issued_at: issuedAt });
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_TOKEN_REQUEST_BYTES && !refused) {
        refused = true;
        res.writeHead(413, { "content-type": "application/json", connection: "close" });
        res.end(JSON.stringify({ error: "invalid_request", error_description: `request body over ${MAX_TOKEN_REQUEST_BYTES} bytes` }));
        req.resume();
      }
      if (!refused) chunks.push(chunk);
    });
    req.on("end", () => {
      if (!refused) serve(req, res, new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    realm: `http://${LOOPBACK}:${port}/token`,
    admin,
    log: () => log.map((e) => ({ ...e })),
    issueRefreshToken: (username) => {
      if (!accounts.has(username) || username === admin.username) {
        throw new TokenServerError(`registry fixture: no user ${JSON.stringify(username)} to issue a refresh token for`);
      }
      return refreshTokens.issue(username, options.service);
    },
    revokeRefreshToken: (token) => refreshTokens.revoke(token),
    mint: (claims) => options.signer.sign({ ...claims, issuer: options.issuer, service: options.service }),
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}
