// Enforcement on IAM and STS themselves: admin keys (the account root) may do anything; a role session needs an
// allow in its own policies (and its boundary), decided by the same evaluator as every other service.
import { principalOf, requestPrincipal } from "../../auth/principal.ts";
import type { RequestContext } from "../../context.ts";
import { accessDeniedMessage, evaluate } from "../../../aws/iam/index.ts";
import { AwsError } from "../../protocol/aws-error.ts";
import { principalPolicies, roleTags } from "../../state/iam.ts";

export function requireIamPermission(ctx: RequestContext, action: string, resource: string): void {
  const principal = principalOf(ctx);
  if (principal.admin) return;
  const decision = evaluate(
    {
      principal: requestPrincipal(principal, roleTags(ctx.store, principal)),
      action,
      resource,
      resourceAccount: ctx.account,
      context: { "aws:SourceIp": ctx.sourceIp, "aws:SecureTransport": String(ctx.secureTransport ?? false), "aws:CurrentTime": new Date(ctx.now).toISOString() },
    },
    principalPolicies(ctx.store, principal),
  );
  if (decision.decision !== "allowed") {
    throw new AwsError("AccessDenied", accessDeniedMessage(principal.arn, action, resource, decision.reasonClause), 403);
  }
}
