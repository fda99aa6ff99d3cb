// The Condition element: every operator family IAM documents, with IfExists and the ForAllValues:/ForAnyValue:
// set qualifiers. Keys are case-insensitive; several values of one key are ORed (NORed for negated operators);
// a key missing from the request makes the condition false, except for negated operators, IfExists,
// ForAllValues (true) and Null — as the IAM User Guide's condition-operator reference says.
import { splitConditionOperator, type ConditionEntry } from "./policy-grammar.ts";
import { compilePattern, type ContextLookup, type MatchMode, type StringMatcher, type ValuePattern } from "./patterns.ts";

export interface CompiledCondition {
  readonly operator: string;
  readonly key: string;
  readonly keyLower: string;
  readonly set?: "ForAllValues" | "ForAnyValue";
  /** The operator without qualifier and IfExists, e.g. StringNotLike. */
  readonly base: string;
  readonly ifExists: boolean;
  readonly negated: boolean;
  readonly values: readonly string[];
  /** Context keys this condition reads (its key and its values' policy variables), as written. */
  readonly reads: readonly string[];
  /** Evaluates against the request. `missing` collects keys the request did not carry. */
  test(lookup: ContextLookup, missing: Set<string>): boolean;
}

// Negated operator → the positive comparison it negates.
const NEGATED: Record<string, string> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
  NumericNotEquals: "NumericEquals",
  DateNotEquals: "DateEquals",
  NotIpAddress: "IpAddress",
};

type Comparator = (requestValue: string) => boolean;

export function compileCondition(entry: ConditionEntry, variables: boolean): CompiledCondition {
  const parts = splitConditionOperator(entry.operator);
  if (parts === undefined) throw new Error(`unknown condition operator ${entry.operator}`); // grammar refused it already
  const negated = parts.base in NEGATED;
  const positive = NEGATED[parts.base] ?? parts.base;
  const keyLower = entry.key.toLowerCase();
  const binder = compileValues(positive, entry.values, variables);
  const reads = [entry.key, ...binder.variables];

  if (parts.base === "Null") {
    const wantAbsent = entry.values.map((v) => v.toLowerCase() === "true");
    return {
      operator: entry.operator, key: entry.key, keyLower, base: parts.base, ifExists: false, negated: false,
      values: entry.values, reads,
      test(lookup) {
        const absent = lookup.get(keyLower) === undefined;
        return wantAbsent.some((want) => want === absent);
      },
    };
  }

  const matchOne = (value: string, comparators: Comparator[]): boolean => {
    let any = false;
    for (const compare of comparators) if (compare(value)) { any = true; break; }
    return negated ? !any : any;
  };

  const base = {
    operator: entry.operator, key: entry.key, keyLower, base: parts.base, ifExists: parts.ifExists, negated,
    values: entry.values, reads,
  };
  return {
    ...base,
    ...(parts.set === undefined ? {} : { set: parts.set }),
    test(lookup, missing) {
      const raw = lookup.get(keyLower);
      if (raw === undefined) {
        missing.add(entry.key);
        if (parts.ifExists || parts.set === "ForAllValues") return true;
        if (parts.set === "ForAnyValue") return false;
        return negated;
      }
      const comparators = binder.bind(lookup, missing);
      const requestValues = typeof raw === "string" ? [raw] : raw;
      if (parts.set === "ForAllValues" || (parts.set === undefined && negated)) {
        for (const value of requestValues) if (!matchOne(value, comparators)) return false;
        return true;
      }
      for (const value of requestValues) if (matchOne(value, comparators)) return true;
      return false;
    },
  };
}

interface CompiledValues {
  variables: string[];
  bind(lookup: ContextLookup, missing: Set<string>): Comparator[];
}

function compileValues(positive: string, values: readonly string[], variables: boolean): CompiledValues {
  const stringMode: MatchMode | undefined =
    positive === "StringEquals" || positive === "BinaryEquals" ? "exact"
      : positive === "StringEqualsIgnoreCase" ? "exactIgnoreCase"
        : positive === "StringLike" ? "glob"
          : positive === "ArnEquals" || positive === "ArnLike" ? "arn"
            : undefined;
  if (stringMode !== undefined) {
    const patterns: ValuePattern[] = values.map((v) => compilePattern(v, stringMode, variables));
    const vars = patterns.flatMap((p) => p.variables);
    if (vars.length === 0) {
      const fixed = patterns.map((p) => p.bind(noContext) as StringMatcher);
      return { variables: [], bind: () => fixed };
    }
    return {
      variables: vars,
      bind(lookup, missing) {
        const out: Comparator[] = [];
        for (const pattern of patterns) {
          const matcher = pattern.bind(lookup);
          if (matcher !== undefined) out.push(matcher);
          else for (const key of pattern.variables) if (lookup.get(key.toLowerCase()) === undefined) missing.add(key);
        }
        return out;
      },
    };
  }
  const fixed = values.map((v) => scalarComparator(positive, v));
  return { variables: [], bind: () => fixed };
}

