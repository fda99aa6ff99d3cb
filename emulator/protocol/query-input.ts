// Reads members of a Query request the way IAM and STS validate them: missing, too long or out of range →
// ValidationError in AWS's "1 validation error detected" form (lower-camel member names, like the JSON services).
import { AwsError } from "./aws-error.ts";
import { QueryText, ValidationConstraint, validationErrorText } from "../../aws/texts.ts";
import { memberPath } from "./input.ts";
import type { QueryInput, QueryValue } from "./query-wire.ts";

export const VALIDATION_ERROR = "ValidationError";

export interface QueryStringRules {
  min?: number;
  max?: number;
  /** Printed in the error as AWS prints it, e.g. `[\w+=,.@-]+`. */
  pattern?: { regex: RegExp; text: string };
}

function validation(path: string, constraint: string, value: string | null | undefined): AwsError {
  return new AwsError(VALIDATION_ERROR, validationErrorText(path, constraint, value));
}

export function optionalQueryString(input: QueryInput, member: string, rules: QueryStringRules = {}): string | undefined {
  const value = input[member];
  if (value === undefined) return undefined;
  const path = memberPath(member);
  if (typeof value !== "string") throw validation(path, ValidationConstraint.notNull, null);
  if (rules.max !== undefined && value.length > rules.max) throw validation(path, ValidationConstraint.maxLength(rules.max), value);
  if (rules.min !== undefined && value.length < rules.min) throw validation(path, ValidationConstraint.minLength(rules.min), value);
  if (rules.pattern !== undefined && !rules.pattern.regex.test(value)) throw validation(path, ValidationConstraint.pattern(rules.pattern.text), value);
  return value;
}

export function requiredQueryString(input: QueryInput, member: string, rules: QueryStringRules = {}): string {
  const value = optionalQueryString(input, member, rules);
  if (value === undefined) throw validation(memberPath(member), ValidationConstraint.notNull, null);
  return value;
}

export function optionalQueryInteger(input: QueryInput, member: string, range: { min?: number; max?: number } = {}): number | undefined {
  const value = input[member];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^-?\d{1,15}$/.test(value.trim())) {
    throw new AwsError(VALIDATION_ERROR, QueryText.notANumber(member, typeof value === "string" ? value : ""));
  }
  const n = Number(value.trim());
  const path = memberPath(member);
  if (range.max !== undefined && n > range.max) throw validation(path, ValidationConstraint.maxValue(range.max), String(n));
  if (range.min !== undefined && n < range.min) throw validation(path, ValidationConstraint.minValue(range.min), String(n));
  return n;
}

export function optionalQueryBoolean(input: QueryInput, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined) return undefined;
  return value === "true";
}

/** A `member` list; an empty one (`Member.member` absent) is []. */
export function queryList(input: QueryInput, member: string, max?: number): QueryValue[] {
  const value = input[member];
  if (value === undefined || value === "") return [];
  const list = Array.isArray(value) ? value : [value];
  if (max !== undefined && list.length > max) throw validation(memberPath(member), ValidationConstraint.maxLength(max), undefined);
  return list;
}

export function queryStringList(input: QueryInput, member: string, rules: QueryStringRules & { maxItems?: number } = {}): string[] {
  return queryList(input, member, rules.maxItems).map((item, i) => {
    const path = `${memberPath(member)}.${i + 1}.member`;
    if (typeof item !== "string") throw validation(path, ValidationConstraint.notNull, null);
    if (rules.max !== undefined && item.length > rules.max) throw validation(path, ValidationConstraint.maxLength(rules.max), item);
    if (rules.min !== undefined && item.length < rules.min) throw validation(path, ValidationConstraint.minLength(rules.min), item);
    return item;
  });
}

/** A list of structures (Tags, ContextEntries); a scalar where a structure belongs is a validation error. */
export function queryObjectList(input: QueryInput, member: string, max?: number): QueryInput[] {
  return queryList(input, member, max).map((item, i) => {
    if (typeof item !== "object" || Array.isArray(item)) throw validation(`${memberPath(member)}.${i + 1}.member`, ValidationConstraint.notNull, null);
    return item;
  });
}
