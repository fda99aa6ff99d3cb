// Secret ARNs like AWS makes them: `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 random>`.
import { randomInt } from "node:crypto";

const SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const SECRET_ARN = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]*):(\d{12}):secret:(.+)$/;

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function randomArnSuffix(): string {
  let suffix = "";
  for (let i = 0; i < 6; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return suffix;
}

export function secretArn(region: string, account: string, name: string, suffix = randomArnSuffix()): string {
  return `arn:${partitionOf(region)}:secretsmanager:${region}:${account}:secret:${name}-${suffix}`;
}

export interface ParsedSecretArn {
  region: string;
  account: string;
  /** Everything after `secret:`: the name plus `-XXXXXX` for a full ARN, the bare name for a partial one. */
  resource: string;
}

export function parseSecretArn(value: string): ParsedSecretArn | undefined {
  const match = SECRET_ARN.exec(value);
  if (match === null) return undefined;
  return { region: match[2]!, account: match[3]!, resource: match[4]! };
}
