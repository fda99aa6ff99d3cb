// ListSecrets: metadata of the secrets in this account and region, filtered (AND across filters, OR across the
// values of one filter, `!` negates), in creation order, paged with MaxResults and an opaque NextToken.
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { SecretsManagerText, ValidationConstraint, validationErrorText } from "../../protocol/aws-texts.ts";
import {
  type Input,
  optionalBoolean,
  optionalInteger,
  optionalObjectList,
  optionalString,
  optionalStringList,
  requiredString,
} from "../../protocol/input.ts";
import type { SecretRecord } from "../../state/secrets.ts";
import { stateOf, unlessPurged } from "./secret-id.ts";
import { type SecretMetadata, secretMetadata } from "./shapes.ts";

const FILTER_KEYS = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
const SORT_ORDERS = ["asc", "desc"] as const;
const DEFAULT_MAX_RESULTS = 100;

interface Filter {
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
    if (!filters.every((f) => matchesFilter(record, f))) continue;
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

function readFilters(input: Input): Filter[] {
  const list = optionalObjectList(input, "Filters", { max: 10 }) ?? [];
  return list.map((item, i) => {
    const path = `filters.${i + 1}.member`;
    const key = requiredString(item, "Key", {}, `${path}.key`);
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      throw new AwsError(AwsErrorCode.ValidationException, validationErrorText(`${path}.key`, ValidationConstraint.enumValue(FILTER_KEYS), key));
    }
    const values = optionalStringList(item, "Values", { min: 1, max: 10 }, { max: 512 });
    if (values === undefined) {
      throw new AwsError(AwsErrorCode.ValidationException, validationErrorText(`${path}.values`, ValidationConstraint.notNull, null));
    }
    return { key: key as FilterKey, values };
  });
}

/** One filter matches when any of its values matches (a `!value` matches when the prefix does not). */
function matchesFilter(record: SecretRecord, filter: Filter): boolean {
  return filter.values.some((raw) => {
    const negated = raw.startsWith("!");
    const value = negated ? raw.slice(1) : raw;
    return matchesValue(record, filter.key, value) !== negated;
  });
}

function matchesValue(record: SecretRecord, key: FilterKey, value: string): boolean {
  const tags = record.tags ?? [];
  switch (key) {
    case "name":
      return record.name.startsWith(value);
    case "description":
      return (record.description ?? "").toLowerCase().startsWith(value.toLowerCase());
    case "tag-key":
      return tags.some((t) => t.Key.startsWith(value));
    case "tag-value":
      return tags.some((t) => t.Value.startsWith(value));
    case "primary-region": {
      // A replica names its primary's region; a primary with replicas its own; a secret never replicated none.
      const primary = record.primaryRegion ?? ((record.replicas?.length ?? 0) > 0 ? record.arn.split(":")[3]! : undefined);
      return primary !== undefined && primary.startsWith(value);
    }
    case "owning-service":
      return false; // no service-owned secrets in the emulator
    case "all":
      return matchesAll(record, value);
  }
}

/** `all`: every word of the value prefixes some word of the name, description, tag keys or tag values. */
function matchesAll(record: SecretRecord, value: string): boolean {
  const words = value.toLowerCase().split(/\s+/).filter((w) => w !== "");
  const haystack = [record.name, record.description ?? "", ...(record.tags ?? []).flatMap((t) => [t.Key, t.Value])]
    .flatMap((text) => {
      const lower = text.toLowerCase();
      return [lower, ...lower.split(/[^a-z0-9]+/)];
    })
    .filter((w) => w !== "");
  return words.every((word) => haystack.some((w) => w.startsWith(word)));
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
