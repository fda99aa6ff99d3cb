// WWW-Authenticate challenges, parsed as containerd's remotes/docker/auth/parse.go does: a scheme (Basic or
// Bearer, any letter case) followed by comma-separated key=value or key="quoted value" parameters. Pure.

export type AuthScheme = "basic" | "bearer";

export interface Challenge {
  scheme: AuthScheme;
  /** Lower-cased keys: realm, service, scope, error, ... */
  parameters: Record<string, string>;
}

/** All Basic/Bearer challenges in one or more WWW-Authenticate header values; other schemes are skipped. */
export function parseChallenges(headerValues: readonly string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const value of headerValues) {
    const match = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/s.exec(value);
    if (!match) continue;
    const scheme = (match[1] ?? "").toLowerCase();
    if (scheme !== "basic" && scheme !== "bearer") continue;
    out.push({ scheme, parameters: parseParameters(match[2] ?? "") });
  }
  return out;
}

function parseParameters(text: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  const re = /\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && m[0] !== "") {
    const key = (m[1] ?? "").toLowerCase();
    parameters[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "");
  }
  return parameters;
}
