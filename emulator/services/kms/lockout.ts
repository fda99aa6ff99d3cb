// KMS's policy lockout safety check: a new key policy must still let the caller change the key policy, unless
// the caller sets BypassPolicyLockoutSafetyCheck. Decided by the same evaluator as enforcement.
import { principalOf, requestPrincipal } from "../../auth/principal.ts";
import type { RequestContext } from "../../context.ts";
import { evaluate } from "../../../aws/iam/index.ts";
import { AwsError } from "../../protocol/aws-error.ts";
import { KmsText } from "../../../aws/texts.ts";
import { principalPolicies, roleTags } from "../../state/iam.ts";
import { KmsErrorCode } from "./errors.ts";

/** Throws MalformedPolicyDocumentException when `policy` would lock the caller out of kms:PutKeyPolicy. */
export function checkLockout(ctx: RequestContext, policy: string, keyArn: string | undefined): void {
  const principal = principalOf(ctx);
  const decision = evaluate(
    {
      principal: requestPrincipal(principal, roleTags(ctx.store, principal)),
      action: "kms:PutKeyPolicy",
      resource: keyArn ?? "*",
      resourceAccount: ctx.account,
      context: { "kms:CallerAccount": principal.account, "aws:RequestedRegion": ctx.region },
    },
    { ...principalPolicies(ctx.store, principal), resource: { id: "new key policy", document: policy } },
  );
  const keyPolicyAllows = decision.matched.some((ref) => ref.policyType === "resource" && ref.effect === "Allow");
  if (decision.decision !== "allowed" || !keyPolicyAllows) {
    throw Object.assign(new AwsError(KmsErrorCode.MalformedPolicyDocumentException, KmsText.policyLockout), { decision });
  }
}
