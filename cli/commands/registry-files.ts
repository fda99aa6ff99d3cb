// `ecs-pull registry-files --user alice:pw [--user ...] [--out compose/registry]`: writes the htpasswd and
// config.yml that docker-compose.yml mounts into registry:2. Prints the paths and user names, never a password.
import { HtpasswdError } from "../../registry-fixture/htpasswd.ts";
import { DEFAULT_REGISTRY_FILES_DIR, parseUserSpec, writeRegistryFiles } from "../../stack/compose-files.ts";
import { UsageError } from "../exit-codes.ts";

export interface RegistryFilesOptions {
  user: string[];
  out?: string;
  realm?: string;
}

export function registryFilesCommand(opts: RegistryFilesOptions): number {
  let result;
  try {
    result = writeRegistryFiles((opts.user ?? []).map(parseUserSpec), opts.out ?? DEFAULT_REGISTRY_FILES_DIR, opts.realm);
  } catch (error) {
    if (error instanceof HtpasswdError) throw new UsageError(error.message);
    throw error;
  }
  console.log(`wrote ${result.files.htpasswd} (users: ${result.usernames.join(", ")})`);
  console.log(`wrote ${result.files.config}`);
  return 0;
}
