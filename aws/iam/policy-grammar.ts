// Parses and validates an IAM policy document (identity, resource or trust policy) the way IAM does when the
// policy is stored: either a normalised PolicyDocument or one typed MalformedPolicyDocument carrying AWS's text
// plus a precise `detail` for our own log and `explain`. Also the size quotas (LimitExceeded) as helpers.
import {
  LIMIT_EXCEEDED,
  MALFORMED_POLICY_DOCUMENT,
  MANAGED_POLICY_LIMIT,
  MalformedPolicyText,
  ROLE_INLINE_POLICY_LIMIT,
  invalidPrincipalText,
  managedPolicySizeText,
  prohibitedFieldText,
  resourceNotArnText,
  roleInlinePolicySizeText,
} from "./texts.ts";
import { globMatch, globParts } from "./patterns.ts";

/** identity: attached to a user/role (also permissions boundaries); resource: on a secret, key…; trust: a role's assume-role policy. */
export type PolicyKind = "identity" | "resource" | "trust";
export type PolicyVersion = "2008-10-17" | "2012-10-17";

export interface ParseOptions {
  kind: PolicyKind;
  /** CreatePolicy refuses a missing or 2008-10-17 Version; inline policies accept it. */
  requireCurrentVersion?: boolean;
}

export interface PrincipalBlock {
  /** `"Principal": "*"` */
  wildcard: boolean;
  AWS: string[];
  Service: string[];
  Federated: string[];
  CanonicalUser: string[];
}

export interface ConditionEntry {
  /** As written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** As written; compared case-insensitively. */
  key: string;
  /** Scalars converted to strings the way IAM reads them (`true` → "true", `5` → "5"). */
  values: string[];
}

export interface PolicyStatement {
  index: number;
  sid?: string;
  effect: "Allow" | "Deny";
  principal?: PrincipalBlock;
  notPrincipal?: PrincipalBlock;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition: ConditionEntry[];
}

export interface PolicyDocument {
  /** The effective version: a document without Version is read as 2008-10-17 (no policy variables). */
  version: PolicyVersion;
  id?: string;
  statements: PolicyStatement[];
}

/** A policy write refused by AWS's rules: `message` is AWS's text; `detail` says exactly where and why. */
abstract class PolicyWriteError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: number;
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

/** The one error a policy document can produce. */
export class MalformedPolicyDocument extends PolicyWriteError {
  readonly code = MALFORMED_POLICY_DOCUMENT;
  readonly httpStatus = 400;
  override readonly name = MALFORMED_POLICY_DOCUMENT;
}

/** A size quota exceeded (inline policies per role, managed policy size). */
export class LimitExceeded extends PolicyWriteError {
  readonly code = LIMIT_EXCEEDED;
  readonly httpStatus = 409;
  override readonly name = LIMIT_EXCEEDED;
}

export type PolicyValidation = { ok: true; policy: PolicyDocument } | { ok: false; error: MalformedPolicyDocument };

const TOP_LEVEL_KEYS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_KEYS = new Set([
  "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
]);
const PRINCIPAL_TYPES = ["AWS", "Service", "Federated", "CanonicalUser"] as const;

/** Operator grammar: optional set qualifier, a known base operator, optional IfExists (never on Null). */
const CONDITION_BASES = new Set([
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
  "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
  "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
]);

/** Splits `ForAllValues:StringLikeIfExists` into its parts, or undefined when IAM would not accept it. */
export function splitConditionOperator(
  operator: string,
): { set?: "ForAllValues" | "ForAnyValue"; base: string; ifExists: boolean } | undefined {
  let rest = operator;
  let set: "ForAllValues" | "ForAnyValue" | undefined;
  if (rest.startsWith("ForAllValues:")) { set = "ForAllValues"; rest = rest.slice(13); }
  else if (rest.startsWith("ForAnyValue:")) { set = "ForAnyValue"; rest = rest.slice(12); }
  let ifExists = false;
  if (rest.endsWith("IfExists")) { ifExists = true; rest = rest.slice(0, -8); }
  if (!CONDITION_BASES.has(rest)) return undefined;
  if (rest === "Null" && (ifExists || set !== undefined)) return undefined;
  return set === undefined ? { base: rest, ifExists } : { set, base: rest, ifExists };
}

// Actions the trust policy of a role may name (sts:AssumeRole* and the session-setting actions).
const TRUST_ACTIONS = [
  "sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity", "sts:tagsession",
  "sts:setsourceidentity", "sts:setcontext",
];

