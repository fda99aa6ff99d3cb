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

// Parsed ARNs by text (issue 17: a GetSecretValue parsed the same ARN four times — its SecretId twice, the stored
// secret's ARN twice — each a regular expression match and four strings). A pure function of the text; bounded in
// entries and in key length (a SecretId longer than Secrets Manager's 2,048 is parsed, not kept), cleared when full.
// A kept key is a copy: a SecretId read from JSON is a slice of the request's body and would keep the body alive.
// The parts are frozen: callers share them.
const parsedArns = new Map<string, Readonly<ParsedSecretArn> | undefined>();
const PARSED_ARNS_LIMIT = 4096;
const PARSED_ARN_MAX_LENGTH = 2048;

export function parseSecretArn(value: string): Readonly<ParsedSecretArn> | undefined {
  let parsed = parsedArns.get(value);
  if (parsed !== undefined || parsedArns.has(value)) return parsed;
  const match = SECRET_ARN.exec(value);
  parsed = match === null ? undefined : Object.freeze({ region: match[2]!, account: match[3]!, resource: match[4]! });
  if (value.length <= PARSED_ARN_MAX_LENGTH) {
    if (parsedArns.size >= PARSED_ARNS_LIMIT) parsedArns.clear();
    parsedArns.set(copyOf(value), parsed);
  }
  return parsed;
}

/** A string with its own characters (V8 flattens the concatenation into a new string; the slice is of that). */
function copyOf(text: string): string {
  return ` ${text}`.slice(1);
}
