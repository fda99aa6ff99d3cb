// Reads members of a JSON request the way AWS's request validation does: wrong JSON type → SerializationException,
// missing or out-of-range → ValidationException in AWS's "1 validation error detected" form. JSON null counts as
// absent. Sensitive members (secret values) never appear in an error text.
import { AwsError, AwsErrorCode } from "./aws-error.ts";
import { ValidationConstraint, validationErrorText, wrongTypeText } from "../../aws/texts.ts";

export type Input = Record<string, unknown>;

export interface StringRules {
  min?: number;
  max?: number;
  /** Never quote the value in an error. */
  sensitive?: boolean;
}

/** AWS names members in validation errors in lower camel case: SecretId → secretId. */
export function memberPath(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

function validation(path: string, constraint: string, value: string | null | undefined): AwsError {
  return new AwsError(AwsErrorCode.ValidationException, validationErrorText(path, constraint, value));
}

function checkLength(value: string, path: string, rules: StringRules): void {
  const shown = rules.sensitive ? undefined : value;
  if (rules.max !== undefined && value.length > rules.max) throw validation(path, ValidationConstraint.maxLength(rules.max), shown);
  if (rules.min !== undefined && value.length < rules.min) throw validation(path, ValidationConstraint.minLength(rules.min), shown);
}

export function optionalString(input: Input, member: string, rules: StringRules = {}, path = memberPath(member)): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText(member, "a string"));
  checkLength(value, path, rules);
  return value;
}

export function requiredString(input: Input, member: string, rules: StringRules = {}, path = memberPath(member)): string {
  const value = optionalString(input, member, rules, path);
  if (value === undefined) throw validation(path, ValidationConstraint.notNull, null);
  return value;
}

export function optionalInteger(input: Input, member: string, range: { min?: number; max?: number } = {}): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText(member, "an integer"));
  }
  const path = memberPath(member);
  if (range.max !== undefined && value > range.max) throw validation(path, ValidationConstraint.maxValue(range.max), String(value));
  if (range.min !== undefined && value < range.min) throw validation(path, ValidationConstraint.minValue(range.min), String(value));
  return value;
}

/** A number member (integer or not), e.g. milliseconds computed from a duration. */
export function optionalNumber(input: Input, member: string, range: { min?: number; max?: number } = {}, path = memberPath(member)): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText(member, "a number"));
  if (range.max !== undefined && value > range.max) throw validation(path, ValidationConstraint.maxValue(range.max), String(value));
  if (range.min !== undefined && value < range.min) throw validation(path, ValidationConstraint.minValue(range.min), String(value));
  return value;
}

/** A string member that must be one of `values` (ValidationException naming the set otherwise). */
export function optionalEnum<T extends string>(input: Input, member: string, values: readonly T[], path = memberPath(member)): T | undefined {
  const value = optionalString(input, member, {}, path);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw validation(path, ValidationConstraint.enumValue(values), value);
  return value as T;
}

export function optionalBoolean(input: Input, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText(member, "a boolean"));
  return value;
}

export function optionalList(input: Input, member: string, items: { min?: number; max?: number } = {}): unknown[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText(member, "a list"));
  const path = memberPath(member);
  if (items.max !== undefined && value.length > items.max) throw validation(path, ValidationConstraint.maxLength(items.max), undefined);
  if (items.min !== undefined && value.length < items.min) throw validation(path, ValidationConstraint.minLength(items.min), undefined);
  return value;
}

/** A list of strings, each checked against `rules`; errors name `<member>.<n>.member` like AWS. */
export function optionalStringList(
  input: Input,
  member: string,
  items: { min?: number; max?: number } = {},
  rules: StringRules = {},
): string[] | undefined {
  const list = optionalList(input, member, items);
  if (list === undefined) return undefined;
  return list.map((item, i) => {
    if (typeof item !== "string") throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText(`${member}[${i}]`, "a string"));
    checkLength(item, `${memberPath(member)}.${i + 1}.member`, rules);
    return item;
  });
}

/** A structure member (a JSON object), returned as an Input to read further. */
export function optionalObject(input: Input, member: string): Input | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText(member, "an object"));
  return value as Input;
}

export function requiredObject(input: Input, member: string, path = memberPath(member)): Input {
  const value = optionalObject(input, member);
  if (value === undefined) throw validation(path, ValidationConstraint.notNull, null);
  return value;
}

/** A list of JSON objects (Tags, Filters); each element is returned as an Input to read further. */
export function optionalObjectList(input: Input, member: string, items: { min?: number; max?: number } = {}): Input[] | undefined {
  const list = optionalList(input, member, items);
  if (list === undefined) return undefined;
  return list.map((item, i) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText(`${member}[${i}]`, "an object"));
    }
    return item as Input;
  });
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A blob member's wire text, which must be base64 (SerializationException otherwise, as the SDKs' services answer). */
export function requireBase64(member: string, text: string): void {
  if (!BASE64.test(text)) throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText(member, "base64-encoded bytes"));
}
