// IAM's list paging: MaxItems (1–1000, default 100) and an opaque Marker (here the position of the next item).
import { optionalQueryInteger, optionalQueryString } from "../../protocol/query-input.ts";
import type { QueryInput } from "../../protocol/query-wire.ts";
import { MaxItemsRange } from "./rules.ts";

export function page<T>(items: readonly T[], input: QueryInput): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = optionalQueryInteger(input, "MaxItems", MaxItemsRange) ?? 100;
  const marker = optionalQueryString(input, "Marker", { min: 1, max: 320 });
  const start = marker !== undefined && /^\d+$/.test(marker) ? Number(marker) : 0;
  const slice = items.slice(start, start + max);
  const next = start + slice.length;
  return next < items.length ? { items: slice, IsTruncated: true, Marker: String(next) } : { items: slice, IsTruncated: false };
}
