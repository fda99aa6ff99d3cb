// bin/source-bundle.cjs: a checkout's bundle is keyed by its sources — any added, removed, resized or touched
// source changes the key (so the next run builds again); files outside the sources do not.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const { sourcesHash, sourceBundle } = createRequire(import.meta.url)("../../bin/source-bundle.cjs") as {
  sourcesHash(root: string): string;
  sourceBundle(root: string): string | undefined;
};

test("the sources' key changes with every edit to a source and with nothing else", () => {
  const root = mkdtempSync(join(tmpdir(), "ecs-pull-sources-"));
  try {
    mkdirSync(join(root, "cli/commands"), { recursive: true });
    mkdirSync(join(root, "docs"), { recursive: true });
    writeFileSync(join(root, "cli/main.ts"), "export {};\n");
    writeFileSync(join(root, "package.json"), "{}\n");
    const first = sourcesHash(root);
    assert.equal(sourcesHash(root), first, "stable while nothing changes");
    writeFileSync(join(root, "docs/notes.md"), "not a source\n");
    assert.equal(sourcesHash(root), first, "a file outside the sources");
    writeFileSync(join(root, "cli/commands/new.ts"), "export const x = 1;\n");
    const added = sourcesHash(root);
    assert.notEqual(added, first, "a new source");
    writeFileSync(join(root, "cli/commands/new.ts"), "export const x = 12;\n");
    const resized = sourcesHash(root);
    assert.notEqual(resized, added, "an edited source");
    utimesSync(join(root, "cli/main.ts"), new Date(2030, 0, 1), new Date(2030, 0, 1));
    assert.notEqual(sourcesHash(root), resized, "a touched source");
    rmSync(join(root, "cli/commands/new.ts"));
    assert.notEqual(sourcesHash(root), resized, "a removed source");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("ECS_PULL_FROM_SOURCES=1 runs the sources; a checkout that cannot be bundled falls back to them", () => {
  const root = mkdtempSync(join(tmpdir(), "ecs-pull-sources-"));
  const saved = process.env.ECS_PULL_FROM_SOURCES;
  try {
    process.env.ECS_PULL_FROM_SOURCES = "1";
    assert.equal(sourceBundle(process.cwd()), undefined);
    delete process.env.ECS_PULL_FROM_SOURCES;
    // No scripts/bundle-cli.mjs here: the build fails, and the caller runs the sources through tsx.
    assert.equal(sourceBundle(root), undefined);
  } finally {
    if (saved === undefined) delete process.env.ECS_PULL_FROM_SOURCES;
    else process.env.ECS_PULL_FROM_SOURCES = saved;
    rmSync(root, { recursive: true, force: true });
  }
});
