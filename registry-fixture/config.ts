// The distribution registry's config.yml for a throwaway test registry: filesystem storage, one loopback
// address, htpasswd auth (or none), deletes allowed (tests remove manifests and blobs), and nothing that makes
// noise in the log (no storage health checks, no access log, no upload purging).
import { stringify } from "yaml";

export interface RegistryConfigOptions {
  /** Where blobs and manifests are stored (inside the container or on the host). */
  rootDirectory: string;
  /** `host:port` the registry listens on; always a loopback address here. */
  addr: string;
  /** htpasswd auth; omit for an anonymous registry. */
  htpasswd?: { path: string; realm?: string };
  /** Token auth (wins over htpasswd): the token service's realm URL and the issuer certificate's PEM path. */
  token?: RegistryTokenConfig;
  /** Signs upload state; fixed so that a restarted registry still accepts uploads it started. */
  httpSecret: string;
  /** The registry's log level; "info" is needed for the `listening on` line. */
  logLevel?: "error" | "warn" | "info" | "debug";
  /** Apache-style access log lines, off by default. */
  accessLog?: boolean;
}

export interface RegistryTokenConfig {
  realm: string;
  service: string;
  issuer: string;
  rootCertBundle: string;
}

/** What Docker shows in `WWW-Authenticate: Basic realm=...`. */
export const DEFAULT_REALM = "ecs-pull-registry";

/** The config as plain data (what the YAML encodes); handy for tests and for reading the shape at a glance. */
export function registryConfig(options: RegistryConfigOptions): Record<string, unknown> {
  const config: Record<string, unknown> = {
    // A string: the registry parses `version` as a string and a YAML float would print as 0.1 anyway.
    version: "0.1",
    log: {
      level: options.logLevel ?? "info",
      formatter: "text",
      accesslog: { disabled: !options.accessLog },
    },
    storage: {
      filesystem: { rootdirectory: options.rootDirectory },
      delete: { enabled: true },
      // Upload purging starts a background job that logs every 24 h; a test registry lives for seconds.
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: options.addr,
      secret: options.httpSecret,
      headers: { "X-Content-Type-Options": ["nosniff"] },
    },
    // The default storage driver health check polls every 10 s and logs; nothing here needs it.
    health: { storagedriver: { enabled: false } },
  };
  if (options.token) {
    const { realm, service, issuer, rootCertBundle } = options.token;
    config["auth"] = { token: { realm, service, issuer, rootcertbundle: rootCertBundle } };
  } else if (options.htpasswd) {
    config["auth"] = { htpasswd: { realm: options.htpasswd.realm ?? DEFAULT_REALM, path: options.htpasswd.path } };
  }
  return config;
}

/** The config.yml text for `docker-registry serve` or the registry:2 image. */
export function renderRegistryConfig(options: RegistryConfigOptions): string {
  return stringify(registryConfig(options));
}
