// The package as `npm install` lays it out (bin/, dist/, package.json; its dependencies the checkout's own
// node_modules) in .runtime/bench-package, so that benches measure the command users get: the bundled dist/ with
// its compile cache, not the TypeScript sources through tsx. `--no-build` reuses an earlier build.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGE = join(ROOT, ".runtime/bench-package");

/** Builds (unless --no-build and a build exists) and returns the installed `bin/ecs-pull.cjs`. */
export function installPackage(): string {
  if (!process.argv.includes("--no-build") || !existsSync(join(PACKAGE, "dist/ecs-pull.cjs"))) {
    rmSync(PACKAGE, { recursive: true, force: true });
    mkdirSync(PACKAGE, { recursive: true });
    execFileSync(process.execPath, [join(ROOT, "scripts/build.mjs"), ".runtime/bench-package/dist"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    cpSync(join(ROOT, "bin"), join(PACKAGE, "bin"), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(PACKAGE, "package.json"));
    symlinkSync(join(ROOT, "node_modules"), join(PACKAGE, "node_modules"));
  }
  return join(PACKAGE, "bin/ecs-pull.cjs");
}
