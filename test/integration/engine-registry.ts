// Test support for the engine tests: a real authenticated registry (Debian's `docker-registry` binary with a
// bcrypt htpasswd, on 127.0.0.1) and a tiny image pushed through the registry's HTTP API. Kept small and local
// so the engine tests depend only on the registry itself; the project's full fixture is registry-fixture/.
import bcrypt from "bcryptjs";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const REGISTRY_BIN = process.env["ECS_PULL_REGISTRY_BIN"] ?? "/usr/bin/docker-registry";
const MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";
const STARTUP_TIMEOUT_MS = 15_000;

export interface PushedImage {
  /** `127.0.0.1:<port>/<repository>:<tag>` */
  reference: string;
  layerDigest: string;
}

export interface TestRegistry {
  /** `127.0.0.1:<port>`, the registry part of an image reference. */
  address: string;
  url: string;
  /** Pushes a one-layer image. */
  pushImage(repository: string, tag: string): Promise<PushedImage>;
  /** Deletes a blob, leaving manifests that name it broken (a pull then fails mid-stream). */
  deleteBlob(repository: string, digest: string): Promise<void>;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (for "registry down"). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startTestRegistry(user: { username: string; password: string }): Promise<TestRegistry> {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(`${REGISTRY_BIN} is missing: run \`npm run env:up\` (installs Debian's docker-registry)`);
  }
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-engine-registry-"));
  const port = await freePort();
  writeFileSync(join(dir, "htpasswd"), `${user.username}:${bcrypt.hashSync(user.password, 5)}\n`);
  writeFileSync(
    join(dir, "config.yml"),
    [
      "version: 0.1",
      "log: { level: error }",
      `storage: { filesystem: { rootdirectory: ${join(dir, "data")} }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port} }`,
      `auth: { htpasswd: { realm: ecs-pull-test, path: ${join(dir, "htpasswd")} } }`,
      "",
    ].join("\n"),
  );
  const child = spawn(REGISTRY_BIN, ["serve", join(dir, "config.yml")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child).finally(() => rmSync(dir, { recursive: true, force: true }));
  try {
    await waitForRegistry(url, child, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  const authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}`;
  return {
    address: `127.0.0.1:${port}`,
    url,
    pushImage: (repository, tag) => pushTinyImage(url, authorization, repository, tag),
    deleteBlob: async (repository, digest) => {
      const res = await fetch(`${url}/v2/${repository}/blobs/${digest}`, { method: "DELETE", headers: { authorization } });
      if (res.status !== 202) throw new Error(`deleting blob ${digest}: HTTP ${res.status}`);
    },
    stop,
  };
}

async function waitForRegistry(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr()}`);
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry did not answer within ${STARTUP_TIMEOUT_MS} ms: ${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

const sha256 = (data: Buffer): string => `sha256:${createHash("sha256").update(data).digest("hex")}`;

/** A tar archive holding one small file (ustar header written by hand: no tar package needed). */
function tarWithOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, "utf8");
  header.write("0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(content.length.toString(8).padStart(11, "0") + "\0", 124);
  header.write("00000000000\0", 136);
  header.write("        ", 148); // checksum field counts as spaces while summing
  header.write("0", 156);
  header.write("ustar\0", 257);
  header.write("00", 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  const padded = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  content.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

async function pushTinyImage(url: string, authorization: string, repository: string, tag: string): Promise<PushedImage> {
  const tar = tarWithOneFile("hello.txt", Buffer.from(`hello from ${repository}:${tag}\n`));
  const layer = gzipSync(tar);
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: { Cmd: ["/hello"] },
      rootfs: { type: "layers", diff_ids: [sha256(tar)] },
    }),
  );
  const base = `${url}/v2/${repository}`;
  for (const blob of [layer, config]) {
    const start = await fetch(`${base}/blobs/uploads/`, { method: "POST", headers: { authorization } });
    if (start.status !== 202) throw new Error(`starting a blob upload: HTTP ${start.status}`);
    const location = new URL(start.headers.get("location")!, url);
    location.searchParams.set("digest", sha256(blob));
    const put = await fetch(location, {
      method: "PUT",
      headers: { authorization, "content-type": "application/octet-stream" },
      body: blob,
    });
    if (put.status !== 201) throw new Error(`uploading a blob: HTTP ${put.status}`);
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_V2,
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: config.length, digest: sha256(config) },
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: layer.length, digest: sha256(layer) }],
  });
  const put = await fetch(`${base}/manifests/${tag}`, {
    method: "PUT",
    headers: { authorization, "content-type": MANIFEST_V2 },
    body: manifest,
  });
  if (put.status !== 201) throw new Error(`pushing the manifest: HTTP ${put.status}`);
  return { reference: `${url.replace("http://", "")}/${repository}:${tag}`, layerDigest: sha256(layer) };
}
