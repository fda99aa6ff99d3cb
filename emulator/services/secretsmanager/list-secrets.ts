// ListSecrets: metadata of the secrets in this account and region, filtered (AND across filters, OR across the
// values of one filter, `!` negates; matching as AWS documents it, see matchesValue), in creation order, paged with
// MaxResults and an opaque NextToken. BatchGetSecretValue reuses the filters.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { SecretsManagerText, ValidationConstraint, validationErrorText } from "../../../aws/texts.ts";
import { FilterText } from "./texts.ts";
import {
  type Input,
  optionalBoolean,
  optionalInteger,
  optionalObjectList,
  optionalString,
  optionalStringList,
} from "../../protocol/input.ts";
import type { SecretRecord } from "../../state/secrets.ts";
import { stateOf, unlessPurged } from "./secret-id.ts";
import { type SecretMetadata, secretMetadata } from "./shapes.ts";

const FILTER_KEYS = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
const SORT_ORDERS = ["asc", "desc"] as const;
const DEFAULT_MAX_RESULTS = 100;

export interface Filter {
  key: FilterKey;
  values: string[];
}

export interface ListSecretsOutput {
  SecretList: SecretMetadata[];
  NextToken?: string;
}

export function ListSecrets(ctx: RequestContext, input: Input): ListSecretsOutput {
  const maxResults = optionalInteger(input, "MaxResults", { min: 1, max: 100 }) ?? DEFAULT_MAX_RESULTS;
  const nextToken = optionalString(input, "NextToken", { min: 1, max: 4096 });
  const includePlannedDeletion = optionalBoolean(input, "IncludePlannedDeletion") ?? false;
  const sortOrder = readEnum(input, "SortOrder", SORT_ORDERS) ?? "asc";
  const filters = readFilters(input);
  const after = nextToken === undefined ? undefined : decodeToken(nextToken);

  const state = stateOf(ctx);
  const secrets = state.all();
  if (sortOrder === "desc") secrets.reverse();
  const page: SecretMetadata[] = [];
  let last: SecretRecord | undefined;
  let more = false;
  for (const candidate of secrets) {
    if (after !== undefined && (sortOrder === "asc" ? candidate.seq <= after : candidate.seq >= after)) continue;
    const record = unlessPurged(state, candidate, ctx.now);
    if (record === undefined) continue;
    if (record.deletedDate !== undefined && !includePlannedDeletion) continue;
    if (!matchesFilters(record, filters)) continue;
    if (page.length === maxResults) {
      more = true;
      break;
    }
    page.push(secretMetadata(record, "SecretVersionsToStages"));
    last = record;
  }
  return more && last !== undefined ? { SecretList: page, NextToken: encodeToken(last.seq) } : { SecretList: page };
}

function readEnum<T extends string>(input: Input, member: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(input, member);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    const path = member.charAt(0).toLowerCase() + member.slice(1);
    throw new AwsError(AwsErrorCode.ValidationException, validationErrorText(path, ValidationConstraint.enumValue(allowed), value));
  }
  return value as T;
}

/** Filter values may hold letters, digits, space and `:_@/+=.-!` only (botocore's FilterValueStringType). */
const FILTER_VALUE = /^!?[a-zA-Z0-9 :_@/+=.\-!]*$/;
const FILTER_VALUE_PATTERN_TEXT = "^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$";

/** Filters (at most 10, each with 1–10 values), with AWS's errors for a missing key or values. */
export function readFilters(input: Input): Filter[] {
  const list = optionalObjectList(input, "Filters", { max: 10 }) ?? [];
  return list.map((item, i) => {
    const path = `filters.${i + 1}.member`;
    const key = optionalString(item, "Key", {}, `${path}.key`);
    if (key === undefined) throw new AwsError(AwsErrorCode.InvalidParameterException, FilterText.keyRequired);
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      throw new AwsError(AwsErrorCode.ValidationException, validationErrorText(`${path}.key`, ValidationConstraint.enumValue(FILTER_KEYS), key));
    }
    const values = optionalStringList(item, "Values", { min: 1, max: 10 }, { max: 512 });
    if (values === undefined) throw new AwsError(AwsErrorCode.InvalidParameterException, FilterText.valuesRequired(key));
    values.forEach((value, j) => {
      if (!FILTER_VALUE.test(value)) {
        throw new AwsError(AwsErrorCode.ValidationException, validationErrorText(`${path}.values.${j + 1}.member`, ValidationConstraint.pattern(FILTER_VALUE_PATTERN_TEXT), value));
      }
    });
    return { key: key as FilterKey, values };
  });
}

