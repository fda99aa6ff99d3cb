// Turning a GetSecretValue answer into Docker credentials, exactly as the agent's extractASMValue does
// (ECS-BEHAVIOR.md §4): the same checks in the same order, the same texts, and Go encoding/json's way of reading
// the object (keys matched case-insensitively with Go's folding, the last matching key wins, values untrimmed).
// Pure: no I/O, no state. The secret's value never appears in a result.
import type { RegistryAuth, SecretValue } from "../ports.ts";
import { ASM } from "../texts/agent.ts";

export type SecretParseCode =
  | "empty-response"
  | "empty-secrets-value"
  | "invalid-schema"
  | "empty-username"
  | "empty-password";

export interface SecretParseFailure {
  ok: false;
  code: SecretParseCode;
  /** The agent's text. */
  message: string;
  /** Why, in words that reveal nothing of the value: for the diagnosis only. */
  hint?: "binary-only" | "not-json" | "not-an-object" | "not-a-string";
}

export type SecretParseResult = { ok: true; auth: RegistryAuth } | SecretParseFailure;

const MESSAGES: Record<SecretParseCode, string> = {
  "empty-response": ASM.emptyResponse,
  "empty-secrets-value": ASM.emptySecretsValue,
  "invalid-schema": ASM.invalidSchema,
  "empty-username": ASM.emptyUsername,
  "empty-password": ASM.emptyPassword,
};

function fail(code: SecretParseCode, hint?: SecretParseFailure["hint"]): SecretParseFailure {
  return { ok: false, code, message: MESSAGES[code], ...(hint ? { hint } : {}) };
}

export function parseSecretValue(out: SecretValue | undefined): SecretParseResult {
  if (out === undefined || out === null) return fail("empty-response");
  const text = out.SecretString;
  if (text === undefined || text === null || text === "") {
    return fail("empty-secrets-value", out.SecretBinary !== undefined && out.SecretBinary.length > 0 ? "binary-only" : undefined);
  }

  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return fail("invalid-schema", "not-json");
  }
  let username: string | undefined;
  let password: string | undefined;
  // Go leaves the struct untouched for a JSON null document: both fields stay empty.
  if (document !== null) {
    if (typeof document !== "object" || Array.isArray(document)) return fail("invalid-schema", "not-an-object");
    for (const [key, value] of topLevelEntries(text)) {
      const folded = goFoldName(key);
      if (folded !== "USERNAME" && folded !== "PASSWORD") continue;
      // A JSON null resets a Go *string to nil; any non-string is an UnmarshalTypeError.
      if (value !== null && typeof value !== "string") return fail("invalid-schema", "not-a-string");
      if (folded === "USERNAME") username = value ?? undefined;
      else password = value ?? undefined;
    }
  }
  if (username === undefined || username === "") return fail("empty-username");
  if (password === undefined || password === "") return fail("empty-password");
  return { ok: true, auth: { username, password } };
}

/**
 * Go's encoding/json folding (foldName): ASCII letters upper-cased, and the two non-ASCII runes whose fold orbit
 * holds an ASCII letter (ſ U+017F → S, K U+212A → K). Other runes cannot match an ASCII field name.
 */
export function goFoldName(name: string): string {
  let out = "";
  for (const ch of name) {
    if (ch >= "a" && ch <= "z") out += ch.toUpperCase();
    else if (ch === "\u017f") out += "S";
    else if (ch === "\u212a") out += "K";
    else out += ch;
  }
  return out;
}

/**
 * The top-level members of a JSON object text in document order, duplicates included (JSON.parse keeps only the
 * last value of a duplicate key, at the first key's position, and cannot tell us the order Go sees). The text has
 * already been validated by JSON.parse.
 */
export function topLevelEntries(text: string): [string, unknown][] {
  const entries: [string, unknown][] = [];
  let i = skipWhitespace(text, 0) + 1; // past "{"
  for (;;) {
    i = skipWhitespace(text, i);
    if (text[i] === "}") return entries;
    const keyEnd = endOfString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWhitespace(text, keyEnd) + 1; // past ":"
    const valueStart = i;
    i = endOfValue(text, i);
    entries.push([key, JSON.parse(text.slice(valueStart, i))]);
    i = skipWhitespace(text, i);
    if (text[i] === ",") i++;
  }
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  return i;
}

/** i is at an opening quote; returns the index just past the closing one. */
function endOfString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j + 1;
  }
  return text.length;
}

/** Index just past the value starting at i (at depth 0: up to the next "," or "}"). */
function endOfValue(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const ch = text[j];
    if (ch === '"') {
      j = endOfString(text, j);
      continue;
    }
    if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") {
      if (depth === 0) break;
      depth--;
    } else if (ch === "," && depth === 0) break;
    j++;
  }
  return j;
}
