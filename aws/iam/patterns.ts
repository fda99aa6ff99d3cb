// Value patterns of a policy (Action, Resource, condition values): IAM wildcards (`*`, `?`) and policy variables
// (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}` `${?}` `${$}`), compiled once into matchers.
// Values substituted from the request are literal: a `*` in a user name never acts as a wildcard.

/** The request context by lower-cased key (IAM condition keys are case-insensitive); a Map fits. */
export interface ContextLookup {
  get(keyLower: string): string | readonly string[] | undefined;
}

/**
 * exact: byte-for-byte. exactIgnoreCase: Unicode lower-case both. glob: `*` and `?` anywhere (Resource element,
 * StringLike). arn: ArnLike/ArnEquals, segment-wise — wildcards in the first five segments stop at `:`.
 */
export type MatchMode = "exact" | "exactIgnoreCase" | "glob" | "arn";

export type StringMatcher = (value: string) => boolean;

type Token =
  | { kind: "text"; text: string }
  | { kind: "star" }
  | { kind: "one" }
  | { kind: "var"; keyLower: string; key: string; fallback?: string };

export interface ValuePattern {
  readonly raw: string;
  /** Context keys (as written) that this value's policy variables read. */
  readonly variables: readonly string[];
  /** The matcher for this request, or undefined when a variable has no single value and no default. */
  bind(lookup: ContextLookup): StringMatcher | undefined;
  /** The value with variables substituted (for explanations), or undefined as above. */
  resolve(lookup: ContextLookup): string | undefined;
}

const ALWAYS: StringMatcher = () => true;

/**
 * Compiles one policy value. `variables` is true only for Version 2012-10-17 documents: older documents read
 * `${…}` literally.
 */
export function compilePattern(raw: string, mode: MatchMode, variables: boolean): ValuePattern {
  const tokens = tokenize(raw, mode === "glob" || mode === "arn", variables);
  const vars = tokens.filter((t): t is Extract<Token, { kind: "var" }> => t.kind === "var");
  if (vars.length === 0) {
    const matcher = buildMatcher(tokens, mode);
    const text = raw;
    return { raw, variables: [], bind: () => matcher, resolve: () => text };
  }
  const resolveTokens = (lookup: ContextLookup): Token[] | undefined => {
    const out: Token[] = [];
    for (const token of tokens) {
      if (token.kind !== "var") { out.push(token); continue; }
      const value = lookup.get(token.keyLower);
      const single = typeof value === "string" ? value : value !== undefined && value.length === 1 ? value[0] : undefined;
      if (single !== undefined) out.push({ kind: "text", text: single });
      else if (token.fallback !== undefined) out.push({ kind: "text", text: token.fallback });
      else return undefined;
    }
    return out;
  };
  return {
    raw,
    variables: vars.map((v) => v.key),
    bind(lookup) {
      const resolved = resolveTokens(lookup);
      return resolved === undefined ? undefined : cachedMatcher(resolved, mode);
    },
    resolve(lookup) {
      const resolved = resolveTokens(lookup);
      return resolved === undefined ? undefined : display(resolved);
    },
  };
}

function tokenize(raw: string, wildcards: boolean, variables: boolean): Token[] {
  const tokens: Token[] = [];
  let text = "";
  const flush = (): void => {
    if (text !== "") tokens.push({ kind: "text", text });
    text = "";
  };
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (variables && ch === "$" && raw[i + 1] === "{") {
      const close = raw.indexOf("}", i + 2);
      const inner = close < 0 ? undefined : parseVariable(raw.slice(i + 2, close));
      if (inner !== undefined) {
        if (inner.kind === "text") text += inner.text;
        else { flush(); tokens.push(inner); }
        i = close;
        continue;
      }
    }
    if (wildcards && (ch === "*" || ch === "?")) {
      flush();
      tokens.push(ch === "*" ? { kind: "star" } : { kind: "one" });
    } else text += ch;
  }
  flush();
  return tokens;
}

/** `*` `?` `$` are escapes for the literal character; `key` or `key, 'default'` (with '' for a quote) read the request. */
function parseVariable(inner: string): Token | undefined {
  if (inner === "*" || inner === "?" || inner === "$") return { kind: "text", text: inner };
  const comma = inner.indexOf(",");
  const key = (comma < 0 ? inner : inner.slice(0, comma)).trim();
  if (!/^[A-Za-z0-9-]+:[^\s,]+$/.test(key)) return undefined;
  if (comma < 0) return { kind: "var", key, keyLower: key.toLowerCase() };
  const rest = inner.slice(comma + 1).trim();
  const quoted = /^'((?:[^']|'')*)'$/.exec(rest);
  if (quoted === null) return undefined;
  return { kind: "var", key, keyLower: key.toLowerCase(), fallback: (quoted[1] as string).replace(/''/g, "'") };
}

