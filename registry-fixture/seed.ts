// Seeds images into a registry over the distribution HTTP API (no Docker daemon): deterministic layers, an
// image config and a Docker v2 schema 2 manifest, pushed blob by blob with HTTP Basic auth. Also deletes
// manifests and blobs, for the "image missing" and "layer missing" scenarios.
import { sha256Digest, syntheticLayer } from "./layers.ts";

export const MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";
export const IMAGE_CONFIG_V1 = "application/vnd.docker.container.image.v1+json";
export const LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

/** The registry's own grammar for repository names and tags (distribution/reference). */
const REPOSITORY_PATTERN = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;
const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
const MAX_LAYERS = 128;
const MAX_LAYER_SIZE = 1024 ** 3;

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface RegistryTarget {
  /** e.g. `http://127.0.0.1:5000` */
  registryUrl: string;
  /** Basic auth; omit for an anonymous registry. */
  auth?: RegistryCredentials;
  /** Repository name, e.g. `team/app`. */
  repository: string;
}

export interface PushImageOptions extends RegistryTarget {
  tag: string;
  /** Number of layers (0..128). */
  layers: number;
  /** Bytes of the one file inside each layer (random, so the gzip blob is about this size too). */
  layerSize: number;
  /** Same seed + same layer index + same size ⇒ same layer digest. Default "ecs-pull". */
  seed?: string | number;
  /** The image's default command. */
  cmd?: string[];
}

export interface DockerDescriptor {
  mediaType: string;
  size: number;
  digest: string;
}

export interface DockerManifestV2 {
  schemaVersion: 2;
  mediaType: typeof MANIFEST_V2;
  config: DockerDescriptor;
  layers: DockerDescriptor[];
}

export interface PushedImage {
  /** Manifest digest (`sha256:…`), what Docker shows as `Digest:` and accepts as `image@digest`. */
  digest: string;
  manifest: DockerManifestV2;
  /** The exact manifest bytes pushed (the digest is their sha256). */
  manifestText: string;
  /** Config + layer blob sizes: the bytes a pull downloads. */
  totalSize: number;
  /** `127.0.0.1:<port>/<repository>:<tag>`, what a task definition's `image` would say. */
  reference: string;
  /** Blobs that were already in the registry and were not uploaded again. */
  skippedBlobs: number;
}

