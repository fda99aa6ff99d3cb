// KMS ARNs: `arn:<partition>:kms:<region>:<account>:key/<uuid>` and `...:alias/<name>`.
export { partitionOf } from "../secretsmanager/arn.ts";
import { partitionOf } from "../secretsmanager/arn.ts";

export function keyArn(region: string, account: string, keyId: string): string {
  return `arn:${partitionOf(region)}:kms:${region}:${account}:key/${keyId}`;
}

/** `aliasName` includes its `alias/` prefix. */
export function aliasArn(region: string, account: string, aliasName: string): string {
  return `arn:${partitionOf(region)}:kms:${region}:${account}:${aliasName}`;
}

const KMS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/;

export interface ParsedKmsArn {
  region: string;
  account: string;
  /** `key/<id>` or `alias/<name>`. */
  resource: string;
}

export function parseKmsArn(value: string): ParsedKmsArn | undefined {
  const m = KMS_ARN.exec(value);
  return m === null ? undefined : { region: m[1]!, account: m[2]!, resource: m[3]! };
}
