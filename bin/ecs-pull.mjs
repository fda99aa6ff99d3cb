#!/usr/bin/env node
// The `ecs-pull` command. In a checkout it runs the TypeScript sources through tsx (no build step). The published
// package has no sources: it runs dist/ecs-pull.cjs, the whole command bundled into one file (scripts/bundle-cli.mjs),
// with V8's compiled code kept between runs (bin/compile-cache.mjs); dist/cli/main.js is the unbundled fallback.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The pinned AWS SDK supports Node 20; its notice about future releases is noise in a command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const sources = new URL("../cli/main.ts", import.meta.url);
const bundle = fileURLToPath(new URL("../dist/ecs-pull.cjs", import.meta.url));
if (existsSync(sources)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(sources.href);
} else if (existsSync(bundle)) {
  const { runBundle } = await import("./compile-cache.mjs");
  runBundle(bundle);
} else {
  await import(new URL("../dist/cli/main.js", import.meta.url).href);
}
