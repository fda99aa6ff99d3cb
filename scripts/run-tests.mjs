#!/usr/bin/env node
// Runs every test file under test/ (or the ones given) with Node's built-in test runner through tsx.
// Node 20's runner does not discover *.test.ts by itself, so the files are listed here.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (entry.endsWith(".test.ts")) out.push(path);
  }
  return out.sort();
}

const files = process.argv.length > 2 ? process.argv.slice(2) : findTests("test");
const result = spawnSync(
  process.execPath,
  ["--conditions=ecs-pull-source", "--import", "tsx", "--test", "--test-reporter=spec", ...files],
  { stdio: "inherit", env: { ...process.env, TESTCONTAINERS_RYUK_DISABLED: "true", TESTCONTAINERS_HOST_OVERRIDE: "127.0.0.1", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } },
);
process.exit(result.status ?? 1);