const AWS_PRINCIPAL =
  /^(\*|\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|user\/.+|role\/.+|federated-user\/.+)|arn:aws[a-z-]*:sts::\d{12}:(assumed-role\/[^/]+\/.+|federated-user\/.+))$/;
const VENDOR_ACTION = /^[A-Za-z0-9-]+:.+$/;
const ARN_SHAPE = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:/s;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Validator {
  constructor(private readonly kind: PolicyKind, private readonly requireCurrentVersion: boolean) {}

  private fail(message: string, detail: string): never {
    throw new MalformedPolicyDocument(message, detail);
  }

  private syntax(detail: string): never {
    // Trust policies answer "invalid Json" only when the text is not JSON at all (see parsePolicy).
    return this.fail(MalformedPolicyText.syntax, detail);
  }

  document(raw: unknown): PolicyDocument {
    if (!isObject(raw)) this.syntax(`the document is ${describe(raw)}: a policy must be a JSON object`);
    for (const key of Object.keys(raw)) {
      if (!TOP_LEVEL_KEYS.has(key)) this.syntax(`unknown top-level field "${key}": allowed are Version, Id, Statement`);
    }
    let version: PolicyVersion = "2008-10-17";
    if (Object.hasOwn(raw, "Version")) {
      const v = raw["Version"];
      if (v !== "2012-10-17" && v !== "2008-10-17") {
        this.syntax(`Version is ${describe(v)}: Version must be "2012-10-17" or "2008-10-17"`);
      }
      version = v;
    }
    if (this.requireCurrentVersion && version !== "2012-10-17") {
      this.fail(
        MalformedPolicyText.version,
        "Version" in raw ? `Version is "${version}": managed policies need "2012-10-17"` : "Version is missing: managed policies need \"2012-10-17\"",
      );
    }
    let id: string | undefined;
    if ("Id" in raw) {
      if (typeof raw["Id"] !== "string") this.syntax(`Id is ${describe(raw["Id"])}: Id must be a string`);
      id = raw["Id"];
    }
    if (!("Statement" in raw)) this.syntax("Statement is missing");
    const rawStatement = raw["Statement"];
    const list = Array.isArray(rawStatement) ? rawStatement : [rawStatement];
    if (list.length === 0) this.syntax("Statement is an empty list: a policy needs at least one statement");
    const statements: PolicyStatement[] = [];
    const sids = new Map<string, string>();
    list.forEach((item, index) => {
      const path = Array.isArray(rawStatement) ? `Statement[${index}]` : "Statement";
      const statement = this.statement(item, index, path);
      if (statement.sid !== undefined && statement.sid !== "") {
        const earlier = sids.get(statement.sid);
        if (earlier !== undefined) {
          this.fail(MalformedPolicyText.duplicateSid, `${path}.Sid "${statement.sid}" is already used by ${earlier}`);
        }
        sids.set(statement.sid, path);
      }
      statements.push(statement);
    });
    return id === undefined ? { version, statements } : { version, id, statements };
  }

  private statement(raw: unknown, index: number, path: string): PolicyStatement {
    if (!isObject(raw)) this.syntax(`${path} is ${describe(raw)}: a statement must be a JSON object`);
    for (const key of Object.keys(raw)) {
      if (!STATEMENT_KEYS.has(key)) {
        this.syntax(`${path} has unknown field "${key}": allowed are ${[...STATEMENT_KEYS].join(", ")}`);
      }
    }
    const out: PolicyStatement = { index, effect: "Allow", condition: [] };
    if ("Sid" in raw) {
      if (typeof raw["Sid"] !== "string") this.syntax(`${path}.Sid is ${describe(raw["Sid"])}: Sid must be a string`);
      out.sid = raw["Sid"];
    }
    if (!("Effect" in raw)) this.syntax(`${path}.Effect is missing: Effect must be exactly "Allow" or "Deny"`);
    const effect = raw["Effect"];
    if (effect !== "Allow" && effect !== "Deny") {
      const legacy = typeof effect === "string" && (effect.toLowerCase() === "allow" || effect.toLowerCase() === "deny");
      const detail = `${path}.Effect is ${describe(effect)}: Effect must be exactly "Allow" or "Deny"`;
      if (legacy) this.fail(MalformedPolicyText.legacyParsing, detail);
      this.syntax(detail);
    }
    out.effect = effect;

    this.principals(raw, out, path);

    if ("Action" in raw && "NotAction" in raw) this.syntax(`${path} has both Action and NotAction: use one`);
    const actionField = "Action" in raw ? "Action" : "NotAction" in raw ? "NotAction" : undefined;
    if (actionField === undefined) this.fail(MalformedPolicyText.noActions, `${path} has neither Action nor NotAction`);
    const actions = this.stringList(raw[actionField], `${path}.${actionField}`);
    if (actions.length === 0) this.fail(MalformedPolicyText.noActions, `${path}.${actionField} is an empty list`);
    for (const action of actions) this.checkAction(action, `${path}.${actionField}`);
    if (actionField === "Action") out.action = actions;
    else out.notAction = actions;

    this.resources(raw, out, path);
    if ("Condition" in raw) out.condition = this.conditions(raw["Condition"], `${path}.Condition`);
    return out;
  }

  private principals(raw: Record<string, Json>, out: PolicyStatement, path: string): void {
    const has = "Principal" in raw || "NotPrincipal" in raw;
    if (this.kind === "identity") {
      if (has) {
        const field = "Principal" in raw ? "Principal" : "NotPrincipal";
        this.fail(MalformedPolicyText.identityHasPrincipal, `${path}.${field}: identity-based policies cannot name a principal`);
      }
      return;
    }
    if ("Principal" in raw && "NotPrincipal" in raw) this.syntax(`${path} has both Principal and NotPrincipal: use one`);
    if (!has) this.fail(MalformedPolicyText.missingPrincipal, `${path} has neither Principal nor NotPrincipal`);
    if ("Principal" in raw) out.principal = this.principalBlock(raw["Principal"], `${path}.Principal`);
    else out.notPrincipal = this.principalBlock(raw["NotPrincipal"], `${path}.NotPrincipal`);
  }

  private principalBlock(raw: Json | undefined, path: string): PrincipalBlock {
    const block: PrincipalBlock = { wildcard: false, AWS: [], Service: [], Federated: [], CanonicalUser: [] };
    if (raw === "*") return { ...block, wildcard: true };
    if (!isObject(raw)) this.syntax(`${path} is ${describe(raw)}: a principal is "*" or an object such as {"AWS": …}`);
    const keys = Object.keys(raw);
    if (keys.length === 0) this.syntax(`${path} is an empty object`);
    for (const key of keys) {
      if (!(PRINCIPAL_TYPES as readonly string[]).includes(key)) {
        this.syntax(`${path} has unknown principal type "${key}": allowed are ${PRINCIPAL_TYPES.join(", ")}`);
      }
      const type = key as (typeof PRINCIPAL_TYPES)[number];
      const values = this.stringList(raw[key], `${path}.${key}`);
      if (values.length === 0) this.syntax(`${path}.${key} is an empty list`);
      for (const value of values) {
        const valid = type === "AWS" ? AWS_PRINCIPAL.test(value) : value.length > 0 && !/\s/.test(value);
        if (!valid) this.fail(invalidPrincipalText(type, value), `${path}.${key} "${value}" is not a valid ${type} principal`);
      }
      block[type] = values;
    }
    return block;
  }

  private checkAction(action: string, path: string): void {
    if (action === "*") return;
    if (!VENDOR_ACTION.test(action)) {
      this.fail(MalformedPolicyText.vendor, `${path} "${action}" has no vendor prefix: write it as "service:Action", e.g. "secretsmanager:GetSecretValue"`);
    }
    if (this.kind === "trust") {
      const lower = action.toLowerCase();
      const vendorIsSts = lower.startsWith("sts:");
      if (!vendorIsSts || !TRUST_ACTIONS.some((allowed) => globMatch(globParts(lower), allowed))) {
        this.fail(MalformedPolicyText.trustStsOnly, `${path} "${action}" is not an STS AssumeRole action`);
      }
    }
  }

  private resources(raw: Record<string, Json>, out: PolicyStatement, path: string): void {
    if ("Resource" in raw && "NotResource" in raw) this.syntax(`${path} has both Resource and NotResource: use one`);
    const field = "Resource" in raw ? "Resource" : "NotResource" in raw ? "NotResource" : undefined;
    if (this.kind === "trust") {
      if (field !== undefined) this.fail(prohibitedFieldText(field), `${path}.${field}: a role trust policy cannot name resources`);
      return;
    }
    if (field === undefined) {
      // A resource policy may omit Resource: it then means the resource it is attached to.
      if (this.kind === "resource") return;
      this.fail(MalformedPolicyText.noResources, `${path} has neither Resource nor NotResource`);
    }
    const resources = this.stringList(raw[field], `${path}.${field}`);
    if (resources.length === 0) this.fail(MalformedPolicyText.noResources, `${path}.${field} is an empty list`);
    for (const resource of resources) {
      if (resource !== "*" && !ARN_SHAPE.test(resource)) {
        this.fail(resourceNotArnText(resource), `${path}.${field} "${resource}" is not an ARN (arn:partition:service:region:account:resource) or "*"`);
      }
    }
    if (field === "Resource") out.resource = resources;
    else out.notResource = resources;
  }

  private conditions(raw: Json | undefined, path: string): ConditionEntry[] {
    if (!isObject(raw)) this.syntax(`${path} is ${describe(raw)}: Condition must be an object of operators`);
    const out: ConditionEntry[] = [];
    for (const [operator, block] of Object.entries(raw)) {
      if (splitConditionOperator(operator) === undefined) {
        this.syntax(`${path} has unknown condition operator "${operator}"`);
      }
      if (!isObject(block)) this.syntax(`${path}.${operator} is ${describe(block)}: it must map condition keys to values`);
      for (const [key, value] of Object.entries(block)) {
        if (!/^[A-Za-z0-9-]+:./s.test(key)) {
          this.fail(MalformedPolicyText.vendor, `${path}.${operator} key "${key}" has no vendor prefix: write it as "aws:Key" or "service:Key"`);
        }
        const list = Array.isArray(value) ? value : [value];
        const values: string[] = [];
        for (const item of list) {
          if (typeof item === "string") values.push(item);
          else if (typeof item === "number" || typeof item === "boolean") values.push(String(item));
          else this.syntax(`${path}.${operator}["${key}"] has ${describe(item)}: condition values are strings, numbers or booleans`);
        }
        out.push({ operator, key, values });
      }
    }
    return out;
  }

  private stringList(raw: Json | undefined, path: string): string[] {
    if (typeof raw === "string") return [raw];
    if (!Array.isArray(raw)) this.syntax(`${path} is ${describe(raw)}: expected a string or a list of strings`);
    for (const item of raw) {
      if (typeof item !== "string") this.syntax(`${path} contains ${describe(item)}: expected only strings`);
    }
    return raw as string[];
  }
}

