// Image references as containerd sees them (docker/reference normalisation): `nginx` is
// `docker.io/library/nginx:latest`, a first part with '.' or ':' or `localhost` is a registry host, and the
// distribution API of docker.io lives at registry-1.docker.io. Pure.

export interface ImageReference {
  /** The normalised reference containerd prints, e.g. `docker.io/library/nginx:latest`. */
  ref: string;
  /** The registry host in the reference (`docker.io`, `127.0.0.1:5000`). */
  host: string;
  /** The host the HTTP requests go to. */
  endpointHost: string;
  /** The repository path on the registry (`library/nginx`, `team/app`). */
  repository: string;
  tag?: string;
  digest?: string;
  /** What goes after manifests/: the digest when there is one, else the tag. */
  object: string;
}

export class ReferenceError extends Error {
  override readonly name = "ReferenceError";
}

const DOCKER_HUB = "docker.io";
const DOCKER_HUB_ENDPOINT = "registry-1.docker.io";

export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  if (rest === "") throw new ReferenceError("empty image reference");
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon >= 0 && !rest.slice(colon + 1).includes("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  const hasHost = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  let host = hasHost ? first : DOCKER_HUB;
  let repository = hasHost ? rest.slice(slash + 1) : rest;
  if (host === "index.docker.io") host = DOCKER_HUB;
  if (host === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;
  if (repository === "") throw new ReferenceError(`no repository in "${image}"`);
  if (tag === undefined && digest === undefined) tag = "latest";
  const ref = `${host}/${repository}${tag !== undefined ? `:${tag}` : ""}${digest !== undefined ? `@${digest}` : ""}`;
  return {
    ref,
    host,
    endpointHost: host === DOCKER_HUB ? DOCKER_HUB_ENDPOINT : host,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    object: digest ?? (tag as string),
  };
}

/** Loopback registries speak plain HTTP (as Docker's default insecure 127.0.0.0/8 does); everything else HTTPS. */
export function defaultScheme(endpointHost: string): "http" | "https" {
  const hostname = endpointHost.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  return hostname === "localhost" || hostname === "::1" || /^127\./.test(hostname) ? "http" : "https";
}
