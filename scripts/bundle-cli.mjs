// Bundles the `ecs-pull` command into a few CommonJS files for the published package: dist/ecs-pull.cjs (the command
// line, help, and what needs no library) and dist/commands/*.cjs (the commands, loaded when they run). Node then reads
// a file or two instead of resolving and compiling ~1,500 modules (the AWS SDK, dockerode, zod) on every start, and
// bin/ecs-pull.cjs keeps V8's compiled code for those files between runs (see bin/compile-cache.cjs).
// Used by scripts/build.mjs; esbuild does the bundling (it is already installed, as tsx's own compiler).
import { readFile, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
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
 * Text changes to two packages as they are bundled, for what every start of `run` pays for nothing (issue 17). Exact
 * texts: when a new version of a package changes one, the build fails here rather than bundling it unchanged.
 * - @smithy/node-http-handler loads node:http2 when it loads, for its HTTP/2 handler, which the SDK's clients here
 *   never use (they send HTTP/1.1 through NodeHttpHandler); Node compiles http2 on its first require, ~9 ms. Its two
 *   top-level uses become lazy: the module loads when one of its properties is first read.
 * - docker-modem renders every Engine API request with util.inspect (all properties, any depth) for its debug log,
 *   also when that log is off (`DEBUG` unset): ~0.5 ms a call, a dozen calls a run. It renders only when it is on.
 */
const PACKAGE_PATCHES = [
  {
    file: /[/\\]@smithy[/\\]node-http-handler[/\\]dist-cjs[/\\]index\.js$/,
    replace: [
      ['const http2 = require("node:http2");', 'let http2Module; const http2 = new Proxy({}, { get: (_, key) => (http2Module ??= require("node:http2"))[key] });'],
      ["const { constants } = http2;", "const constants = new Proxy({}, { get: (_, key) => http2.constants[key] });"],
    ],
  },
  {
    file: /[/\\]docker-modem[/\\]lib[/\\]modem\.js$/,
    replace: [["  debug('Sending: %s', util.inspect(options, {", "  if (debug.enabled) debug('Sending: %s', util.inspect(options, {"]],
  },
];
const packagePatches = {
  name: "ecs-pull-package-patches",
  setup(b) {
    for (const { file, replace } of PACKAGE_PATCHES) {
      b.onLoad({ filter: file }, async (args) => {
        let contents = await readFile(args.path, "utf8");
        for (const [from, to] of replace) {
          if (contents.split(from).length !== 2) throw new Error(`bundle-cli: ${args.path} no longer has exactly one \`${from}\`; see PACKAGE_PATCHES`);
          contents = contents.replace(from, to);
        }
        return { contents, loader: "js" };
      });
    }
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

/**
 * What a group loads only on first use, in a bundle of its own beside it, so that a start neither reads nor keeps it:
 * `serve` answers Secrets Manager, IAM, STS and KMS from its own bundle, and reads `serve-later.cjs` — the ECS and
 * internal services with agent-sim, dockerode, the SDK clients and zod behind them (emulator/app.ts), and the
 * teaching page (ui/server/mount.ts) — on the first ECS call or page visit (5.4 MB → ~2 MB read at start, issue 17).
 * `modules`: the modules the group imports with `import()`; what they import from the group's own bundle (our
 * modules it already evaluated) they take from it, one copy of each, so that state and classes (`instanceof
 * AwsError`) are shared; packages both use are bundled in both.
 */
export const LATER_BUNDLES = {
  serve: { bundle: "serve-later", modules: ["emulator/services/agent-backed.ts", "ui/server/index.ts"] },
};

const SKIP = "ecs-pull-resolving";
const rel = (path) => relative(ROOT, path).split(sep).join("/");
const ownModule = (path) => !path.includes(`${sep}node_modules${sep}`) && /\.ts$/.test(path);

/** Resolves an import as esbuild would without this plugin; undefined when that fails or is not a file. */
async function resolveFile(b, args) {
  if (args.pluginData?.[SKIP]) return undefined;
  const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { [SKIP]: true } });
  return r.errors.length || r.external || r.namespace !== "file" ? undefined : r.path;
}

/** In the group's bundle: `import()` of a module of `later` → that module's namespace in the later bundle. */
function loadLater(later) {
  return {
    name: "ecs-pull-load-later",
    setup(b) {
      b.onResolve({ filter: /\.ts$/ }, async (args) => {
        if (args.kind !== "dynamic-import") return undefined;
        const path = await resolveFile(b, args);
        return path && later.modules.includes(rel(path)) ? { path: rel(path), namespace: "ecs-pull-later" } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: "ecs-pull-later" }, (args) => ({
        contents: `module.exports = __ecsPullLoadBundle(${JSON.stringify(`commands/${later.bundle}.cjs`)}).laterModules[${JSON.stringify(args.path)}];`,
        loader: "js",
      }));
    },
  };
}

/** In the later bundle: our modules the group's bundle evaluated are taken from it (`shared`); `used` collects them. */
function fromGroup(group, shared, used) {
  return {
    name: "ecs-pull-from-group",
    setup(b) {
      b.onResolve({ filter: /^[./]/ }, async (args) => {
        if (!ownModule(args.importer)) return undefined;
        const path = await resolveFile(b, args);
        if (!path || !shared.has(rel(path))) return undefined;
        used.add(rel(path));
        return { path: rel(path), namespace: "ecs-pull-group" };
      });
      b.onLoad({ filter: /.*/, namespace: "ecs-pull-group" }, (args) => ({
        contents: `module.exports = __ecsPullLoadBundle(${JSON.stringify(`commands/${group}.cjs`)}).sharedModules[${JSON.stringify(args.path)}];`,
        loader: "js",
      }));
    },
  };
}

/** Our modules a bundle evaluates when it loads: reached from `roots` by static imports (not `import()`). */
function staticOwnModules(metafile, roots) {
  const seen = new Set();
  const queue = Object.keys(metafile.inputs).filter((k) => roots.includes(k));
  while (queue.length) {
    const key = queue.pop();
    if (seen.has(key)) continue;
    seen.add(key);
    for (const i of metafile.inputs[key]?.imports ?? []) if (i.kind !== "dynamic-import" && !i.external) queue.push(i.path);
  }
  return new Set([...seen].filter((k) => ownModule(join(ROOT, k))));
}

/** `import * as m0 from …; export const <name> = { "<module>": m0, … }` */
const namespaces = (name, modules) =>
  [...modules.map((m, i) => `import * as m${i} from ${JSON.stringify(join(ROOT, m))};`), `export const ${name} = { ${modules.map((m, i) => `${JSON.stringify(m)}: m${i}`).join(", ")} };`].join("\n");

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
  // Whitespace and syntax only (names stay, and so do `keepNames`' function names): every start reads, checks and
  // copies the whole text into V8 before it runs a line, ~4 ms per MB here; this takes ~25 % off (issue 17).
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "eof",
  logLevel: "warning",
};