/** A short description of a JSON value for `detail` texts: `"allow"`, `a number (3)`, `null`, `a list`. */
function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return `a ${typeof value} (${String(value)})`;
  if (Array.isArray(value)) return "a list";
  return "an object";
}

/** Parses and validates; returns the document or the one error. Never throws. */
export function validatePolicy(text: string, options: ParseOptions): PolicyValidation {
  try {
    return { ok: true, policy: parsePolicy(text, options) };
  } catch (error) {
    if (error instanceof MalformedPolicyDocument) return { ok: false, error };
    throw error;
  }
}

/** Parses and validates; throws MalformedPolicyDocument (and nothing else) for a bad document. */
export function parsePolicy(text: string, options: ParseOptions): PolicyDocument {
  const validator = new Validator(options.kind, options.requireCurrentVersion ?? false);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MalformedPolicyDocument(
      options.kind === "trust" ? MalformedPolicyText.trustInvalidJson : MalformedPolicyText.syntax,
      `the document is not valid JSON: ${reason}`,
    );
  }
  return validator.document(raw);
}

/** Size as IAM counts it against its quotas: characters, not counting white space outside strings. */
export function policySize(text: string): number {
  let size = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      size++;
      if (ch === "\\") { size++; i++; }
      else if (ch === '"') inString = false;
    } else if (ch === '"') { size++; inString = true; }
    else if (!/\s/.test(ch)) size++;
  }
  return size;
}

/** LimitExceeded when a managed policy is over 6,144 characters. */
export function checkManagedPolicySize(text: string): void {
  const size = policySize(text);
  if (size > MANAGED_POLICY_LIMIT) {
    throw new LimitExceeded(managedPolicySizeText, `the policy has ${size} characters without white space; the quota is ${MANAGED_POLICY_LIMIT}`);
  }
}

/** LimitExceeded when the inline policies of one role together are over 10,240 characters. */
export function checkRoleInlinePolicySize(roleName: string, texts: readonly string[]): void {
  const size = texts.reduce((sum, text) => sum + policySize(text), 0);
  if (size > ROLE_INLINE_POLICY_LIMIT) {
    throw new LimitExceeded(
      roleInlinePolicySizeText(roleName),
      `the inline policies of role ${roleName} have ${size} characters without white space together; the quota is ${ROLE_INLINE_POLICY_LIMIT}`,
    );
  }
}
