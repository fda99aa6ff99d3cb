// Bundles the `ecs-pull` command into a few CommonJS files for the published package: dist/ecs-pull.cjs (the command
// line, help, and what needs no library) and dist/commands/*.cjs (the commands, loaded when they run). Node then reads
// a file or two instead of resolving and compiling ~1,500 modules (the AWS SDK, dockerode, zod) on every start, and
// bin/ecs-pull.cjs keeps V8's compiled code for those files between runs (see bin/compile-cache.cjs).
// Used by scripts/build.mjs; esbuild does the bundling (it is already installed, as tsx's own compiler).
import { readFile, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Our modules find their data files with `new URL("../x", import.meta.url)`. CommonJS has no import.meta, so each
 * module gets the URL its compiled twin has under dist/ (where scripts/build.mjs copies those files too).
 */
const moduleUrls = {
  name: "ecs-pull-module-urls",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes("/node_modules/")) return undefined;
      const inDist = relative(ROOT, args.path).replace(/\.ts$/, ".js");
      const source = await readFile(args.path, "utf8");
      return { contents: source.replaceAll("import.meta.url", `__ecsPullModuleUrl(${JSON.stringify(inDist)})`), loader: "ts" };
    });
  },
};

/**
 * dockerode loads its SSH transport (ssh2) and its BuildKit session (gRPC, protobuf) when it loads, though only
 * `DOCKER_HOST=ssh://...` and image builds use them. Each becomes a function that loads the real module on its
 * first call, from the installed node_modules (resolved from dockerode, as dockerode itself would): a third of
 * dockerode's start-up, and ~1.7 MB of bundle that every start of serve, run and the world commands read, for
 * nothing on a unix socket or tcp://. `chain`: the packages to resolve from, then the module dockerode asks for.
 */
const LAZY = [
  { importer: /[/\\]docker-modem[/\\]lib[/\\]modem\.js$/, request: "./ssh", chain: ["dockerode", "docker-modem", "./ssh"] },
  { importer: /[/\\]dockerode[/\\]lib[/\\]docker\.js$/, request: "./session", chain: ["dockerode", "./session"] },
];
const lazyTransports = {
  name: "ecs-pull-lazy-transports",
  setup(b) {
    b.onResolve({ filter: /^\.\/(ssh|session)$/ }, (args) => {
      const lazy = LAZY.find((l) => l.importer.test(args.importer) && l.request === args.path);
      if (!lazy) return undefined;
      return { path: lazy.chain.join(" "), namespace: "ecs-pull-lazy" };
    });
    b.onLoad({ filter: /.*/, namespace: "ecs-pull-lazy" }, (args) => ({
      // Not a literal require: esbuild leaves it to Node at run time.
      contents: [
        'const { createRequire } = require("node:module");',
        `const chain = ${JSON.stringify(args.path.split(" "))};`,
        "let real;",
        "const load = () => chain.reduce((from, request) => createRequire(from).resolve(request), __filename);",
        "module.exports = function () { real ??= require(load()); return real.apply(this, arguments); };",
      ].join("\n"),
      loader: "js",
    }));
  },
};

/**
 * The commands, grouped by what they load. `run`/`explain` need agent-sim, the SDK and dockerode; `serve` the
 * emulator alone (its own bundle: loading a group evaluates every module its commands import, and serve's start is
 * measured against a bare Node server); the others build worlds (emulator, registry, scenarios, capture).
 * `--help`, `--version` and `run --via-server` need none: they stay in the main bundle, which loads a group only
 * when one of its commands runs.
 */
export const COMMAND_BUNDLES = {
  agent: ["run", "explain"],
  serve: ["serve"],
  world: ["demo", "scenario", "doctor", "registry-files", "registry", "diagnose", "capture"],
};

const exportName = (command) => command.replaceAll("-", "_");

