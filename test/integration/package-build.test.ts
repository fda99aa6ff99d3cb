// The published form of the package: scripts/build.mjs compiles to JavaScript + declarations that plain Node runs
// (no tsx), with the data files the modules read beside themselves. What `npm pack` ships.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = ".runtime/build-test";

test("build: plain Node imports the library entry and runs the CLI from the compiled output", { timeout: 180_000 }, () => {
  rmSync(`${ROOT}/${OUT}`, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, ["scripts/build.mjs", OUT], { cwd: ROOT, stdio: "pipe" });
    assert.ok(existsSync(`${ROOT}/${OUT}/index.d.ts`), "type declarations are emitted");
    // A child without tsx and without the source condition: exactly what a user of the package gets.
    const env = { ...process.env, NODE_OPTIONS: "" };
    const exported = execFileSync(
      process.execPath,
      ["--input-type=module", "-e", `const m = await import(${JSON.stringify(`${ROOT}/${OUT}/index.js`)}); console.log(Object.keys(m).sort().join(","));`],
      { env, encoding: "utf8" },
    ).trim().split(",");
    for (const name of ["PullAuthStack", "runTask", "startEmulator", "createEmulator", "RegistryFixture", "doctor"]) assert.ok(exported.includes(name), name);
    const shown = execFileSync(process.execPath, [`${ROOT}/${OUT}/cli/main.js`, "scenario", "show", "ok-basic"], { env, encoding: "utf8" });
    assert.match(shown, /ok-basic/);
  } finally {
    rmSync(`${ROOT}/${OUT}`, { recursive: true, force: true });
  }
});
