// Principal / NotPrincipal of resource and trust policies: which callers a statement is about, and how strongly
// it names them. The strength matters for same-account requests: a resource policy naming the exact user or
// role-session ARN allows on its own, one naming the role ARN (or "*") still goes through the permissions
// boundary, and one naming the account only delegates to the account's identity-based policies.
import type { PrincipalBlock } from "./policy-grammar.ts";

export type PrincipalType = "AssumedRole" | "Role" | "User" | "Root" | "Service";

export interface RequestPrincipal {
  /** User, role, session (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`), root ARN, or a service name such as `ecs-tasks.amazonaws.com`. */
  arn: string;
  account: string;
  type: PrincipalType;
  tags?: Record<string, string>;
}

/** exact: the caller's own ARN; role: the role of a session; account: its account; wildcard: "*" or NotPrincipal. */
export type PrincipalMatch = "exact" | "role" | "account" | "wildcard";

export interface CompiledPrincipals {
  readonly block: PrincipalBlock;
  match(principal: RequestPrincipal): PrincipalMatch | undefined;
}

const ACCOUNT_ROOT = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const SESSION_ARN = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

export function compilePrincipals(block: PrincipalBlock): CompiledPrincipals {
  const awsWildcard = block.wildcard || block.AWS.includes("*");
  const accounts = new Set<string>();
  const roles = new Map<string, string>(); // "<account>/<role name>" → role ARN as written
  const exact = new Set<string>();
  for (const value of block.AWS) {
    if (value === "*") continue;
    if (/^\d{12}$/.test(value)) { accounts.add(value); continue; }
    const root = ACCOUNT_ROOT.exec(value);
    if (root !== null) { accounts.add(root[1] as string); continue; }
    const role = ROLE_ARN.exec(value);
    if (role !== null) roles.set(`${role[1] as string}/${role[2] as string}`, value);
    exact.add(value);
  }
  const services = new Set(block.Service.map((s) => s.toLowerCase()));
  const others = new Set([...block.Federated, ...block.CanonicalUser]);
  const everyone = block.wildcard || block.Service.includes("*");

  return {
    block,
    match(principal) {
      if (principal.type === "Service") {
        if (services.has(principal.arn.toLowerCase())) return "exact";
        return everyone ? "wildcard" : undefined;
      }
      if (exact.has(principal.arn)) return "exact";
      if (principal.type === "AssumedRole") {
        const session = SESSION_ARN.exec(principal.arn);
        if (session !== null && roles.has(`${session[1] as string}/${session[2] as string}`)) return "role";
      }
      if (others.has(principal.arn)) return "exact";
      if (accounts.has(principal.account)) return principal.type === "Root" ? "exact" : "account";
      return awsWildcard ? "wildcard" : undefined;
    },
  };
}

/** The role ARN (without path, which a session ARN does not carry) behind `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
export function roleArnOfSession(sessionArn: string): string | undefined {
  let roleArn = roleArnCache.get(sessionArn);
  if (roleArn === undefined && !roleArnCache.has(sessionArn)) {
    const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(sessionArn);
    roleArn = m === null ? undefined : `arn:${m[1] as string}:iam::${m[2] as string}:role/${m[3] as string}`;
    if (roleArnCache.size >= 1024) roleArnCache.clear();
    roleArnCache.set(sessionArn, roleArn);
  }
  return roleArn;
}

// Sessions repeat on every call of a task; the regex need not.
const roleArnCache = new Map<string, string | undefined>();