/** `import("./commands/run.ts")` in cli/main.ts → the `run` namespace of the agent bundle, loaded on first use. */
const commandBundles = {
  name: "ecs-pull-command-bundles",
  setup(b) {
    const groupOf = new Map(Object.entries(COMMAND_BUNDLES).flatMap(([group, commands]) => commands.map((c) => [c, group])));
    b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.ts$/ }, (args) => {
      const command = args.path.slice("./commands/".length, -".ts".length);
      if (!/[/\\]cli[/\\]main\.ts$/.test(args.importer) || !groupOf.has(command)) return undefined;
      return { path: command, namespace: "ecs-pull-command" };
    });
    b.onLoad({ filter: /.*/, namespace: "ecs-pull-command" }, (args) => ({
      contents: `module.exports = __ecsPullLoadBundle(${JSON.stringify(`commands/${groupOf.get(args.path)}.cjs`)}).${exportName(args.path)};`,
      loader: "js",
    }));
  },
};

/**
 * Helpers every bundle starts with. `depth`: how far the bundle sits below its own root (the entry's folder).
 * `dataRoot`: where the module URLs point, relative to that root — the default, the root itself, is dist/ as
 * scripts/build.mjs lays it out; a checkout's bundle (bin/source-bundle.cjs) points them at the repository, so that
 * the catalogue, the page and .runtime are the checkout's own. A bundle is loaded through bin/compile-cache.cjs when
 * the command started there, else with plain require.
 */
function banner(depth, dataRoot) {
  const bundleRoot = depth === 0 ? "__dirname" : `require("node:path").join(__dirname, ${JSON.stringify("../".repeat(depth))})`;
  const distRoot = dataRoot === undefined ? bundleRoot : `require("node:path").join(${bundleRoot}, ${JSON.stringify(dataRoot)})`;
  return [
    `const __ecsPullDist = ${distRoot};`,
    'const __ecsPullModuleUrl = (p) => require("node:url").pathToFileURL(require("node:path").join(__ecsPullDist, p)).href;',
    `const __ecsPullBundles = ${bundleRoot};`,
    'const __ecsPullLoadBundle = (p) => (globalThis[Symbol.for("ecs-pull.loadBundle")] ?? require)(require("node:path").join(__ecsPullBundles, p));',
  ].join("\n");
}

const COMMON = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  conditions: ["ecs-pull-source"],
  // Native addons stay files; testcontainers (the registry:2 container path) and vite load from node_modules when used.
  external: ["*.node", "testcontainers", "vite"],
  keepNames: true,
  legalComments: "eof",
  logLevel: "warning",
};

/**
 * Writes `<dist>/ecs-pull.cjs` (the entry) and `<dist>/commands/<group>.cjs`; the data files they read must sit in
 * `<dist>` as scripts/build.mjs puts them, or under `dataRoot` (relative to `<dist>`) when given.
 */
export async function bundleCli({ dist = `${ROOT}/dist`, dataRoot } = {}) {
  await build({
    ...COMMON,
    entryPoints: [`${ROOT}/cli/main.ts`],
    outfile: `${dist}/ecs-pull.cjs`,
    plugins: [commandBundles, moduleUrls],
    banner: { js: banner(0, dataRoot) },
  });
  await asciiOnly(`${dist}/ecs-pull.cjs`);
  for (const [group, commands] of Object.entries(COMMAND_BUNDLES)) {
    await build({
      ...COMMON,
      stdin: {
        contents: commands.map((c) => `export * as ${exportName(c)} from "./${c}.ts";`).join("\n"),
        resolveDir: `${ROOT}/cli/commands`,
        sourcefile: `${group}-commands.ts`,
        loader: "ts",
      },
      outfile: `${dist}/commands/${group}.cjs`,
      plugins: [moduleUrls, lazyTransports],
      banner: { js: banner(1, dataRoot) },
    });
    await asciiOnly(`${dist}/commands/${group}.cjs`);
  }
}

/**
 * esbuild escapes what is not ASCII in strings but keeps it in comments and regular expressions; one such character
 * makes Node hold the whole bundle as a two-byte string and bin/compile-cache.cjs decode it as UTF-8 (~30-60 ms for
 * the agent bundle). Escaped (\uXXXX, the same character in a regular expression or a comment), the file is ASCII.
 */
async function asciiOnly(file) {
  const text = await readFile(file, "utf8");
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return;
  // eslint-disable-next-line no-control-regex
  await writeFile(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // node scripts/bundle-cli.mjs [DIST [DATA_ROOT]]
  await bundleCli({ ...(process.argv[2] && { dist: process.argv[2] }), ...(process.argv[3] && { dataRoot: process.argv[3] }) });
}
