// `ecs-pull registry-files --user alice:pw [--user ...] [--out compose/registry] [--native [--port N]]`: writes the
// htpasswd and config.yml that docker-compose.yml mounts into registry:2, or with --native a config for Debian's
// `docker-registry serve` on the host. Prints the paths and user names, never a password.
import { HtpasswdError } from "../../registry-fixture/htpasswd.ts";
import { DEFAULT_NATIVE_REGISTRY_PORT, DEFAULT_REGISTRY_FILES_DIR, parseUserSpec, writeRegistryFiles } from "../../stack/compose-files.ts";
import { UsageError } from "../exit-codes.ts";

export interface RegistryFilesOptions {
  user: string[];
  out?: string;
  realm?: string;
  native?: boolean;
  port?: string;
}

export function registryFilesCommand(opts: RegistryFilesOptions): number {
  if (opts.port !== undefined && !opts.native) throw new UsageError("--port goes with --native (compose publishes registry:2 on 127.0.0.1:5000)");
  if (opts.port !== undefined && !/^\d{1,5}$/.test(opts.port)) throw new UsageError(`--port must be 1..65535, got ${JSON.stringify(opts.port)}`);
  const native = opts.native ? { ...(opts.port !== undefined && { port: Number(opts.port) }) } : undefined;
  let result;
  try {
    result = writeRegistryFiles((opts.user ?? []).map(parseUserSpec), opts.out ?? DEFAULT_REGISTRY_FILES_DIR, opts.realm, native);
  } catch (error) {
    if (error instanceof HtpasswdError) throw new UsageError(error.message);
    throw error;
  }
  console.log(`wrote ${result.files.htpasswd} (users: ${result.usernames.join(", ")})`);
  console.log(`wrote ${result.files.config}`);
  if (native) console.log(`run it: docker-registry serve ${result.files.config}   (listens on 127.0.0.1:${native.port ?? DEFAULT_NATIVE_REGISTRY_PORT}, stores under ${result.dir}/data)`);
  return 0;
}
