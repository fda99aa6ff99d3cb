// Who is calling: the principal, account and region a request acts in. Region comes from the SigV4 credential
// scope; the principal from the access key (auth/access-keys.ts). With signature checking on, auth/verify.ts has
// already proven the caller holds the key; with it off, any request is taken at its word (unknown or absent
// keys act as the default admin).
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from "../aws/defaults.ts";
import { type AccessKeys } from "./auth/access-keys.ts";
import { type Principal, rootPrincipal } from "./auth/principal.ts";
import { type CredentialScope, parseCredentialScope } from "./protocol/sigv4-scope.ts";

export { DEFAULT_ACCOUNT, DEFAULT_REGION };

export interface Caller {
  account: string;
  region: string;
  /** Absent for unsigned requests. */
  accessKeyId?: string;
  principal: Principal;
  /** The credential scope's service name (`sts`, `iam`, `secretsmanager`…), when signed. */
  signingService?: string;
}

export interface CallerDefaults {
  region: string;
  account: string;
  /** The admin key unsigned requests act with when signature checking is off. */
  accessKeyId?: string;
}

/** The account an access key belongs to; unknown keys belong to the default account. */
export function accountForAccessKey(accessKeyId: string | undefined, defaults: CallerDefaults, keys?: AccessKeys): string {
  const record = accessKeyId === undefined ? undefined : keys?.get(accessKeyId);
  return record?.principal.account ?? defaults.account;
}

/** The caller of a request whose key (if any) is known or not checked. */
export function resolveCaller(authorization: string | undefined, defaults: CallerDefaults, keys?: AccessKeys): Caller {
  return callerForScope(parseCredentialScope(authorization), defaults, keys);
}

export function callerForScope(scope: CredentialScope | undefined, defaults: CallerDefaults, keys?: AccessKeys): Caller {
  const record = scope === undefined ? undefined : keys?.get(scope.accessKeyId);
  const principal = record?.principal ?? rootPrincipal(defaults.account, scope?.accessKeyId ?? defaults.accessKeyId ?? "test");
  if (scope === undefined) return { account: principal.account, region: defaults.region, principal };
  return { account: principal.account, region: scope.region, accessKeyId: scope.accessKeyId, principal, signingService: scope.service };
}
