// Who is calling: the account and region a request acts in. Region comes from the SigV4 credential scope;
// the account from the access key. `accountForAccessKey` is the one function the next step (SigV4 check and
// IAM principals) replaces.
import { parseCredentialScope } from "./protocol/sigv4-scope.ts";

export const DEFAULT_REGION = "us-east-1";
export const DEFAULT_ACCOUNT = "000000000000";

export interface Caller {
  account: string;
  region: string;
  /** Absent for unsigned requests. */
  accessKeyId?: string;
}

export interface CallerDefaults {
  region: string;
  account: string;
}

/** Every access key belongs to the default account for now. */
export function accountForAccessKey(_accessKeyId: string | undefined, defaults: CallerDefaults): string {
  return defaults.account;
}

export function resolveCaller(authorization: string | undefined, defaults: CallerDefaults): Caller {
  const scope = parseCredentialScope(authorization);
  if (scope === undefined) return { account: accountForAccessKey(undefined, defaults), region: defaults.region };
  return {
    account: accountForAccessKey(scope.accessKeyId, defaults),
    region: scope.region,
    accessKeyId: scope.accessKeyId,
  };
}
