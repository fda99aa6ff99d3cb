// The teaching page built on first use: a clone has the page's sources (ui/web) but not its build
// (ui/dist, git-ignored), so the first `ecs-pull serve` (or `demo --web`) builds it with vite — about a
// second — instead of answering 503. Safe when two processes start at once: one builds under a lock directory
// (mkdir is atomic) into a temporary folder that is renamed into place, so nobody ever serves a half-built page;
// the other waits for index.html. A published package ships the page built (npm prepack) and never gets here.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const UI_VITE_CONFIG = fileURLToPath(new URL("../vite.config.ts", import.meta.url));
/** A lock older than this is a crashed builder's: taken over. A build takes ~1 s; vite's first start a few more. */
const STALE_LOCK_MS = 120_000;
const POLL_MS = 100;

export class PageBuildError extends Error {
  override readonly name = "PageBuildError";
}

const building = new Map<string, Promise<void>>();

export const isPageBuilt = (distDir: string): boolean => existsSync(join(distDir, "index.html"));

/** Resolves once `distDir/index.html` exists, building it (once per process and directory) when it does not. */
export function ensurePageBuilt(distDir: string, options: { configFile?: string; log?: (line: string) => void } = {}): Promise<void> {
  if (isPageBuilt(distDir)) return Promise.resolve();
  let pending = building.get(distDir);
  if (!pending) {
    pending = buildUnderLock(distDir, options.configFile ?? UI_VITE_CONFIG, options.log).finally(() => building.delete(distDir));
    building.set(distDir, pending);
  }
  return pending;
}

async function buildUnderLock(distDir: string, configFile: string, log?: (line: string) => void): Promise<void> {
  const lock = `${distDir.replace(/\/+$/, "")}.lock`;
  for (;;) {
    if (isPageBuilt(distDir)) return;
    if (tryLock(lock)) break;
    if (Date.now() - lockAge(lock) > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
    else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    if (isPageBuilt(distDir)) return;
    log?.(`building the teaching page (first start from a clone: vite build into ${distDir})`);
    const tmp = `${distDir.replace(/\/+$/, "")}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    let vite: typeof import("vite");
    try {
      vite = await import("vite");
    } catch {
      throw new PageBuildError("the teaching page is not built and vite is not installed: run `npm install` and `npm run build:ui`");
    }
    try {
      await vite.build({ configFile, logLevel: "warn", build: { outDir: tmp, emptyOutDir: true } });
    } catch (error) {
      rmSync(tmp, { recursive: true, force: true });
      throw new PageBuildError(`building the teaching page failed: ${(error as Error).message.split("\n")[0]}`);
    }
    rmSync(distDir, { recursive: true, force: true });
    renameSync(tmp, distDir);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** The lock's creation time (ms since the epoch); now when it vanished meanwhile. */
function lockAge(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return Date.now();
  }
}
