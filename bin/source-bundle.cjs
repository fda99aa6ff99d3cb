// A checkout starts from a bundle too: the command bundled from this checkout's sources (scripts/bundle-cli.mjs)
// into .runtime/cli-bundle on the first run, and reused while the sources match it. What "match" means: a hash of
// every source file's path, size and modification time (and of package.json, the lockfile and the bundler), kept
// beside the bundle; any edit changes it and the next run builds again (~2-5 s). The bundle's module URLs point at
// the checkout itself, so the catalogue, the teaching page and .runtime are the checkout's own.
// Never an error: when the build cannot be made (no esbuild, a read-only checkout) the caller runs the sources
// through tsx as before. ECS_PULL_FROM_SOURCES=1 always runs the sources.
"use strict";
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

/** The folders and files the command is built from (ui/web is the page's own sources, built by vite). */
const SOURCE_DIRS = ["agent-sim", "aws", "capture", "cli", "emulator", "registry-fixture", "scenarios", "stack", "ui/server"];
const SOURCE_FILES = ["index.ts", "ui/protocol.ts", "package.json", "package-lock.json", "scripts/bundle-cli.mjs", "bin/source-bundle.cjs"];
const STAMP = "sources.sha1";
const SOURCE_FILE = /\.(ts|json|yaml)$/;

function sourcesHash(root) {
  const hash = createHash("sha1");
  hash.update(`${process.version}\n`);
  const add = (rel) => {
    try {
      const { size, mtimeMs } = statSync(join(root, rel));
      hash.update(`${rel}\0${size}\0${mtimeMs}\n`);
    } catch {
      hash.update(`${rel}\0-\n`);
    }
  };
  // A walk by hand rather than readdirSync's `recursive` (implemented in JavaScript on Node 20, and it lists
  // every entry as a path string first): this runs at every start from a checkout.
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.isDirectory()) walk(`${dir}/${entry.name}`);
      else if (SOURCE_FILE.test(entry.name)) add(`${dir}/${entry.name}`);
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  for (const file of SOURCE_FILES) add(file);
  return hash.digest("hex");
}

const readStamp = (dir) => {
  try {
    return readFileSync(join(dir, STAMP), "utf8");
  } catch {
    return undefined;
  }
};

/** The checkout's bundle entry (built now if the sources changed), or undefined to run the sources instead. */
function sourceBundle(root) {
  if (process.env.ECS_PULL_FROM_SOURCES === "1") return undefined;
  try {
    const dir = join(root, ".runtime/cli-bundle");
    const key = sourcesHash(root);
    const ready = () => readStamp(dir) === key && existsSync(join(dir, "ecs-pull.cjs"));
    if (ready()) return join(dir, "ecs-pull.cjs");
    // Many first runs at once (a test suite right after an edit): one builds, the others wait for it (a lock
    // directory, mkdir being atomic; one older than a minute is a crashed builder's), then use its bundle.
    const lock = join(root, ".runtime/cli-bundle.lock");
    mkdirSync(join(root, ".runtime"), { recursive: true });
    let locked = false;
    for (const until = Date.now() + 60_000; !locked && Date.now() < until; ) {
      try {
        mkdirSync(lock);
        locked = true;
      } catch {
        if (ready()) return join(dir, "ecs-pull.cjs");
        try {
          if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { recursive: true, force: true });
        } catch {
          // gone meanwhile
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
    }
    if (!locked) return undefined;
    try {
      return ready() ? join(dir, "ecs-pull.cjs") : build(root, dir, key, ready);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  } catch {
    return undefined;
  }
}

/** Builds the bundle beside its place (the same depth: the module URLs are relative), then renames it into place. */
function build(root, dir, key, ready) {
  const building = join(root, `.runtime/cli-bundle.tmp-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  // Loaded here, not at the top: most runs find the bundle ready and never build (child_process costs ~4 ms to load).
  const built = require("node:child_process").spawnSync(process.execPath, [join(root, "scripts/bundle-cli.mjs"), building, "../.."], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  if (built.status !== 0) {
    rmSync(building, { recursive: true, force: true });
    return undefined;
  }
  writeFileSync(join(building, STAMP), key);
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return ready() ? join(dir, "ecs-pull.cjs") : undefined;
}

module.exports = { sourceBundle, sourcesHash };
