// `ecs-pull registry up --user NAME:PW [--image REF[=REPO:TAG]] [--image-tar FILE[=REPO:TAG]] [--synthetic REPO:TAG]
//  [--port N] [--name N] [--print-secret] [--json]` and `ecs-pull registry down [--name N] [--json]`: a registry
// that keeps running after the command, holding the user's own images (registry-fixture/detached.ts does the work).
// The password is printed only with --print-secret; by default the secret's shape carries a placeholder.
import { existsSync } from "node:fs";
import {
  checkRegistryName,
  DEFAULT_DETACHED_PORT,
  DEFAULT_REGISTRY_NAME,
  RegistryAlreadyUpError,
  registryDown,
  registryUp,
  serveTokenService,
  type RegistryImageSource,
  type RegistryState,
} from "../../registry-fixture/detached.ts";
import { HtpasswdError, type HtpasswdUser } from "../../registry-fixture/htpasswd.ts";
import { ImageArchiveError } from "../../registry-fixture/image-archive.ts";
import { RegistryStartError } from "../../registry-fixture/native.ts";
import { RegistryApiError, SeedInputError } from "../../registry-fixture/seed.ts";
import { EnvironmentError } from "../../agent-sim/index.ts";
import { parseUserSpec } from "../../stack/compose-files.ts";
import { UsageError } from "../exit-codes.ts";

export interface RegistryUpCliOptions {
  user: string[];
  image?: string[];
  imageTar?: string[];
  synthetic?: string[];
  port?: string;
  name?: string;
  auth?: string;
  printSecret?: boolean;
  json?: boolean;
}

export interface RegistryDownCliOptions {
  name?: string;
  json?: boolean;
}

/** `REF=REPO:TAG` → the source and its target; a reference has no "=", a file name may (an existing file wins). */
function splitTarget(value: string, isFile: boolean): { what: string; target?: string } {
  if (isFile && existsSync(value)) return { what: value };
  const at = isFile ? value.lastIndexOf("=") : value.indexOf("=");
  if (at <= 0) return { what: value };
  return { what: value.slice(0, at), target: value.slice(at + 1) };
}

function imageSources(opts: RegistryUpCliOptions): RegistryImageSource[] {
  const engine = (opts.image ?? []).map((v): RegistryImageSource => {
    const { what, target } = splitTarget(v, false);
    return { kind: "engine", reference: what, ...(target !== undefined && { target }) };
  });
  const tars = (opts.imageTar ?? []).map((v): RegistryImageSource => {
    const { what, target } = splitTarget(v, true);
    return { kind: "tar", file: what, ...(target !== undefined && { target }) };
  });
  const synthetic = (opts.synthetic ?? []).map((target): RegistryImageSource => ({ kind: "synthetic", target }));
  return [...engine, ...tars, ...synthetic];
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_DETACHED_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be 0..65535 (0 picks a free port), got ${JSON.stringify(value)}`);
  return port;
}

function nameFlag(name: string): string {
  return name === DEFAULT_REGISTRY_NAME ? "" : ` --name ${name}`;
}

/** Our library's errors → the CLI's contract: the user's input is a usage error, the machine's an environment one. */
function mapError(error: unknown): never {
  if (error instanceof UsageError) throw error;
  if (error instanceof HtpasswdError || error instanceof SeedInputError || error instanceof ImageArchiveError) throw new UsageError(error.message);
  if (error instanceof RegistryAlreadyUpError) {
    throw new UsageError(`${error.message}: stop it with \`ecs-pull registry down${nameFlag(error.state.name)}\`, or start another with --name`);
  }
  if (error instanceof RegistryStartError || error instanceof RegistryApiError) throw new EnvironmentError(error.message);
  throw error;
}

