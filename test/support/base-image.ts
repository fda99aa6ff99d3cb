// A base image made from this machine's own Node (no Docker Hub here): `docker import` of node, /bin/sh and the
// libraries ldd lists. Built once per engine and kept (cached) for the next run; used by the emulator image test
// (test/integration/image-emulator.test.ts) and by tests that need any runnable image (the doctor's LocalStack test).
import { execFile } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "../../agent-sim/adapters/engine/index.ts";

const run = promisify(execFile);
export const BASE_IMAGE = "ecs-pull/node-base:local";

/** Imports BASE_IMAGE into the engine at DOCKER_HOST unless it is there. */
export async function ensureBaseImage(): Promise<string> {
  if (await run("docker", ["image", "inspect", BASE_IMAGE]).then(() => true, () => false)) return BASE_IMAGE;
  mkdirSync(join(PROJECT_ROOT, ".runtime"), { recursive: true });
  const work = mkdtempSync(join(PROJECT_ROOT, ".runtime", "base-image-"));
  try {
    const root = join(work, "rootfs");
    const put = (from: string, to: string = from) => {
      mkdirSync(dirname(join(root, to)), { recursive: true });
      copyFileSync(from, join(root, to));
      chmodSync(join(root, to), 0o755);
    };
    for (const binary of [process.execPath, "/bin/sh"]) {
      const { stdout } = await run("ldd", [binary]);
      for (const match of stdout.matchAll(/(\/\S+\.so[.\d]*)/g)) put(match[1]!);
    }
    put(process.execPath, "/usr/local/bin/node");
    put("/bin/sh", "/bin/sh");
    mkdirSync(join(root, "tmp"), { recursive: true });
    chmodSync(join(root, "tmp"), 0o1777);
    mkdirSync(join(root, "etc"), { recursive: true });
    writeFileSync(join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    await run("sh", ["-c", `tar -C "${root}" -c . | docker import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - ${BASE_IMAGE}`], { timeout: 120_000 });
    return BASE_IMAGE;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
