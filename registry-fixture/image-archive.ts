// Reads an image archive in the `docker save` format (what `docker save`, the engine's GET /images/{name}/get and
// `docker load` use): manifest.json lists each image's config file, its tags and its layer tars, by path inside the
// archive. The archive is unpacked into a temp dir under names of our own (never the archive's paths), so that a
// hostile tarball cannot write outside it; layers are read one at a time when pushed. tar-stream parses the tar.
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import { extract } from "tar-stream";
import { gzipStored } from "./layers.ts";
import { LAYER_TAR_GZIP, type ImageLayerBlob } from "./seed.ts";

/** A file that is not a docker-save archive, or one this reader cannot push; the message names the problem. */
export class ImageArchiveError extends Error {
  override readonly name = "ImageArchiveError";
}

const MANIFEST = "manifest.json";
/** manifest.json and an image config are small JSON documents; anything larger is not what we expect. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];

export interface ArchiveImage {
  /** `RepoTags` of manifest.json (may be empty: `docker save IMAGE_ID`). */
  repoTags: string[];
  /** The image config JSON, byte for byte. */
  config: Buffer;
  /** One loader per layer, bottom first: the blob to push (a plain tar is gzipped, "stored", on the way). */
  layers: Array<() => Promise<ImageLayerBlob>>;
}

export interface ImageArchive {
  images: ArchiveImage[];
  /** Removes the unpacked files. */
  dispose(): void;
}

/** Unpacks `source` (a docker-save tar stream) and reads its manifest.json. `label` names it in errors. */
export async function readImageArchive(source: Readable, label: string): Promise<ImageArchive> {
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-image-"));
  try {
    const files = await unpack(source, dir, label);
    const images = parseManifest(files, label);
    return { images, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Archive path → the file holding its bytes (symlinks resolved, as older `docker save` links repeated layers). */
async function unpack(source: Readable, dir: string, label: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const links = new Map<string, string>();
  const tar = extract();
  source.once("error", (error) => tar.destroy(error));
  source.pipe(tar);
  let index = 0;
  try {
    for await (const entry of tar) {
      const { header } = entry;
      const name = normalize(header.name);
      if (header.type === "file" || header.type === "contiguous-file") {
        const path = join(dir, String(index++));
        files.set(name, path);
        await pipeline(entry, createWriteStream(path));
        continue;
      }
      if (header.type === "symlink" && header.linkname) links.set(name, normalize(posix.join(posix.dirname(name), header.linkname)));
      entry.resume();
    }
  } catch (error) {
    source.destroy();
    throw new ImageArchiveError(`${label}: not a docker-save archive: not a readable tar (${(error as Error).message})`);
  }
  for (const [name, target] of links) {
    const path = files.get(target);
    if (path) files.set(name, path);
  }
  return files;
}

function normalize(name: string): string {
  return posix.normalize(name).replace(/^(\.\/)+/, "").replace(/^\/+/, "");
}

interface ManifestEntry {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

function parseManifest(files: Map<string, string>, label: string): ArchiveImage[] {
  const path = files.get(MANIFEST);
  if (!path) throw new ImageArchiveError(`${label}: not a docker-save archive: it has no ${MANIFEST} (make one with \`docker save IMAGE -o FILE\`)`);
  let entries: unknown;
  try {
    entries = JSON.parse(readJson(path, `${label}: ${MANIFEST}`).toString("utf8"));
  } catch (error) {
    if (error instanceof ImageArchiveError) throw error;
    throw new ImageArchiveError(`${label}: ${MANIFEST} is not JSON`);
  }
  if (!Array.isArray(entries) || entries.length === 0) throw new ImageArchiveError(`${label}: ${MANIFEST} lists no image`);
  return entries.map((entry, i) => {
    const where = `${label}: ${MANIFEST}[${i}]`;
    if (!isManifestEntry(entry)) throw new ImageArchiveError(`${where} needs Config (a path) and Layers (a list of paths)`);
    const configPath = files.get(normalize(entry.Config));
    if (!configPath) throw new ImageArchiveError(`${where}: Config ${JSON.stringify(entry.Config)} is not in the archive`);
    const layers = entry.Layers.map((layer) => {
      const layerPath = files.get(normalize(layer));
      if (!layerPath) throw new ImageArchiveError(`${where}: layer ${JSON.stringify(layer)} is not in the archive`);
      return () => Promise.resolve(layerBlob(layerPath));
    });
    return { repoTags: entry.RepoTags ?? [], config: readJson(configPath, `${where}: Config`), layers };
  });
}

function isManifestEntry(value: unknown): value is ManifestEntry {
  const v = value as Partial<ManifestEntry> | null;
  return (
    typeof v === "object" && v !== null && typeof v.Config === "string" && Array.isArray(v.Layers) && v.Layers.every((l) => typeof l === "string") &&
    (v.RepoTags === undefined || v.RepoTags === null || (Array.isArray(v.RepoTags) && v.RepoTags.every((t) => typeof t === "string")))
  );
}

function readJson(path: string, what: string): Buffer {
  if (statSync(path).size > MAX_JSON_BYTES) throw new ImageArchiveError(`${what} is larger than ${MAX_JSON_BYTES} bytes`);
  return readFileSync(path);
}

/**
 * docker save writes layers as plain tars; the registry's schema 2 manifests name gzip layers, so a plain tar goes
 * up gzipped with stored blocks (its diff_id, the sha256 of the tar, is unchanged: the image id stays the same).
 * An already-gzipped layer (some OCI tools) goes up as it is.
 */
function layerBlob(path: string): ImageLayerBlob {
  const bytes = readFileSync(path);
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) return { blob: bytes, mediaType: LAYER_TAR_GZIP };
  return { blob: gzipStored(bytes), mediaType: LAYER_TAR_GZIP };
}