function display(tokens: readonly Token[]): string {
  return tokens.map((t) => (t.kind === "text" ? t.text : t.kind === "star" ? "*" : t.kind === "one" ? "?" : `\${${t.key}}`)).join("");
}

/**
 * IAM's `*` (any run, possibly empty) and `?` (exactly one character) against `value`, without backtracking and
 * without a RegExp built from a policy value (a backtracking engine takes exponential time on `*a*a*a…b`; issue 16).
 * The glob is cut at its stars into runs of text and `?`: the first run must match at the start, the last at the
 * end, and each run between takes its leftmost match after the previous one. Leftmost is always right, because the
 * star after a run can absorb whatever a later match would have left. At worst O(|glob|·|value|) character
 * comparisons (candidates for a run are found with indexOf). Characters are UTF-16 units, as before.
 */
export function globMatch(parts: readonly GlobPart[], value: string): boolean {
  return compileGlob(parts)(value);
}

/** A run between stars: texts and counts of `?`, and its length in characters. */
interface Run {
  items: readonly (string | number)[];
  length: number;
  /** The first text and its offset in the run, to find candidates with indexOf. */
  firstText?: { text: string; offset: number };
}

function toRun(parts: readonly (string | typeof ONE)[]): Run {
  const items: (string | number)[] = [];
  let length = 0;
  let firstText: Run["firstText"];
  for (const part of parts) {
    if (typeof part === "string") {
      firstText ??= { text: part, offset: length };
      items.push(part);
      length += part.length;
    } else {
      const last = items[items.length - 1];
      if (typeof last === "number") items[items.length - 1] = last + 1;
      else items.push(1);
      length += 1;
    }
  }
  return { items, length, ...(firstText && { firstText }) };
}

/** Whether the run matches `value` at `at` (the caller ensures it fits). */
function runAt(run: Run, value: string, at: number): boolean {
  let pos = at;
  const items = run.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string | number;
    if (typeof item === "number") {
      pos += item;
      continue;
    }
    // slice + === is faster in V8 than startsWith with a position or a charCodeAt loop.
    if (value.slice(pos, pos + item.length) !== item) return false;
    pos += item.length;
  }
  return true;
}

/** A glob matcher over `value.slice(from, to)`, without slicing. */
type RangeMatcher = (value: string, from: number, to: number) => boolean;

function compileRange(parts: readonly GlobPart[]): RangeMatcher {
  const runs: Run[] = [];
  let current: (string | typeof ONE)[] = [];
  for (const part of parts) {
    if (part === STAR) {
      runs.push(toRun(current));
      current = [];
    } else current.push(part);
  }
  runs.push(toRun(current));
  const first = runs[0] as Run;
  if (runs.length === 1) return (value, from, to) => to - from === first.length && runAt(first, value, from);
  const last = runs[runs.length - 1] as Run;
  const middle = runs.slice(1, -1).filter((run) => run.length > 0);
  const minimum = first.length + last.length + middle.reduce((n, run) => n + run.length, 0);
  return (value, from, to) => {
    if (to - from < minimum || !runAt(first, value, from)) return false;
    const end = to - last.length;
    if (!runAt(last, value, end)) return false;
    let pos = from + first.length;
    for (const run of middle) {
      const latest = end - run.length;
      let at = pos;
      for (;;) {
        if (run.firstText !== undefined) {
          // Jump to the next place the run's first text occurs.
          const found = value.indexOf(run.firstText.text, at + run.firstText.offset);
          if (found < 0) return false;
          at = found - run.firstText.offset;
        }
        if (at > latest) return false;
        if (runAt(run, value, at)) break;
        at++;
      }
      pos = at + run.length;
    }
    return true;
  };
}

/** Compiles glob parts into a matcher (see globMatch). */
export function compileGlob(parts: readonly GlobPart[]): StringMatcher {
  const match = compileRange(parts);
  return (value) => match(value, 0, value.length);
}

export const STAR = 0;
export const ONE = 1;
/** A non-empty text, or a wildcard marker. */
export type GlobPart = string | typeof STAR | typeof ONE;

