// GetRandomPassword: a password drawn with crypto.randomInt from the character types left after the exclusions.
// Defaults and limits from the API reference and botocore's model: PasswordLength 1–4096 (default 32),
// ExcludeCharacters 0–4096 characters, punctuation is ASCII's 32 marks, RequireEachIncludedType default true.
import { randomInt } from "node:crypto";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { type Input, optionalBoolean, optionalInteger, optionalString } from "../../protocol/input.ts";
import { RandomPasswordText } from "./texts.ts";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
/** `! " # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \ ] ^ _ ` { | } ~` (GetRandomPassword API reference). */
const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

export interface PasswordOptions {
  length?: number;
  excludeCharacters?: string;
  excludeNumbers?: boolean;
  excludePunctuation?: boolean;
  excludeUppercase?: boolean;
  excludeLowercase?: boolean;
  includeSpace?: boolean;
  requireEachIncludedType?: boolean;
}

/** A random password; throws AWS's InvalidParameterException when the options leave nothing or too little room. */
export function randomPassword(options: PasswordOptions = {}): string {
  const length = options.length ?? 32;
  const excluded = new Set(options.excludeCharacters ?? "");
  const keep = (chars: string) => [...chars].filter((c) => !excluded.has(c)).join("");
  const types = [
    options.excludeLowercase ? "" : keep(LOWER),
    options.excludeUppercase ? "" : keep(UPPER),
    options.excludeNumbers ? "" : keep(DIGITS),
    options.excludePunctuation ? "" : keep(PUNCTUATION),
    options.includeSpace ? keep(" ") : "",
  ].filter((t) => t !== "");
  if (types.length === 0) throw new AwsError(AwsErrorCode.InvalidParameterException, RandomPasswordText.nothingToChooseFrom);
  const requireEach = options.requireEachIncludedType ?? true;
  if (requireEach && length < types.length) throw new AwsError(AwsErrorCode.InvalidParameterException, RandomPasswordText.tooShort);
  const all = types.join("");
  const chars: string[] = [];
  // One of each required type first, then any; then a Fisher–Yates shuffle so the required ones sit anywhere.
  if (requireEach) for (const t of types) chars.push(t[randomInt(t.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}

export function GetRandomPassword(_ctx: unknown, input: Input): { RandomPassword: string } {
  const options: PasswordOptions = {};
  const length = optionalInteger(input, "PasswordLength", { min: 1, max: 4096 });
  if (length !== undefined) options.length = length;
  const exclude = optionalString(input, "ExcludeCharacters", { max: 4096 });
  if (exclude !== undefined) options.excludeCharacters = exclude;
  const flags = ["ExcludeNumbers", "ExcludePunctuation", "ExcludeUppercase", "ExcludeLowercase", "IncludeSpace", "RequireEachIncludedType"] as const;
  const keys = ["excludeNumbers", "excludePunctuation", "excludeUppercase", "excludeLowercase", "includeSpace", "requireEachIncludedType"] as const;
  flags.forEach((flag, i) => {
    const value = optionalBoolean(input, flag);
    if (value !== undefined) options[keys[i]!] = value;
  });
  return { RandomPassword: randomPassword(options) };
}
