// The command bundles are ASCII (scripts/bundle-cli.mjs escapes what esbuild leaves in comments and regular
// expressions), so that bin/compile-cache.cjs reads them as latin1: a one-byte string, not a UTF-8 decode into a
// two-byte one. The Go duration units µs and μs (the one regular expression that had them) stay, escaped.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { isAscii } from "node:buffer";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const BUNDLER = fileURLToPath(new URL("../../scripts/bundle-cli.mjs", import.meta.url));

const dist = mkdtempSync(join(tmpdir(), "ecs-pull-bundle-ascii-"));
after(() => rmSync(dist, { recursive: true, force: true }));

describe("command bundles", { timeout: 120_000 }, () => {
  it("are ASCII, keep Go's µs and μs as escapes, and load", () => {
    execFileSync(process.execPath, [BUNDLER, dist, "."], { stdio: ["ignore", "ignore", "inherit"] });
    const files = ["ecs-pull.cjs", ...readdirSync(join(dist, "commands")).map((f) => join("commands", f))];
    assert.ok(files.includes(join("commands", "agent.cjs")));
    for (const file of files) assert.ok(isAscii(readFileSync(join(dist, file))), `${file} is not ASCII`);
    const bundle = join(dist, "commands", "agent.cjs");
    const source = readFileSync(bundle, "latin1");
    assert.match(source, /\(ns\|us\|\\u00b5s\|\\u03bcs\|ms\|s\|m\|h\)/);
    const out = execFileSync(process.execPath, ["-e", `const r = require(${JSON.stringify(bundle)}); console.log(typeof r.run.runCommand);`], { encoding: "utf8" });
    assert.equal(out.trim(), "function");
  });
});
