// `ecs-pull serve` from a fresh clone: the teaching page is not built (ui/dist is git-ignored), and the first
// visit builds it (ui/server/build-page.ts) instead of answering 503; serve itself builds nothing at start. The clone is this working tree's
// files as git lists them (tracked and untracked, nothing ignored: no dist/), with the checkout's node_modules.
// Two servers started at once from that clone both serve the page: one builds under the lock, the other waits.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { UI_DIST_DIR } from "../../ui/server/index.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Where the page is built, relative to the repository (ui/dist). */
const DIST = relative(ROOT, UI_DIST_DIR);
let clone: string;

before(() => {
  clone = mkdtempSync(join(tmpdir(), "ecs-pull-clone-"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(ROOT, file), join(clone, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"));
  assert.ok(!existsSync(join(clone, DIST)), "the clone must start without the built page");
});
after(() => rmSync(clone, { recursive: true, force: true }));

/** `ecs-pull serve --port 0` in the clone; resolves with its URL. */
function serve(): Promise<{ url: string; output(): string; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(clone, "bin/ecs-pull.cjs"), "serve", "--port", "0"], { cwd: clone, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`serve printed no URL: ${out}`))), 60_000);
    const stop = () => new Promise<void>((done) => (child.exitCode !== null ? done() : (child.once("close", () => done()), child.kill("SIGTERM"))));
    const onData = (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, output: () => out, stop });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
  });
}

/** GET /ui/ → 200 HTML; every script and stylesheet it names → 200 with its type. */
async function assertPageServed(url: string): Promise<void> {
  const page = await fetch(`${url}/ui/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  const html = await page.text();
  const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(scripts.length > 0, `no script in the page:\n${html}`);
  for (const src of scripts) {
    const script = await fetch(new URL(src, `${url}/ui/`));
    assert.equal(script.status, 200, src);
    assert.match(script.headers.get("content-type") ?? "", /javascript/);
    assert.ok((await script.text()).length > 100, `${src} is empty`);
  }
}

test("serve from a fresh clone: /ui/ answers 200 with the page's scripts, built on the first visit; two at once share one build", { timeout: 180_000 }, async () => {
  const servers = await Promise.all([serve(), serve()]);
  try {
    await Promise.all(servers.map((s) => assertPageServed(s.url)));
    const said = servers.map((s) => s.output()).join("\n");
    assert.doesNotMatch(said, /503|not built/);
    assert.equal(said.split("building the teaching page").length - 1, 1, `one build, under the lock:\n${said}`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  assert.ok(existsSync(join(clone, DIST, "index.html")));
  // Neither the lock nor a builder's temporary folder is left behind.
  assert.deepEqual(readdirSync(dirname(join(clone, DIST))).filter((f) => f.startsWith("dist.")), []);

  // A later start finds the page built and does not build again.
  const again = await serve();
  try {
    await assertPageServed(again.url);
    assert.doesNotMatch(again.output(), /building the teaching page/);
  } finally {
    await again.stop();
  }
});
