// The registry's htpasswd file: one `user:bcrypt-hash` line per user, the only hash the distribution registry's
// htpasswd auth accepts. Passwords go in and never come out: errors name the user, never the password.
import bcrypt from "bcryptjs";

/** One account the registry will accept with HTTP Basic auth. */
export interface HtpasswdUser {
  username: string;
  password: string;
}

/** Go's bcrypt.MinCost; the registry checks hashes with golang.org/x/crypto/bcrypt. */
export const MIN_BCRYPT_COST = 4;
/** Higher costs only slow the tests down (each check on every registry request costs ~2^cost). */
export const MAX_BCRYPT_COST = 10;
/** Low on purpose: the registry verifies the hash on every authenticated request. */
export const DEFAULT_BCRYPT_COST = 5;
/** bcrypt reads only the first 72 bytes; Go's bcrypt refuses longer passwords, so we do too. */
export const MAX_PASSWORD_BYTES = 72;

export class HtpasswdError extends Error {
  override readonly name = "HtpasswdError";
}

/**
 * Why a username cannot be an htpasswd entry, or undefined when it can. The registry splits each trimmed line at
 * the first ":" and skips lines starting with "#", so those characters and surrounding spaces would silently
 * change who can log in.
 */
export function usernameProblem(username: string): string | undefined {
  if (username.length === 0) return "is empty";
  if (username.includes(":")) return 'contains ":"';
  if (/[\r\n]/.test(username)) return "contains a line break";
  if (username.trim() !== username) return "starts or ends with whitespace";
  if (username.startsWith("#")) return 'starts with "#" (the registry reads that line as a comment)';
  return undefined;
}

/** Why a password cannot be hashed for the registry, or undefined. Never includes the password itself. */
export function passwordProblem(password: string): string | undefined {
  const bytes = Buffer.byteLength(password, "utf8");
  if (bytes > MAX_PASSWORD_BYTES) return `is ${bytes} bytes long; bcrypt allows at most ${MAX_PASSWORD_BYTES}`;
  return undefined;
}

/**
 * One htpasswd line for `user`. bcryptjs writes `$2b$`; the hash is the same algorithm and the registry's Go
 * bcrypt accepts any minor version, but `$2y$` is what `htpasswd -B` (and the registry's docs) produce, so we
 * write that.
 */
export function htpasswdEntry(user: HtpasswdUser, cost: number = DEFAULT_BCRYPT_COST): string {
  checkCost(cost);
  const userProblem = usernameProblem(user.username);
  if (userProblem) throw new HtpasswdError(`htpasswd: username ${JSON.stringify(user.username)} ${userProblem}`);
  const pwProblem = passwordProblem(user.password);
  if (pwProblem) throw new HtpasswdError(`htpasswd: password of user ${JSON.stringify(user.username)} ${pwProblem}`);
  const hash = bcrypt.hashSync(user.password, bcrypt.genSaltSync(cost)).replace(/^\$2b\$/, "$2y$");
  return `${user.username}:${hash}`;
}

/** The whole file, one line per user, newline-terminated. Duplicate usernames are refused (the last would win). */
export function renderHtpasswd(users: readonly HtpasswdUser[], cost: number = DEFAULT_BCRYPT_COST): string {
  checkCost(cost);
  const seen = new Set<string>();
  for (const user of users) {
    if (seen.has(user.username)) throw new HtpasswdError(`htpasswd: user ${JSON.stringify(user.username)} is listed twice`);
    seen.add(user.username);
  }
  return users.map((user) => `${htpasswdEntry(user, cost)}\n`).join("");
}

function checkCost(cost: number): void {
  if (!Number.isInteger(cost) || cost < MIN_BCRYPT_COST || cost > MAX_BCRYPT_COST) {
    throw new HtpasswdError(`htpasswd: bcrypt cost must be an integer from ${MIN_BCRYPT_COST} to ${MAX_BCRYPT_COST}, got ${String(cost)}`);
  }
}
