// A small token service for the registry's `auth.token` mode (the Docker token auth spec): GET /token with Basic
// auth, or POST /token with an OAuth2 password grant (what containerd tries first), answers a JWT granting the
// requested repository actions the user's ACL allows. So a user can be authenticated and still get no access to
// a repository: the registry then refuses the pull, the `denied: requested access to the resource is denied` path.
// A wrong password is answered as Docker Hub does (401 `{"details":"incorrect username or password"}`), or, in
// "anonymous" mode, with an anonymous token that grants nothing (how some registries behave).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { type GlobPart, STAR, globMatch } from "../aws/iam/patterns.ts";
import { LOOPBACK } from "./probe.ts";
import type { TokenAccess, TokenSigner } from "./token-signer.ts";

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
}

/** One token request as served (never a password). */
export interface TokenLogEntry {
  method: string;
  account: string;
  scopes: string[];
  granted: string[];
  status: number;
}

/** The seeding identity: a random password, every action on every repository. */
export const ADMIN_USER = "ecs-pull-fixture-admin";

export interface StartedTokenServer {
  /** `http://127.0.0.1:<port>/token`: the realm the registry names in its Bearer challenge. */
  realm: string;
  admin: { username: string; password: string };
  log(): TokenLogEntry[];
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

export async function startTokenServer(options: TokenServerOptions): Promise<StartedTokenServer> {
  const admin = { username: ADMIN_USER, password: randomBytes(18).toString("base64url") };
  const accounts = new Map<string, string>([[admin.username, admin.password]]);
  for (const user of options.users) accounts.set(user.username, user.password);
  const log: TokenLogEntry[] = [];
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

  const serve = (req: IncomingMessage, res: ServerResponse, form: URLSearchParams) => {
    const url = new URL(req.url ?? "/", "http://token");
    const entry: TokenLogEntry = { method: req.method ?? "GET", account: "", scopes: [], granted: [], status: 0 };
    const finish = (status: number, body: unknown) => {
      entry.status = status;
      log.push(entry);
      answer(res, status, body);
    };
    if (url.pathname !== "/token") return finish(404, { details: "not found" });
    const params = req.method === "POST" ? form : url.searchParams;
    entry.scopes = params.getAll("scope").flatMap((s) => s.split(" ")).filter(Boolean);

    let claimed: { username: string; password: string } | undefined;
    const header = req.headers.authorization;
    if (req.method === "POST" && params.get("grant_type") === "password") {
      claimed = { username: params.get("username") ?? "", password: params.get("password") ?? "" };
    } else if (req.method === "POST") {
      // Refresh tokens are never issued, so any other grant is one we do not know.
      return finish(400, { error: "unsupported_grant_type" });
    } else if (header?.startsWith("Basic ")) {
      const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      claimed = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    let account: string | undefined;
    if (claimed) {
      entry.account = claimed.username;
      const known = accounts.get(claimed.username);
      if (known !== undefined && safeEqual(known, claimed.password)) account = claimed.username;
      else if ((options.badCredentials ?? "401") === "401") return finish(401, { details: BAD_CREDENTIALS_DETAILS });
    }
    const { patterns, actions } = permissions(account);
    const requested = entry.scopes.map(parseScope).filter((a): a is TokenAccess => a !== undefined);
    const access = grant(requested, patterns, actions);
    entry.granted = access.map((a) => `${a.type}:${a.name}:${a.actions.join(",")}`);
    const token = options.signer.sign({ issuer: options.issuer, service: options.service, subject: account ?? "", access });
    finish(200, { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() });
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => serve(req, res, new URLSearchParams(Buffer.concat(chunks).toString("utf8"))));
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
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}