const noContext: ContextLookup = new Map<string, string>();

function scalarComparator(positive: string, policyValue: string): Comparator {
  switch (positive) {
    case "Bool": {
      const want = policyValue.toLowerCase();
      return (value) => value.toLowerCase() === want;
    }
    case "NumericEquals": return numeric(policyValue, (a, b) => a === b);
    case "NumericLessThan": return numeric(policyValue, (a, b) => a < b);
    case "NumericLessThanEquals": return numeric(policyValue, (a, b) => a <= b);
    case "NumericGreaterThan": return numeric(policyValue, (a, b) => a > b);
    case "NumericGreaterThanEquals": return numeric(policyValue, (a, b) => a >= b);
    case "DateEquals": return date(policyValue, (a, b) => a === b);
    case "DateLessThan": return date(policyValue, (a, b) => a < b);
    case "DateLessThanEquals": return date(policyValue, (a, b) => a <= b);
    case "DateGreaterThan": return date(policyValue, (a, b) => a > b);
    case "DateGreaterThanEquals": return date(policyValue, (a, b) => a >= b);
    case "IpAddress": {
      const network = parseCidr(policyValue);
      if (network === undefined) return () => false;
      return (value) => {
        const address = parseIp(value);
        return address !== undefined && cidrContains(network, address);
      };
    }
    default:
      return () => false;
  }
}

function parseNumber(text: string): number | undefined {
  if (!/^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(text)) return undefined;
  return Number(text);
}

function numeric(policyValue: string, compare: (request: number, policy: number) => boolean): Comparator {
  const p = parseNumber(policyValue);
  if (p === undefined) return () => false;
  return (value) => {
    const r = parseNumber(value);
    return r !== undefined && compare(r, p);
  };
}

/** IAM dates: ISO 8601 (date or date-time) or epoch seconds. */
export function parseIamDate(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function date(policyValue: string, compare: (request: number, policy: number) => boolean): Comparator {
  const p = parseIamDate(policyValue);
  if (p === undefined) return () => false;
  return (value) => {
    const r = parseIamDate(value);
    return r !== undefined && compare(r, p);
  };
}

// ---- IP addresses (IPv4 and IPv6, RFC 4632 CIDR) ----

export interface IpAddress { family: 4 | 6; bits: bigint }
interface Network { family: 4 | 6; bits: bigint; prefix: number }

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out = (out << 8n) | BigInt(n);
  }
  return out;
}

function parseIpv6(text: string): bigint | undefined {
  let body = text;
  let tail: bigint[] = [];
  if (text.includes(".")) {
    // An embedded IPv4 address is the last two groups.
    const lastColon = text.lastIndexOf(":");
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >> 16n, v4 & 0xffffn];
    const prefix = text.slice(0, lastColon + 1);
    body = prefix.endsWith("::") ? prefix : prefix.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const parse = (s: string): bigint[] | undefined => {
    if (s === "") return [];
    const groups = s.split(":");
    const out: bigint[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  const head = parse(halves[0] as string);
  const rest = halves.length === 2 ? parse(halves[1] as string) : [];
  if (head === undefined || rest === undefined) return undefined;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const groups = [...head, ...Array<bigint>(8 - given).fill(0n), ...rest, ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(":")) {
    const bits = parseIpv6(text);
    if (bits === undefined) return undefined;
    // IPv4-mapped IPv6 (::ffff:a.b.c.d) is the IPv4 address.
    if (bits >> 32n === 0xffffn) return { family: 4, bits: bits & 0xffffffffn };
    return { family: 6, bits };
  }
  const bits = parseIpv4(text);
  return bits === undefined ? undefined : { family: 4, bits };
}

function parseCidr(text: string): Network | undefined {
  const slash = text.indexOf("/");
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const width = address.family === 4 ? 32 : 128;
  let prefix = width;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > width) return undefined;
    prefix = Number(p);
  }
  return { family: address.family, bits: address.bits, prefix };
}

function cidrContains(network: Network, address: IpAddress): boolean {
  if (network.family !== address.family) return false;
  const shift = BigInt((network.family === 4 ? 32 : 128) - network.prefix);
  return network.bits >> shift === address.bits >> shift;
}