/** A registry answered with something other than what the operation needed. Never carries credentials. */
export class RegistryApiError extends Error {
  override readonly name = "RegistryApiError";
  constructor(
    message: string,
    readonly status?: number,
    /** The distribution error code, e.g. UNAUTHORIZED, MANIFEST_UNKNOWN. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export class SeedInputError extends Error {
  override readonly name = "SeedInputError";
}

/** The image config JSON: what `docker inspect` reads; rootfs.diff_ids are the uncompressed tars' digests. */
export function imageConfig(diffIds: string[], cmd: string[]): string {
  return JSON.stringify({
    architecture: "amd64",
    os: "linux",
    created: "1970-01-01T00:00:00Z",
    config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: cmd },
    rootfs: { type: "layers", diff_ids: diffIds },
    history: diffIds.map((_, index) => ({ created: "1970-01-01T00:00:00Z", created_by: `ecs-pull seed layer ${index}` })),
  });
}

export async function pushImage(options: PushImageOptions): Promise<PushedImage> {
  checkTarget(options);
  if (!TAG_PATTERN.test(options.tag)) throw new SeedInputError(`seed: invalid tag ${JSON.stringify(options.tag)}`);
  if (!Number.isInteger(options.layers) || options.layers < 0 || options.layers > MAX_LAYERS) {
    throw new SeedInputError(`seed: layers must be an integer from 0 to ${MAX_LAYERS}, got ${String(options.layers)}`);
  }
  if (!Number.isInteger(options.layerSize) || options.layerSize < 0 || options.layerSize > MAX_LAYER_SIZE) {
    throw new SeedInputError(`seed: layerSize must be an integer number of bytes from 0 to ${MAX_LAYER_SIZE}, got ${String(options.layerSize)}`);
  }
  const seed = String(options.seed ?? "ecs-pull");
  const client = new RegistryClient(options);

  // One layer at a time: only one layer's bytes are in memory, which matters for large images.
  let skippedBlobs = 0;
  const layers: DockerDescriptor[] = [];
  const diffIds: string[] = [];
  for (let index = 0; index < options.layers; index++) {
    const layer = syntheticLayer(seed, index, options.layerSize);
    if (!(await client.uploadBlob(layer.blob, layer.digest))) skippedBlobs++;
    layers.push({ mediaType: LAYER_TAR_GZIP, size: layer.blob.length, digest: layer.digest });
    diffIds.push(layer.diffId);
  }
  const config = Buffer.from(imageConfig(diffIds, options.cmd ?? ["/bin/sh"]));
  const configDigest = sha256Digest(config);
  if (!(await client.uploadBlob(config, configDigest))) skippedBlobs++;

  const manifest: DockerManifestV2 = {
    schemaVersion: 2,
    mediaType: MANIFEST_V2,
    config: { mediaType: IMAGE_CONFIG_V1, size: config.length, digest: configDigest },
    layers,
  };
  const manifestText = JSON.stringify(manifest, null, 3);
  const digest = sha256Digest(Buffer.from(manifestText));
  const answered = await client.putManifest(options.tag, manifestText);
  if (answered && answered !== digest) {
    throw new RegistryApiError(`seed: registry stored manifest ${options.repository}:${options.tag} as ${answered}, expected ${digest}`);
  }
  return {
    digest,
    manifest,
    manifestText,
    totalSize: config.length + layers.reduce((sum, layer) => sum + layer.size, 0),
    reference: `${new URL(options.registryUrl).host}/${options.repository}:${options.tag}`,
    skippedBlobs,
  };
}

/** One layer of an image pushed from parts: the blob as the registry stores it and its media type. */
export interface ImageLayerBlob {
  blob: Buffer;
  mediaType: string;
}

export interface PushImagePartsOptions extends RegistryTarget {
  tag: string;
  /** The image config JSON, byte for byte (its sha256 is the image id Docker shows). */
  config: Buffer;
  /** Loads each layer when its turn comes, so that only one layer's bytes are in memory at a time. */
  layers: Array<() => Promise<ImageLayerBlob>>;
}

/** Pushes an existing image (from `docker save` or an image tarball): its config and layers, then the manifest. */
export async function pushImageParts(options: PushImagePartsOptions): Promise<PushedImage> {
  checkTarget(options);
  if (!TAG_PATTERN.test(options.tag)) throw new SeedInputError(`seed: invalid tag ${JSON.stringify(options.tag)}`);
  const client = new RegistryClient(options);
  let skippedBlobs = 0;
  const layers: DockerDescriptor[] = [];
  for (const load of options.layers) {
    const layer = await load();
    const digest = sha256Digest(layer.blob);
    if (!(await client.uploadBlob(layer.blob, digest))) skippedBlobs++;
    layers.push({ mediaType: layer.mediaType, size: layer.blob.length, digest });
  }
  const configDigest = sha256Digest(options.config);
  if (!(await client.uploadBlob(options.config, configDigest))) skippedBlobs++;
  const manifest: DockerManifestV2 = {
    schemaVersion: 2,
    mediaType: MANIFEST_V2,
    config: { mediaType: IMAGE_CONFIG_V1, size: options.config.length, digest: configDigest },
    layers,
  };
  const manifestText = JSON.stringify(manifest, null, 3);
  const digest = sha256Digest(Buffer.from(manifestText));
  await client.putManifest(options.tag, manifestText);
  return {
    digest,
    manifest,
    manifestText,
    totalSize: options.config.length + layers.reduce((sum, layer) => sum + layer.size, 0),
    reference: `${new URL(options.registryUrl).host}/${options.repository}:${options.tag}`,
    skippedBlobs,
  };
}

/**
 * Deletes a manifest by tag or digest (the registry deletes by digest only, so a tag is resolved first). Its
 * tags go with it: a later pull of the tag fails with `manifest unknown`. Returns the deleted digest.
 */
export async function deleteManifest(options: RegistryTarget & { reference: string }): Promise<string> {
  checkTarget(options);
  const client = new RegistryClient(options);
  const digest = DIGEST_PATTERN.test(options.reference) ? options.reference : await client.manifestDigest(options.reference);
  await client.request("DELETE", `manifests/${digest}`, `deleting manifest ${digest}`, [202]);
  return digest;
}

/** Deletes one blob (a layer or a config), leaving manifests that point at it broken. */
export async function deleteBlob(options: RegistryTarget & { digest: string }): Promise<void> {
  checkTarget(options);
  if (!DIGEST_PATTERN.test(options.digest)) throw new SeedInputError(`seed: invalid digest ${JSON.stringify(options.digest)}`);
  await new RegistryClient(options).request("DELETE", `blobs/${options.digest}`, `deleting blob ${options.digest}`, [202]);
}

function checkTarget(target: RegistryTarget): void {
  let url: URL;
  try {
    url = new URL(target.registryUrl);
  } catch {
    throw new SeedInputError(`seed: registryUrl is not a URL: ${JSON.stringify(target.registryUrl)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SeedInputError(`seed: registryUrl must be http:// or https://, got ${JSON.stringify(url.protocol)}`);
  }
  if (!REPOSITORY_PATTERN.test(target.repository) || target.repository.length > 255) {
    throw new SeedInputError(`seed: invalid repository name ${JSON.stringify(target.repository)} (lowercase letters, digits, separators . _ __ -, path parts joined by /)`);
  }
}

/** The few distribution API calls seeding needs, with errors that say which step failed. */
class RegistryClient {
  private readonly base: string;
  private readonly authorization: string | undefined;
  private readonly name: string;
  private readonly repository: string;
  /** `Bearer <token>` once the registry asked for token auth. */
  private bearer: string | undefined;

  constructor(target: RegistryTarget) {
    this.base = target.registryUrl.replace(/\/+$/, "");
    this.name = `${new URL(this.base).host}/${target.repository}`;
    this.authorization = target.auth
      ? `Basic ${Buffer.from(`${target.auth.username}:${target.auth.password}`).toString("base64")}`
      : undefined;
    this.repository = target.repository;
  }

  /** Uploads unless present. Returns false when the registry already had the blob. */
  async uploadBlob(blob: Buffer, digest: string): Promise<boolean> {
    const what = `pushing blob ${digest}`;
    const head = await this.request("HEAD", `blobs/${digest}`, what, [200, 404]);
    if (head.status === 200) return false;
    const started = await this.request("POST", "blobs/uploads/", what, [202]);
    const location = started.headers.get("location");
    if (!location) throw new RegistryApiError(`seed: ${what} to ${this.name}: upload started without a Location header`);
    const upload = new URL(location, `${this.base}/`);
    upload.searchParams.set("digest", digest);
    await this.send("PUT", upload.toString(), what, [201], {
      body: blob,
      headers: { "content-type": "application/octet-stream" }, // fetch sets Content-Length for a Buffer body
    });
    return true;
  }

  /** Returns the digest the registry reports for the stored manifest. */
  async putManifest(tag: string, manifestText: string): Promise<string | null> {
    const response = await this.request("PUT", `manifests/${tag}`, `pushing manifest ${tag}`, [201], {
      body: manifestText,
      headers: { "content-type": MANIFEST_V2 },
    });
    return response.headers.get("docker-content-digest");
  }

  async manifestDigest(tag: string): Promise<string> {
    if (!TAG_PATTERN.test(tag)) throw new SeedInputError(`seed: invalid tag or digest ${JSON.stringify(tag)}`);
    const response = await this.request("HEAD", `manifests/${tag}`, `resolving tag ${tag}`, [200], {
      headers: { accept: MANIFEST_V2 },
    });
    const digest = response.headers.get("docker-content-digest");
    if (!digest) throw new RegistryApiError(`seed: resolving tag ${tag} in ${this.name}: no Docker-Content-Digest header`);
    return digest;
  }

  request(method: string, path: string, what: string, expect: number[], init: RequestInit = {}): Promise<Response> {
    return this.send(method, `${this.base}/v2/${this.repository}/${path}`, what, expect, init);
  }

  private async send(method: string, url: string, what: string, expect: number[], init: RequestInit = {}): Promise<Response> {
    let response = await this.fetchOnce(method, url, what, init);
    // Token auth: the registry's Bearer challenge names the token service; get a token with our Basic
    // credentials for this repository and ask again (Docker's token flow, done once per client).
    const challenge = response.status === 401 ? response.headers.get("www-authenticate") : null;
    if (challenge?.startsWith("Bearer ") && !this.bearer) {
      await response.arrayBuffer();
      this.bearer = await this.fetchToken(challenge, what);
      response = await this.fetchOnce(method, url, what, init);
    }
    const body = method === "HEAD" ? "" : await response.text();
    if (expect.includes(response.status)) return response;
    const first = parseRegistryError(body);
    const detail = first ? `: ${first.code}: ${first.message}` : "";
    throw new RegistryApiError(`seed: ${what} to ${this.name}: ${method} answered ${response.status} ${response.statusText}${detail}`, response.status, first?.code);
  }

  private async fetchOnce(method: string, url: string, what: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    const authorization = this.bearer ?? this.authorization;
    if (authorization) headers.set("authorization", authorization);
    try {
      return await fetch(url, { ...init, method, headers });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new RegistryApiError(`seed: ${what} to ${this.name}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
  }

  private async fetchToken(challenge: string, what: string): Promise<string> {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!params["realm"]) throw new RegistryApiError(`seed: ${what} to ${this.name}: Bearer challenge without realm`);
    const url = new URL(params["realm"]);
    if (params["service"]) url.searchParams.set("service", params["service"]);
    url.searchParams.set("scope", `repository:${this.repository}:pull,push,delete`);
    const response = await fetch(url, { headers: this.authorization ? { authorization: this.authorization } : {} }).catch((error: Error) => {
      throw new RegistryApiError(`seed: ${what} to ${this.name}: token service ${url.origin}: ${error.message}`);
    });
    const text = await response.text();
    if (!response.ok) throw new RegistryApiError(`seed: ${what} to ${this.name}: token service answered ${response.status}`, response.status, "UNAUTHORIZED");
    const token = (JSON.parse(text) as { token?: string; access_token?: string });
    return `Bearer ${token.token ?? token.access_token ?? ""}`;
  }
}

/** The first entry of the registry's `{"errors":[{code,message}]}` body, if it has one. */
function parseRegistryError(body: string): { code: string; message: string } | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = parsed.errors?.[0];
    if (first && typeof first.code === "string") return { code: first.code, message: String(first.message ?? "") };
  } catch {
    // not JSON: the status alone says enough
  }
  return undefined;
}