/**
 * Packages a group loads only with `import()` on a path most runs never take, left out of its bundle and loaded from
 * the installed node_modules when asked for (as testcontainers and vite are): `run` reads and checks its bundle on
 * every start, and these were a fifth of it (issue 17). The agent's IAM and KMS clients explain a denial
 * (agent-sim/adapters/iam-reader.ts); its STS client assumes a role on real AWS or another STS
 * (agent-sim/steps/execution-role.ts) — the emulator's own path needs neither.
 */
export const LOADED_FROM_NODE_MODULES = {
  agent: ["@aws-sdk/client-iam", "@aws-sdk/client-kms", "@aws-sdk/client-sts"],
};

/**
 * V8 keeps a script's source for as long as its functions live (lazy compilation, `toString`), as one-byte (Latin-1)
 * text when every character fits, else as two-byte text: one "→" in a comment and serve's 5.4 MB bundle took
 * 10.8 MB of every `serve`'s heap (issue 17). esbuild already escapes strings and templates; what it leaves is
 * comments and regular expression literals, where `\uXXXX` means the same character (a character past U+FFFF
 * becomes its two UTF-16 escapes, which a regular expression reads as that character too).
 */
export function asciiOnly(text) {
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

async function writeAscii(file) {
  const text = await readFile(file, "utf8");
  const ascii = asciiOnly(text);
  if (ascii !== text) await writeFile(file, ascii);
}

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
  await writeAscii(`${dist}/ecs-pull.cjs`);
  for (const [group, commands] of Object.entries(COMMAND_BUNDLES)) {
    const entry = commands.map((c) => `export * as ${exportName(c)} from "./${c}.ts";`).join("\n");
    const options = (contents, plugins) => ({
      ...COMMON,
      ...(LOADED_FROM_NODE_MODULES[group] && {
        external: [...COMMON.external, ...LOADED_FROM_NODE_MODULES[group]],
        // `import()` of them as `require`: Node's ES module loader behind a vm script warns (experimental) and costs more.
        supported: { "dynamic-import": false },
      }),
      absWorkingDir: ROOT,
      stdin: { contents, resolveDir: `${ROOT}/cli/commands`, sourcefile: `${group}-commands.ts`, loader: "ts" },
      outfile: `${dist}/commands/${group}.cjs`,
      plugins: [...plugins, moduleUrls, lazyTransports, packagePatches],
      banner: { js: banner(1, dataRoot) },
    });
    const later = LATER_BUNDLES[group];
    if (!later) {
      await build(options(entry, []));
    } else {
      // Three builds: the group's (which of our modules it evaluates), the later bundle (which of those it imports),
      // the group's again, exporting those.
      const first = await build({ ...options(entry, [loadLater(later)]), write: false, metafile: true });
      const inputs = Object.keys(first.metafile.inputs);
      const leaked = later.modules.filter((m) => inputs.includes(m));
      if (leaked.length) throw new Error(`bundle-cli: ${group} imports ${leaked.join(", ")} statically; it would be in both bundles`);
      const shared = staticOwnModules(first.metafile, commands.map((c) => `cli/commands/${c}.ts`));
      const used = new Set();
      const second = await build({
        ...COMMON,
        absWorkingDir: ROOT,
        metafile: true,
        stdin: { contents: namespaces("laterModules", later.modules), resolveDir: ROOT, sourcefile: `${later.bundle}.ts`, loader: "ts" },
        outfile: `${dist}/commands/${later.bundle}.cjs`,
        plugins: [fromGroup(group, shared, used), moduleUrls, lazyTransports, packagePatches],
        banner: { js: banner(1, dataRoot) },
      });
      // One of our modules in both bundles would be two modules (two states, two classes): only packages may be.
      const twice = Object.keys(second.metafile.inputs).filter((k) => inputs.includes(k) && ownModule(join(ROOT, k)));
      if (twice.length) throw new Error(`bundle-cli: ${twice.join(", ")} would be in both ${group} bundles (import them statically in ${group})`);
      await writeAscii(`${dist}/commands/${later.bundle}.cjs`);
      await build(options(`${entry}\n${namespaces("sharedModules", [...used].sort())}`, [loadLater(later)]));
    }
    await writeAscii(`${dist}/commands/${group}.cjs`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // node scripts/bundle-cli.mjs [DIST [DATA_ROOT]]
  await bundleCli({ ...(process.argv[2] && { dist: process.argv[2] }), ...(process.argv[3] && { dataRoot: process.argv[3] }) });
}
