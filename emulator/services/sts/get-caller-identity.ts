// GetCallerIdentity: who the signing key belongs to. Needs no permission (AWS answers it even under a deny-all).
import { principalOf } from "../../auth/principal.ts";
import type { RequestContext } from "../../context.ts";

export function GetCallerIdentity(ctx: RequestContext) {
  const principal = principalOf(ctx);
  const userId = principal.type === "Root" ? principal.account : (principal.assumedRoleId ?? principal.arn);
  return { UserId: userId, Account: principal.account, Arn: principal.arn };
}
