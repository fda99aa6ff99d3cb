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

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;

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
  }
  let source = "^";
  // Segment-wise ARN matching: count the colons written in the pattern; wildcards before the fifth stay in their segment.
  const colonsInPattern = tokens.reduce((n, t) => n + (t.kind === "text" ? t.text.split(":").length - 1 : 0), 0);
  const segmented = mode === "arn" ? Math.min(5, colonsInPattern) : 0;
  let colons = 0;
  for (const token of tokens) {
    if (token.kind === "text") {
      source += token.text.replace(REGEX_SPECIAL, "\\$&");
      colons += token.text.split(":").length - 1;
    } else if (token.kind === "star") source += colons < segmented ? "[^:]*" : "[\\s\\S]*";
    else if (token.kind === "one") source += colons < segmented ? "[^:]" : "[\\s\\S]";
  }
  const regex = new RegExp(`${source}$`);
  return (value) => regex.test(value);
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
