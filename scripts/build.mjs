#!/usr/bin/env node
// Builds the published form of the package into dist/: JavaScript + type declarations from tsc, plus the data
// files the modules read beside themselves (the scenario catalogue, the teaching page's built assets).
// The repository itself runs from the TypeScript sources (through tsx); dist/ is for `npm pack` / `npm publish`.
// The command itself is also bundled, into dist/ecs-pull.cjs and dist/commands/ (scripts/bundle-cli.mjs), for a fast start.
import { cpSync, existsSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = process.argv[2] ?? "dist";
rmSync(`${root}/${out}`, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, "-p", `${root}/tsconfig.build.json`, "--outDir", `${root}/${out}`], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const assets = ["scenarios/catalogue", "scenarios/cannot-run.yaml", "scenarios/scenario.schema.json", "ui/dist"];
for (const asset of assets) {
  if (!existsSync(`${root}/${asset}`)) {
    if (asset === "ui/dist") console.error("build: ui/dist is missing (run `npm run build:ui` first); the installed command builds it on first use when vite is installed");
    continue;
  }
  cpSync(`${root}/${asset}`, `${root}/${out}/${asset}`, { recursive: true });
}
const { bundleCli } = await import("./bundle-cli.mjs");
await bundleCli({ dist: `${root}/${out}` });
console.error(`build: ${out}/ ready`);