export async function registryUpCommand(opts: RegistryUpCliOptions): Promise<number> {
  const port = parsePort(opts.port);
  let state: RegistryState;
  let users: HtpasswdUser[];
  try {
    const name = checkRegistryName(opts.name ?? DEFAULT_REGISTRY_NAME);
    users = (opts.user ?? []).map(parseUserSpec);
    const auth = opts.auth ?? "htpasswd";
    if (auth !== "htpasswd" && auth !== "token") throw new UsageError(`--auth must be htpasswd or token, got ${JSON.stringify(auth)}`);
    // The token service runs as this very command, detached: `ecs-pull registry token-service DIR`.
    const tokenService = { command: process.execPath, args: [process.argv[1]!, "registry", "token-service"] };
    state = await registryUp({ name, users, port, auth, ...(auth === "token" && { tokenService }), images: imageSources(opts) });
  } catch (error) {
    mapError(error);
  }
  const secrets = users.map((u) => ({
    username: u.username,
    password: opts.printSecret ? u.password : `<the password you gave --user ${u.username}:…>`,
  }));
  const stop = `ecs-pull registry down${nameFlag(state.name)}`;
  if (opts.json) {
    const { name, address, port: p, pid, mode, users: names, images, dir, auth, tokenPid, tokenRealm } = state;
    process.stdout.write(JSON.stringify({ name, address, port: p, pid, mode, auth, ...(tokenRealm && { tokenRealm, tokenPid }), dir, users: names, images, secrets, stop }, null, 2) + "\n");
    return 0;
  }
  const out: string[] = [`registry "${state.name}" is up at ${state.address} (${state.binary}, pid ${state.pid}); it keeps running after this command`];
  out.push(`users: ${state.users.join(", ")} (${state.auth === "token" ? `token auth: the token service at ${state.tokenRealm}, pid ${state.tokenPid}` : "htpasswd"})`);
  if (state.images.length === 0) out.push("images: none yet (push with docker push after docker login, or start it with --image/--image-tar/--synthetic)");
  else {
    out.push("images (use these in your task definition's image):");
    for (const image of state.images) out.push(`  ${image.reference}  ${image.digest}  (${image.source})`);
  }
  out.push("the secret for repositoryCredentials (Secrets Manager SecretString):");
  for (const secret of secrets) out.push(`  ${JSON.stringify(secret)}`);
  if (!opts.printSecret) out.push("  (--print-secret prints it with the password)");
  out.push(`stop it: ${stop}`);
  process.stdout.write(out.join("\n") + "\n");
  return 0;
}

export async function registryDownCommand(opts: RegistryDownCliOptions): Promise<number> {
  let result;
  try {
    result = await registryDown({ name: checkRegistryName(opts.name ?? DEFAULT_REGISTRY_NAME) });
  } catch (error) {
    mapError(error);
  }
  const name = opts.name ?? DEFAULT_REGISTRY_NAME;
  if (opts.json) {
    process.stdout.write(JSON.stringify({ name, found: result.state !== undefined, stopped: result.stopped, address: result.state?.address ?? null }) + "\n");
    return 0;
  }
  if (!result.state) process.stdout.write(`no registry named "${name}" (nothing to stop)\n`);
  else if (result.stopped) process.stdout.write(`stopped registry "${name}" at ${result.state.address} (pid ${result.state.pid}); removed ${result.state.dir}\n`);
  else process.stdout.write(`registry "${name}" at ${result.state.address} had already stopped; removed ${result.state.dir}\n`);
  return 0;
}

/** Hidden: `ecs-pull registry token-service DIR` — the token service of a `registry up --auth token`, users on stdin. */
export async function registryTokenServiceCommand(dir: string): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  let users: HtpasswdUser[];
  try {
    users = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { users: HtpasswdUser[] }).users;
    if (!Array.isArray(users)) throw new Error("no users");
  } catch {
    throw new UsageError("registry token-service: expects {\"users\":[{\"username\",\"password\"}]} on stdin (it is started by registry up --auth token)");
  }
  const server = await serveTokenService(dir, users);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await server.stop();
  return 0;
}