/** Every filter matches (AND); within one, any value (OR). */
export function matchesFilters(record: SecretRecord, filters: readonly Filter[]): boolean {
  return filters.every((f) => matchesFilter(record, f));
}

/**
 * One filter matches when any of its values matches. A `!value` matches when some attribute does not match the
 * value (moto's reading of AWS, filters.py _matcher, tested against AWS).
 */
function matchesFilter(record: SecretRecord, filter: Filter): boolean {
  const attributes = attributesOf(record, filter.key);
  return filter.values.some((raw) => {
    if (raw.startsWith("!")) return attributes.some((a) => !matchesValue(filter.key, raw.slice(1), a));
    return attributes.some((a) => matchesValue(filter.key, raw, a));
  });
}

function attributesOf(record: SecretRecord, key: FilterKey): string[] {
  const tags = record.tags ?? [];
  switch (key) {
    case "name":
      return [record.name];
    case "description":
      return record.description ? [record.description] : [];
    case "tag-key":
      return tags.map((t) => t.Key);
    case "tag-value":
      return tags.map((t) => t.Value);
    case "primary-region": {
      // A replica names its primary's region; a primary with replicas its own; a secret never replicated none.
      const primary = record.primaryRegion ?? ((record.replicas?.length ?? 0) > 0 ? record.arn.split(":")[3]! : undefined);
      return primary === undefined ? [] : [primary];
    }
    case "owning-service":
      return []; // no service-owned secrets in the emulator
    case "all":
      return [record.name, ...(record.description ? [record.description] : []), ...tags.flatMap((t) => [t.Key, t.Value])];
  }
}

/**
 * name, tag-key, tag-value, primary-region: prefix, case-sensitive (Filter API reference). description and all:
 * every word of the value starts a word of the attribute, not case-sensitive (user guide "Find secrets": words
 * split at punctuation, at lower-to-upper case changes and between letters and digits; moto found description
 * behaves like all against AWS).
 */
function matchesValue(key: FilterKey, value: string, attribute: string): boolean {
  if (key !== "description" && key !== "all") return attribute.startsWith(value);
  const wanted = wordsOf(value).map((w) => w.toLowerCase());
  if (wanted.length === 0) return false;
  const have = wordsOf(attribute).map((w) => w.toLowerCase());
  return wanted.every((w) => have.some((h) => h.startsWith(w)));
}

type CharKind = "lower" | "upper" | "digit" | "other";

function kindOf(c: string): CharKind {
  if (c >= "a" && c <= "z") return "lower";
  if (c >= "A" && c <= "Z") return "upper";
  if (c >= "0" && c <= "9") return "digit";
  return "other";
}

/** `credsDatabase#892` → creds, Database, 892; `my/DBSecret` → my, DB, Secret. One pass, no regular expression. */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let previous: CharKind = "other";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const kind = kindOf(c);
    const next = i + 1 < text.length ? kindOf(text[i + 1]!) : "other";
    const boundary =
      kind === "other" ||
      (word !== "" && ((previous === "digit") !== (kind === "digit") || (previous === "lower" && kind === "upper") || (previous === "upper" && kind === "upper" && next === "lower")));
    if (boundary && word !== "") {
      words.push(word);
      word = "";
    }
    if (kind !== "other") word += c;
    previous = kind;
  }
  if (word !== "") words.push(word);
  return words;
}

// The token is the creation number of the last secret on the page, so pages stay stable while secrets are added.
function encodeToken(seq: number): string {
  return Buffer.from(`ecs-pull:${seq}`, "utf8").toString("base64url");
}

function decodeToken(token: string): number {
  const match = /^ecs-pull:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (match === null) throw new AwsError(AwsErrorCode.InvalidNextTokenException, SecretsManagerText.invalidNextToken);
  return Number(match[1]);
}
