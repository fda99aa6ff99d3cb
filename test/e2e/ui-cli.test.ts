// `ecs-pull serve` serves the teaching page at /ui/ (and says where); `ecs-pull demo --web` starts it and prints the URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { ensureUiBuilt } from "../support/ui-browser.ts";

/** Starts the CLI, waits for a line with the page's URL, fetches it, stops the CLI. */
async function pageUrlOf(args: string[]): Promise<{ url: string; html: string; status: number }> {
  ensureUiBuilt();
  const child = spawn(process.execPath, ["bin/ecs-pull.cjs", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`no page URL within 30 s:\n${out}`)), 30_000);
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/ui\/)\S*/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}:\n${out}`)));
    });
    const res = await fetch(url);
    return { url, html: await res.text(), status: res.status };
  } finally {
    child.kill("SIGINT");
  }
}

test("serve: the teaching page at /ui/ on 127.0.0.1", { timeout: 60_000 }, async () => {
  const r = await pageUrlOf(["serve", "--port", "0"]);
  assert.equal(r.status, 200);
  assert.match(r.html, /<title>ecs-pull/);
  assert.doesNotMatch(r.html, /https?:\/\/(?!127\.0\.0\.1)[a-z]/i, "no CDN or remote asset");
});

test("demo --web: prints the page's URL and serves it", { timeout: 60_000 }, async () => {
  const r = await pageUrlOf(["demo", "--web"]);
  assert.match(r.url, /#s=cred-missing-suffix$/);
  assert.equal(r.status, 200);
});
