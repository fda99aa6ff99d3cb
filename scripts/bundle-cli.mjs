// Bundles the `ecs-pull` command into one CommonJS file, dist/ecs-pull.cjs, for the published package: Node then
// reads one file instead of resolving and compiling ~1,500 modules (the AWS SDK, dockerode, zod) on every start,
// and bin/ecs-pull.mjs can keep V8's compiled code for that one file between runs (see bin/compile-cache.mjs).
// Used by scripts/build.mjs; esbuild does the bundling (it is already installed, as tsx's own compiler).
import { readFile } from "node:fs/promises";
import { dirname, relative } from "node:path";
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
 * first call: a third of dockerode's start-up, for nothing on a unix socket or tcp://.
 */
const LAZY = [
  { importer: /[/\\]docker-modem[/\\]lib[/\\]modem\.js$/, request: "./ssh" },
  { importer: /[/\\]dockerode[/\\]lib[/\\]docker\.js$/, request: "./session" },
];
const lazyTransports = {
  name: "ecs-pull-lazy-transports",
  setup(b) {
    b.onResolve({ filter: /^\.\/(ssh|session)$/ }, (args) => {
      if (!LAZY.some((l) => l.importer.test(args.importer) && l.request === args.path)) return undefined;
      return { path: `${dirname(args.importer)}/${args.path.slice(2)}.js`, namespace: "ecs-pull-lazy" };
    });
    b.onLoad({ filter: /.*/, namespace: "ecs-pull-lazy" }, (args) => ({
      contents: `module.exports = function () { return require(${JSON.stringify(args.path)}).apply(this, arguments); };`,
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

/** Writes `outfile` (default dist/ecs-pull.cjs); the data files it reads must sit beside it as scripts/build.mjs puts them. */
export async function bundleCli({ outfile = `${ROOT}/dist/ecs-pull.cjs` } = {}) {
  await build({
    entryPoints: [`${ROOT}/cli/main.ts`],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    conditions: ["ecs-pull-source"],
    // Native addons stay files; testcontainers (the registry:2 container path) and vite load from node_modules when used.
    external: ["*.node", "testcontainers", "vite"],
    plugins: [moduleUrls, lazyTransports],
    banner: {
      js: 'const __ecsPullModuleUrl = (p) => require("node:url").pathToFileURL(require("node:path").join(__dirname, p)).href;',
    },
    keepNames: true,
    legalComments: "eof",
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleCli(process.argv[2] ? { outfile: process.argv[2] } : {});
}
