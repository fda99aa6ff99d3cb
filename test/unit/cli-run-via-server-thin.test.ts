// `ecs-pull run --via-server` must stay a thin client: loading cli/commands/run-via-server.ts may not load (directly
// or through anything it imports) an AWS SDK client, dockerode, zod, express, agent-sim's index or the emulator.
// A child node records every module it loads — ES modules through a resolve hook, CommonJS ones from require's
// cache — and the same harness on cli/commands/run.ts must see the heavy ones (so the recorder is known to work).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const HEAVY: [string, RegExp][] = [
  ["an AWS SDK client", /node_modules\/@aws-sdk\/client-/],
  ["dockerode", /node_modules\/dockerode\//],
  ["zod", /node_modules\/zod\//],
  ["express", /node_modules\/express\//],
  ["agent-sim/index.ts", /\/agent-sim\/index\.ts$/],
  ["the emulator", /\/emulator\//],
  // The SDK's own SigV4 signer and its smithy utilities cost ~35 ms to load; aws4 signs the one request instead.
  ["@smithy (the SDK's signer and utilities)", /node_modules\/@smithy\//],
];

// Runs in the child: the hook appends each resolved URL to the file (synchronously, so all are there once the
// import resolves); CommonJS modules required under an ES module are in require's cache.
const HOOKS = `
import { appendFileSync } from "node:fs";
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(file, result.url + "\\n");
  return result;
}`;

function modulesLoadedBy(module: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-thin-"));
  try {
    const file = join(dir, "loaded.txt");
    const script = `
      import { appendFileSync } from "node:fs";
      import { createRequire, register } from "node:module";
      register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)}, { data: { file: ${JSON.stringify(file)} } });
      await import(${JSON.stringify(pathToFileURL(join(ROOT, module)).href)});
      appendFileSync(${JSON.stringify(file)}, Object.keys(createRequire(import.meta.url).cache).join("\\n") + "\\n");`;
    const child = spawnSync(process.execPath, ["--conditions=ecs-pull-source", "--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(child.status, 0, child.stderr);
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => (line.startsWith("file:") ? fileURLToPath(line) : line).replaceAll("\\", "/"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("cli/commands/run-via-server.ts loads no AWS SDK client, dockerode, zod, express, agent-sim index or emulator", () => {
  const loaded = modulesLoadedBy("cli/commands/run-via-server.ts");
  assert.ok(loaded.some((m) => m.endsWith("/cli/commands/run-via-server.ts")), "the recorder saw nothing");
  assert.ok(loaded.some((m) => m.includes("node_modules/aws4/")), "the signer is not among the loaded modules");
  for (const [name, pattern] of HEAVY) {
    const hits = loaded.filter((m) => pattern.test(m));
    assert.deepEqual(hits, [], `run-via-server.ts loads ${name}`);
  }
});

test("the recorder sees the heavy modules of the local run (cli/commands/run.ts)", () => {
  const loaded = modulesLoadedBy("cli/commands/run.ts");
  for (const [name, pattern] of HEAVY.slice(0, 2)) assert.ok(loaded.some((m) => pattern.test(m)), `run.ts does not seem to load ${name}`);
});
