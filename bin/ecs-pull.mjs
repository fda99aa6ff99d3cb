#!/usr/bin/env node
// The `ecs-pull` command. In a checkout it runs the TypeScript sources through tsx (no build step); the published
// package has no sources, only the compiled dist/ (scripts/build.mjs), which plain Node runs.
import { existsSync } from "node:fs";

// The pinned AWS SDK supports Node 20; its notice about future releases is noise in a command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const sources = new URL("../cli/main.ts", import.meta.url);
if (existsSync(sources)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(sources.href);
} else {
  await import(new URL("../dist/cli/main.js", import.meta.url).href);
}
