// Key policies: the default one CreateKey gives (it delegates to the account's IAM policies through the account
// root), the policy of AWS managed keys (usable by every principal of the account, only through the service), and
// the check that a policy given by a caller is one KMS would store.
import { MalformedPolicyDocument, validatePolicy } from "../../../aws/iam/index.ts";
import { AwsError } from "../../protocol/aws-error.ts";
import { KmsErrorCode } from "./errors.ts";
import { partitionOf } from "./arn.ts";

/** What CreateKey stores when the caller gives no Policy. */
export function defaultKeyPolicy(account: string, region: string): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Id: "key-default-1",
      Statement: [
        {
          Sid: "Enable IAM User Permissions",
          Effect: "Allow",
          Principal: { AWS: `arn:${partitionOf(region)}:iam::${account}:root` },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    },
    null,
    2,
  );
}

/**
 * The key policy of `aws/<service>` keys. AWS gives its first two statements the same Sid; here they are told
 * apart so that the policy passes IAM's grammar (which refuses duplicate Sids) and explanations can name them.
 */
export function awsManagedKeyPolicy(account: string, region: string, service: string): string {
  const via = `${service}.${region}.amazonaws.com`;
  const sid = `Allow access through ${service === "secretsmanager" ? "AWS Secrets Manager" : service} for all principals in the account that are authorized to use it`;
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Id: `auto-${service}-2`,
      Statement: [
        {
          Sid: sid,
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
          Resource: "*",
          Condition: { StringEquals: { "kms:CallerAccount": account, "kms:ViaService": via } },
        },
        {
          Sid: `${sid} (any Region)`,
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "kms:GenerateDataKey*",
          Resource: "*",
          Condition: { StringEquals: { "kms:CallerAccount": account }, StringLike: { "kms:ViaService": `${service}.*.amazonaws.com` } },
        },
        {
          Sid: "Allow direct access to key metadata to the account",
          Effect: "Allow",
          Principal: { AWS: `arn:${partitionOf(region)}:iam::${account}:root` },
          Action: ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
          Resource: "*",
        },
      ],
    },
    null,
    2,
  );
}

/** A caller's key policy, checked with IAM's grammar as a resource-based policy. */
export function checkKeyPolicy(text: string): void {
  const result = validatePolicy(text, { kind: "resource" });
  if (!result.ok) throw malformedKeyPolicy(result.error);
}

function malformedKeyPolicy(error: MalformedPolicyDocument): AwsError {
  const awsError = new AwsError(KmsErrorCode.MalformedPolicyDocumentException, error.message);
  // The precise reason AWS's terse text leaves out, for the log and `explain`.
  Object.assign(awsError, { detail: error.detail });
  return awsError;
}
