// Runs the bundled command (dist/ecs-pull.cjs) with V8's code cache kept between runs. Compiling the 7 MB bundle
// costs ~150 ms on every start; with the cache V8 deserializes the functions the last run compiled instead. Node 22
// does this by itself (module.enableCompileCache); Node 20 has only the vm.Script API underneath, used here.
// The cache is an optimisation only: a missing, stale or unwritable cache means a normal compile, never an error.
//   ECS_PULL_COMPILE_CACHE=0        no cache
//   ECS_PULL_COMPILE_CACHE=<dir>    keep it there (default: $XDG_CACHE_HOME/ecs-pull, else ~/.cache/ecs-pull)
"use strict";
const { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { isAscii } = require("node:buffer");
const Module = require("node:module");
const { homedir } = require("node:os");
const { basename, dirname, join } = require("node:path");
const { Script, constants } = require("node:vm");

const SUFFIX = ".v8cache";

/**
 * Where the cache for this bundle, this Node and this subcommand lives; undefined when turned off. One file per
 * subcommand: each holds the functions its own runs compile (`run` loads dockerode and the SDK; `--help` does not).
 */
function compileCacheFile(bundle, argv = process.argv, env = process.env) {
  const setting = env.ECS_PULL_COMPILE_CACHE;
  if (setting === "0" || setting === "off" || setting === "false") return undefined;
  const dir = setting || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "ecs-pull");
  const { size, mtimeMs } = statSync(bundle);
  const command = /^[a-z][a-z-]*$/.test(argv[2] ?? "") ? argv[2] : "main";
  const name = basename(bundle, ".cjs");
  // V8 checks the source and its own version and flags anyway; the key only keeps installs from taking turns.
  return join(dir, `${name}-${command}.${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}${SUFFIX}`);
}

function readCache(file) {
  try {
    return file ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file, script) {
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, file);
    // Caches of an earlier build of this bundle, or for another Node, are dead weight.
    const [command, key] = [basename(file).slice(0, basename(file).indexOf(".")), basename(file).slice(basename(file).indexOf("."))];
    for (const old of readdirSync(dir)) {
      if (old.startsWith(`${command}.`) && old.endsWith(SUFFIX) && !old.endsWith(key)) rmSync(join(dir, old), { force: true });
    }
  } catch {
    // Read-only home, full disk: run without a cache.
  }
}

/**
 * The bundle's text. Bundles are ASCII (scripts/bundle-cli.mjs escapes the rest): read as latin1, a 3 MB bundle
 * becomes a one-byte string in ~1 ms, where decoding UTF-8 costs 15-30 ms (a two-byte string, 45+, if a single
 * character is not ASCII). A file that is not ASCII is decoded as UTF-8, as require would.
 */
function readSource(file) {
  const bytes = readFileSync(file);
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/**
 * Loads and runs a CommonJS bundle as Node would `require` it, compiling through the cache; returns its exports.
 * The bundles load each other through the same function (scripts/bundle-cli.mjs: `__ecsPullLoadBundle`).
 */
function runBundle(bundle) {
  const loaded = bundles.get(bundle);
  if (loaded) return loaded.exports;
  const cacheFile = compileCacheFile(bundle);
  const cachedData = readCache(cacheFile);
  const script = new Script(Module.wrap(readSource(bundle)), {
    filename: bundle,
    ...(cachedData && { cachedData }),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // Written at exit, so the cache also holds every function this run compiled (most of what the next run needs).
  if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once("exit", () => writeCache(cacheFile, script));
  const module = new Module(bundle);
  module.filename = bundle;
  bundles.set(bundle, module);
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, dirname(bundle));
  module.loaded = true;
  return module.exports;
}

const bundles = new Map();
globalThis[Symbol.for("ecs-pull.loadBundle")] = runBundle;

module.exports = { compileCacheFile, runBundle };
