// Compiles a validated policy once into matchers (actions case-insensitive, ARNs case-sensitive, wildcards,
// policy variables only for Version 2012-10-17), and keeps compiled policies in a bounded cache keyed by the
// document text so that enforcement on every request costs a map lookup, not a parse.
import { parsePolicy, type ParseOptions, type PolicyDocument, type PolicyKind, type PolicyStatement } from "./policy-grammar.ts";
import { compilePattern, type StringMatcher, type ValuePattern } from "./patterns.ts";
import { compileCondition, type CompiledCondition } from "./conditions.ts";
import { compilePrincipals, type CompiledPrincipals } from "./principals.ts";
import { statementPositions, type StatementPosition } from "./statement-positions.ts";

const NO_CONTEXT = new Map<string, string>();

export interface CompiledStatement {
  readonly source: PolicyStatement;
  readonly index: number;
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  /** NotAction / NotResource / NotPrincipal invert the match. */
  readonly actionNegated: boolean;
  /** Patterns lower-cased: compare with the lower-cased action. */
  readonly actions: readonly StringMatcher[];
  readonly resourceNegated: boolean;
  /** Undefined when the statement names no resource (trust policies; resource policies meaning "this resource"). */
  readonly resources?: readonly ValuePattern[];
  readonly principalNegated: boolean;
  readonly principals?: CompiledPrincipals;
  readonly conditions: readonly CompiledCondition[];
  readonly positions?: StatementPosition;
}

export interface CompiledPolicy {
  readonly kind: PolicyKind;
  readonly document: PolicyDocument;
  readonly statements: readonly CompiledStatement[];
}

export function compileDocument(document: PolicyDocument, kind: PolicyKind, positions: readonly StatementPosition[] = []): CompiledPolicy {
  const variables = document.version === "2012-10-17";
  const statements = document.statements.map((s): CompiledStatement => {
    const actionList = s.action ?? s.notAction ?? [];
    const resourceList = s.resource ?? s.notResource;
    const principalBlock = s.principal ?? s.notPrincipal;
    const position = positions[s.index];
    return {
      source: s,
      index: s.index,
      ...(s.sid === undefined ? {} : { sid: s.sid }),
      effect: s.effect,
      actionNegated: s.notAction !== undefined,
      actions: actionList.map((a) => compilePattern(a.toLowerCase(), "glob", false).bind(NO_CONTEXT) as StringMatcher),
      resourceNegated: s.notResource !== undefined,
      ...(resourceList === undefined ? {} : { resources: resourceList.map((r) => compilePattern(r, "glob", variables)) }),
      principalNegated: s.notPrincipal !== undefined,
      ...(principalBlock === undefined ? {} : { principals: compilePrincipals(principalBlock) }),
      conditions: s.condition.map((c) => compileCondition(c, variables)),
      ...(position === undefined ? {} : { positions: position }),
    };
  });
  return { kind, document, statements };
}

// One bounded cache per parse variant; the document text is the key (V8 keeps a string's hash, so a repeated
// lookup with the same stored text is cheap). When full, the oldest entry goes first.
const CACHE_LIMIT = 1000;
const caches = new Map<PolicyKind, Map<boolean, Map<string, CompiledPolicy>>>();

/** Parses (throws MalformedPolicyDocument), compiles and caches a policy document. */
export function compilePolicy(text: string, options: ParseOptions): CompiledPolicy {
  // By kind, then by version rule: no variant key string built per call (issue 17: enforcement compiles — finds —
  // every policy of the caller on each request).
  let byRule = caches.get(options.kind);
  if (byRule === undefined) caches.set(options.kind, (byRule = new Map()));
  const current = options.requireCurrentVersion === true;
  let cache = byRule.get(current);
  if (cache === undefined) {
    cache = new Map();
    byRule.set(current, cache);
  }
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const compiled = compileDocument(parsePolicy(text, options), options.kind, statementPositions(text));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, compiled);
  return compiled;
}

/** Forget every compiled policy (tests, or a store reset). */
export function clearPolicyCache(): void {
  caches.clear();
}
