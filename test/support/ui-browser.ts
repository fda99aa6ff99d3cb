// For the teaching page's browser tests: the built page (built here when missing), the page's server in front of
// an emulator on a free loopback port, and headless Debian Chromium through playwright-core with the flags this
// closed network needs (a fresh profile each time). Screenshots go to test-artifacts/.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { startEmulator, type StartedEmulator } from "../../emulator/server.ts";
import { UI_DIST_DIR, withUi, type UiRouterOptions } from "../../ui/server/index.ts";

export const CHROMIUM = process.env.ECS_PULL_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = join(process.cwd(), "test-artifacts");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function ensureUiBuilt(): void {
  if (existsSync(join(UI_DIST_DIR, "index.html"))) return;
  const r = spawnSync("npx", ["vite", "build", "--config", "ui/vite.config.ts"], { stdio: "inherit", timeout: 120_000 });
  if (r.status !== 0) throw new Error("vite build of the teaching page failed");
}

export async function startPageServer(options: UiRouterOptions = {}): Promise<StartedEmulator> {
  ensureUiBuilt();
  return startEmulator({ port: 0, wrap: (app) => withUi(app, options) });
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "ecs-pull-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport, timeout: 60_000 });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
