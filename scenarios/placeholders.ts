// Placeholders in scenario strings, filled from the built world: {registry}, {image:repo:tag}, {digest:repo:tag}
// (the pushed manifest's sha256:…), {identityToken:user} / {registryToken:repo} / {registryToken:repo:expired}
// (token auth: an identity token issued to the user, a pull token for the repository), {secretArn:ref},
// {roleArn:name}, {keyArn:ref}, {account}, {account:alias}, {region}, {taskId}; and {requestId}, which no world
// can know in advance: it matches any AWS request id (a UUID) when expected texts are compared. Pure.

const PLACEHOLDER = /\{(registry|image|digest|identityToken|registryToken|secretArn|roleArn|keyArn|account|region|taskId|requestId)(?::([^{}\s]+))?\}/g;
/** Placeholders that match a pattern instead of a value. */
const WILDCARDS: Record<string, string> = {
  requestId: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
};

export class PlaceholderError extends Error {
  override readonly name = "PlaceholderError";
}

/** What the placeholders stand for in one built world: `secretArn:creds` → the ARN, `registry` → 127.0.0.1:port. */
export type Bindings = ReadonlyMap<string, string>;

function valueOf(kind: string, arg: string | undefined, bindings: Bindings): string {
  if (kind === "image") {
    if (!arg) throw new PlaceholderError("{image:…} needs repository:tag, e.g. {image:team/app:v1}");
    const registry = bindings.get("registry");
    if (registry === undefined) throw new PlaceholderError(`{image:${arg}} needs a registry in the world`);
    return `${registry}/${arg}`;
  }
  const key = arg === undefined ? kind : `${kind}:${arg}`;
  const value = bindings.get(key);
  if (value === undefined) throw new PlaceholderError(`{${key}} names nothing in this scenario's world`);
  return value;
}

/** Every placeholder replaced by its value; wildcards ({requestId}) are left as they are. */
export function fillPlaceholders(template: string, bindings: Bindings): string {
  return template.replace(PLACEHOLDER, (whole, kind: string, arg: string | undefined) =>
    kind in WILDCARDS ? whole : valueOf(kind, arg, bindings),
  );
}

/** Fills every string inside a JSON-like value, keys included (task definitions, policies, engine auth data). */
export function fillDeep<T>(value: T, bindings: Bindings): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return fillPlaceholders(v, bindings);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [fillPlaceholders(k, bindings), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** True when `actual` equals the template byte for byte, wildcards matching their pattern. */
export function matchesTemplate(template: string, actual: string, bindings: Bindings): boolean {
  let pattern = "";
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    pattern += escapeRegExp(template.slice(last, m.index));
    const kind = m[1]!;
    pattern += kind in WILDCARDS ? WILDCARDS[kind] : escapeRegExp(valueOf(kind, m[2], bindings));
    last = m.index! + m[0].length;
  }
  pattern += escapeRegExp(template.slice(last));
  return new RegExp(`^${pattern}$`, "su").test(actual);
}

/** The placeholders a template uses (`secretArn:creds`, ...), for validation and docs. */
export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => (m[2] === undefined ? m[1]! : `${m[1]}:${m[2]}`));
}
