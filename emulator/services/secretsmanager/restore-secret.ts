// RestoreSecret: cancels a scheduled deletion (harmless on a secret that is not scheduled).
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import type { Input } from "../../protocol/input.ts";
import { ReplicationText } from "./texts.ts";
import { readSecretId } from "./rules.ts";
import { requireSecret } from "./secret-id.ts";

export function RestoreSecret(ctx: RequestContext, input: Input): { ARN: string; Name: string } {
  const record = requireSecret(ctx, readSecretId(input));
  if (record.primaryRegion !== undefined) throw new AwsError(AwsErrorCode.InvalidParameterException, ReplicationText.notPermittedOnReplica);
  if (record.deletedDate !== undefined) {
    delete record.deletedDate;
    delete record.deletionDate;
    record.lastChangedDate = ctx.now;
  }
  return { ARN: record.arn, Name: record.name };
}