/** `a*b?c` → ["a", STAR, "b", ONE, "c"]: the glob form of a policy value whose wildcards are all live. */
export function globParts(pattern: string): GlobPart[] {
  const parts: GlobPart[] = [];
  let text = "";
  for (const ch of pattern) {
    if (ch === "*" || ch === "?") {
      if (text !== "") parts.push(text);
      text = "";
      // Adjacent stars are one star (keeps the resume point single).
      if (ch === "?" || parts[parts.length - 1] !== STAR) parts.push(ch === "*" ? STAR : ONE);
    } else text += ch;
  }
  if (text !== "") parts.push(text);
  return parts;
}

/** Tokens → glob parts (texts merged, stars collapsed). */
function tokenParts(tokens: readonly Token[]): GlobPart[] {
  const parts: GlobPart[] = [];
  for (const token of tokens) {
    const last = parts[parts.length - 1];
    if (token.kind === "text") {
      if (token.text === "") continue;
      if (typeof last === "string") parts[parts.length - 1] = last + token.text;
      else parts.push(token.text);
    } else if (token.kind === "star") {
      if (last !== STAR) parts.push(STAR);
    } else if (token.kind === "one") parts.push(ONE);
  }
  return parts;
}

/**
 * ArnLike/ArnEquals: the first five `:`-separated segments match segment by segment (a wildcard there never
 * crosses a `:`), the rest as one glob. As many leading segments as the pattern writes colons (at most five) are
 * split off both sides; a value with fewer colons does not match.
 */
function arnMatcher(tokens: readonly Token[]): StringMatcher {
  const whole = tokenParts(tokens);
  const colons = whole.reduce<number>((n, part) => n + (typeof part === "string" ? countColons(part) : 0), 0);
  const segments = Math.min(5, colons);
  if (segments === 0) return compileGlob(whole);
  // Split the pattern's parts at its first `segments` colons.
  const patternSegments: GlobPart[][] = [[]];
  for (const part of whole) {
    if (typeof part !== "string") {
      (patternSegments[patternSegments.length - 1] as GlobPart[]).push(part);
      continue;
    }
    let rest = part;
    while (patternSegments.length <= segments) {
      const at = rest.indexOf(":");
      if (at < 0) break;
      if (at > 0) (patternSegments[patternSegments.length - 1] as GlobPart[]).push(rest.slice(0, at));
      patternSegments.push([]);
      rest = rest.slice(at + 1);
    }
    if (rest !== "") (patternSegments[patternSegments.length - 1] as GlobPart[]).push(rest);
  }
  const matchers = patternSegments.map(compileRange);
  return (value) => {
    let start = 0;
    for (let i = 0; i < segments; i++) {
      const at = value.indexOf(":", start);
      if (at < 0 || !(matchers[i] as RangeMatcher)(value, start, at)) return false;
      start = at + 1;
    }
    return (matchers[segments] as RangeMatcher)(value, start, value.length);
  };
}

function countColons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(":"); i >= 0; i = text.indexOf(":", i + 1)) n++;
  return n;
}

function buildMatcher(tokens: readonly Token[], mode: MatchMode): StringMatcher {
  const wild = tokens.some((t) => t.kind === "star" || t.kind === "one");
  const literal = tokens.map((t) => (t.kind === "text" ? t.text : "")).join("");
  if (mode === "exactIgnoreCase") {
    const lower = literal.toLowerCase();
    return (value) => value.toLowerCase() === lower;
  }
  if (!wild) return (value) => value === literal;
  if (mode === "glob") {
    if (tokens.length === 1 && tokens[0]?.kind === "star") return ALWAYS;
    const last = tokens[tokens.length - 1];
    if (tokens.length === 2 && tokens[0]?.kind === "text" && last?.kind === "star") return (value) => value.startsWith(literal);
    return compileGlob(tokenParts(tokens));
  }
  return arnMatcher(tokens);
}

// Matchers for values with substituted variables, reused across requests (a bounded map, oldest dropped first).
const BOUND_CACHE_LIMIT = 2048;
const boundCache = new Map<string, StringMatcher>();

function cachedMatcher(tokens: readonly Token[], mode: MatchMode): StringMatcher {
  if (!tokens.some((t) => t.kind === "star" || t.kind === "one") && mode !== "exactIgnoreCase") {
    const literal = tokens.map((t) => (t.kind === "text" ? t.text : "")).join("");
    return (value) => value === literal;
  }
  const key = `${mode}\u0000${JSON.stringify(tokens)}`;
  let matcher = boundCache.get(key);
  if (matcher === undefined) {
    matcher = buildMatcher(tokens, mode);
    if (boundCache.size >= BOUND_CACHE_LIMIT) boundCache.delete(boundCache.keys().next().value as string);
    boundCache.set(key, matcher);
  }
  return matcher;
}
