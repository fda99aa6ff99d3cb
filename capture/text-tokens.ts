// ECS texts as token sequences where everything that differs run to run or account to account (ARNs, request and
// task ids, hosts, image references, secret names with a path, account ids, regions) becomes a class token, so that
// a stoppedReason from someone's AWS account and the catalogue's template compare word for word. Pure.
//
// Written by hand (no library does this for ECS texts): the text is split on whitespace and each word is classified
// by anchored, linear checks — no regular expression ever runs over the whole user text, so there is nothing to
// backtrack on.

/** Longest text diagnose reads; a stoppedReason is at most 1024 bytes in ECS (agent: task.go, stoppedReason cut). */
export const MAX_TEXT_CHARS = 64 * 1024;
/** Words compared per text (the rest is ignored): keeps the comparison O(n·m) small. */
export const MAX_TOKENS = 400;

export const CLASS_TOKENS = ["«arn»", "«url»", "«id»", "«account»", "«ref»", "«host»", "«region»", "«number»"] as const;

const EDGE_PUNCTUATION = new Set(['"', "'", ",", ":", ";", "(", ")", "[", "]", "{", "}", ".", "`", "“", "”", "‘", "’"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_ID = /^[0-9a-f]{20,64}$/i;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const LABEL = /^[a-z0-9-]{1,63}$/i;
const PORT = /^\d{1,5}$/;

function trimEdges(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && EDGE_PUNCTUATION.has(word[start]!)) start++;
  while (end > start && EDGE_PUNCTUATION.has(word[end - 1]!)) end--;
  return word.slice(start, end);
}

/** `registry.example.com`, `10.0.3.17:443`, `127.0.0.1:5000`: a DNS name with a dot or an address with a port. */
function isHost(word: string): boolean {
  const colon = word.lastIndexOf(":");
  const host = colon < 0 ? word : word.slice(0, colon);
  const port = colon < 0 ? undefined : word.slice(colon + 1);
  if (port !== undefined && !PORT.test(port)) return false;
  if (host === "localhost") return port !== undefined;
  const labels = host.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
  const numeric = labels.every((l) => /^\d+$/.test(l));
  // 1.84.0 is a version, not a host; 10.0.3.17 is an address.
  if (numeric) return labels.length === 4 || port !== undefined;
  return /[a-z]/i.test(labels[labels.length - 1]!);
}

/** One word → its class token, or itself (lower-cased). */
export function classify(word: string): string {
  const w = trimEdges(word);
  if (!w) return "";
  const lower = w.toLowerCase();
  if (lower.startsWith("arn:")) return "«arn»";
  if (lower.startsWith("http://") || lower.startsWith("https://")) return "«url»";
  if (UUID.test(w) || (HEX_ID.test(w) && /\d/.test(w) && /[a-f]/i.test(w))) return "«id»";
  if (ACCOUNT.test(w)) return "«account»";
  if (REGION.test(lower)) return "«region»";
  if (w.includes("/")) return "«ref»";
  if (isHost(w)) return "«host»";
  if (/^\d+$/.test(w) && w.length > 3) return "«number»";
  return lower;
}

/** The text's words, classified; at most MAX_TOKENS of them. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of text.slice(0, MAX_TEXT_CHARS).split(/\s+/)) {
    const token = classify(word);
    if (token) out.push(token);
    if (out.length >= MAX_TOKENS) break;
  }
  return out;
}

/** Token weights: rare words (KMS, identity-based, manifest) count more than the wrappers every text shares. */
export class TokenWeights {
  private readonly idf = new Map<string, number>();
  private readonly unknown: number;

  constructor(documents: readonly (readonly string[])[]) {
    const df = new Map<string, number>();
    for (const doc of documents) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
    const n = Math.max(documents.length, 1);
    for (const [t, d] of df) this.idf.set(t, Math.log(1 + n / d));
    this.unknown = Math.log(1 + n);
  }

  of(token: string): number {
    return this.idf.get(token) ?? this.unknown;
  }

  total(tokens: readonly string[]): number {
    let sum = 0;
    for (const t of tokens) sum += this.of(t);
    return sum;
  }
}

/**
 * How alike the user's text `a` is to a catalogue text `b`, 0..1, from the weight of their longest common
 * subsequence (weighted LCS): the mean of its Dice coefficient and the share of `a` it covers. 1 only when equal.
 */
export function similarity(a: readonly string[], b: readonly string[], weights: TokenWeights): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Float64Array(b.length + 1);
  let row = new Float64Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1]!;
    const w = weights.of(ai);
    for (let j = 1; j <= b.length; j++) {
      row[j] = ai === b[j - 1] ? prev[j - 1]! + w : Math.max(prev[j]!, row[j - 1]!);
    }
    [prev, row] = [row, prev];
  }
  const common = prev[b.length]!;
  // Half Dice (both texts alike), half coverage of `a` (the user's text, often cut short: a console truncates it).
  const dice = (2 * common) / (weights.total(a) + weights.total(b));
  return (dice + common / weights.total(a)) / 2;
}
