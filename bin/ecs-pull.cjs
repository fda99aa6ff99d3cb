#!/usr/bin/env node
// The `ecs-pull` command. In a checkout it runs a bundle of the checkout's sources, built on the first run and
// rebuilt when they change (bin/source-bundle.cjs); failing that, the sources through tsx. The published
// package has no sources: it runs dist/ecs-pull.cjs, the command bundled (scripts/bundle-cli.mjs), with V8's
// compiled code kept between runs (bin/compile-cache.cjs); dist/cli/main.js is the unbundled fallback.
// CommonJS on purpose: an ES module entry costs every run ~10 ms of module-loader set-up before the first line.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

// The pinned AWS SDK supports Node 20; its notice about future releases is noise in a command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const sources = join(__dirname, "../cli/main.ts");
const bundle = join(__dirname, "../dist/ecs-pull.cjs");
const checkoutBundle = existsSync(sources) ? require("./source-bundle.cjs").sourceBundle(join(__dirname, "..")) : undefined;
if (checkoutBundle !== undefined) {
  // A checkout: its own bundle (bin/source-bundle.cjs), with a compile cache of its own so that it and an installed
  // copy do not evict each other's.
  process.env.ECS_PULL_COMPILE_CACHE ??= join(__dirname, "../.runtime/compile-cache");
  require("./compile-cache.cjs").runBundle(checkoutBundle);
} else if (existsSync(sources)) {
  import("tsx/esm/api").then(({ register }) => {
    register();
    return import(pathToFileURL(sources).href);
  });
} else if (existsSync(bundle)) {
  require("./compile-cache.cjs").runBundle(bundle);
} else {
  import(pathToFileURL(join(__dirname, "../dist/cli/main.js")).href);
}
