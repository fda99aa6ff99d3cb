// The principal behind a request: an account's admin key (acting as the account root, full access) or a role
// session issued by the emulator's STS. Services and the IAM enforcement read it from `ctx.principal`.
import type { RequestPrincipal } from "../../aws/iam/index.ts";
import type { RequestContext } from "../context.ts";

export interface Principal {
  /** `arn:aws:iam::<acct>:root` or `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
  readonly arn: string;
  readonly account: string;
  readonly type: "Root" | "AssumedRole";
  /** Admin keys bypass IAM enforcement (the root user of their account). */
  readonly admin: boolean;
  /** The key the request was signed with (AKIA…/test for admin keys, ASIA… for sessions). */
  readonly accessKeyId: string;
  /** For sessions: the role's full ARN (with its path), its name and the session name. */
  readonly roleArn?: string;
  readonly roleName?: string;
  readonly sessionName?: string;
  /** `AROA…:<session>` (GetCallerIdentity's UserId, aws:userid). */
  readonly assumedRoleId?: string;
  /** Session tags (aws:PrincipalTag/*); the role's own tags are read from IAM state at evaluation time. */
  readonly tags?: Readonly<Record<string, string>>;
  /** The inline session policy passed to AssumeRole (`Policy`), as the caller sent it: plain data, persisted with the session. */
  readonly sessionPolicy?: string;
  /** The managed session policies passed to AssumeRole (`PolicyArns`): their ARNs, read from IAM at evaluation time. */
  readonly sessionPolicyArns?: readonly string[];
}

export function accountRootArn(account: string): string {
  return `arn:aws:iam::${account}:root`;
}

export function rootPrincipal(account: string, accessKeyId: string): Principal {
  return { arn: accountRootArn(account), account, type: "Root", admin: true, accessKeyId };
}

export function sessionArn(account: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
}

/** The principal as the policy evaluator sees it. */
export function requestPrincipal(principal: Principal, tags?: Readonly<Record<string, string>>): RequestPrincipal {
  // No tags on the role nor the session (the usual case): no tag objects copied per request (issue 17).
  if (principal.tags === undefined && (tags === undefined || isEmpty(tags))) return { arn: principal.arn, account: principal.account, type: principal.type };
  const merged = tags === undefined ? principal.tags : { ...tags, ...principal.tags };
  return { arn: principal.arn, account: principal.account, type: principal.type, ...(merged !== undefined && { tags: { ...merged } }) };
}

function isEmpty(record: Readonly<Record<string, string>>): boolean {
  for (const _ in record) return false;
  return true;
}

/** The caller of a handler; contexts built without one (handler unit tests) act as the account root. */
export function principalOf(ctx: RequestContext): Principal {
  return ctx.principal ?? rootPrincipal(ctx.account, "test");
}
