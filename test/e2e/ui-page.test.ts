// The teaching page in headless Chromium: run cred-missing-suffix, see the IAM step fail with the deciding statement
// highlighted in the policy, fix the Resource (-??????) in the editable box, run again and see RUNNING next to the
// previous STOPPED; the permalink keeps the edit; the page at phone width. Screenshots in test-artifacts/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, launchBrowser, startPageServer } from "../support/ui-browser.ts";

const POLICY = "role/ecsTaskExecutionRole/inline/read-registry-creds";

test("ui: cred-missing-suffix fails at the IAM decision, the fix makes it RUNNING", { timeout: 240_000 }, async () => {
  await using server = await startPageServer();
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(90_000);
    await page.goto(`${server.url}/ui/#s=cred-missing-suffix`);
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(await page.inputValue("#scenario"), "cred-missing-suffix");
    // The world: names only.
    const world = await page.textContent("#world");
    assert.match(world ?? "", /registry\/creds/);
    assert.match(world ?? "", /JSON with keys username, password/);
    assert.match(world ?? "", /users: alice/);

    // Run with the keyboard.
    await page.focus("#run");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".result.current[data-result=STOPPED]");
    assert.equal(await page.getAttribute('[data-node="iam"]', "data-status"), "failed");
    assert.equal(await page.getAttribute('[data-node="assume-role"]', "data-status"), "ok");
    assert.equal(await page.getAttribute('[data-node="pull"]', "data-status"), "idle");
    const mark = await page.textContent(`[data-policy-id="${POLICY}"] mark`);
    assert.match(mark ?? "", /"Resource": "arn:aws:secretsmanager:\{region\}:\{account\}:secret:registry\/creds"/);
    const outcome = await page.textContent("#outcome");
    assert.match(outcome ?? "", /is not authorized to perform: secretsmanager:GetSecretValue/);
    assert.match(outcome ?? "", /cred-missing-suffix/);
    assert.match(outcome ?? "", /-\?\?\?\?\?\?/);
    await page.screenshot({ path: join(ARTIFACTS, "ui-1280-failed.png"), fullPage: true });

    // Fix the Resource in the editable policy box and run again.
    await page.click(`[data-policy-id="${POLICY}"] button.edit`);
    const box = page.locator(`[data-policy-id="${POLICY}"] textarea`);
    const text = await box.inputValue();
    const fixed = text.replace('secret:registry/creds"', 'secret:registry/creds-??????"');
    assert.notEqual(fixed, text, "the Resource to fix is in the box");
    await box.fill(fixed);
    await page.waitForFunction("location.hash.includes('e=')", undefined, { timeout: 10_000 });
    await page.click("#run");
    await page.waitForSelector(".result.current[data-result=RUNNING]");
    assert.equal(await page.getAttribute('[data-node="iam"]', "data-status"), "ok");
    assert.equal(await page.getAttribute('[data-node="pull"]', "data-status"), "ok");
    assert.equal(await page.getAttribute('[data-node="start"]', "data-status"), "ok");
    assert.ok(await page.locator(".result.previous[data-result=STOPPED]").count(), "the previous outcome is shown beside the new one");
    assert.match((await page.textContent(".difference")) ?? "", /STOPPED → this run: RUNNING/);
    assert.ok((await page.locator(".layer").count()) >= 1, "per-layer progress was shown");
    await page.screenshot({ path: join(ARTIFACTS, "ui-1280-fixed.png"), fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    const wide = (await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) as number;
    assert.ok(wide <= 0, `no horizontal scrolling at 375px after two runs (overflow ${wide}px)`);
    await page.screenshot({ path: join(ARTIFACTS, "ui-375-fixed.png"), fullPage: true });

    // The permalink opens the scenario with the edit in place.
    const link = page.url();
    const again = await browser.context.newPage();
    await again.setViewportSize({ width: 375, height: 800 });
    await again.goto(link);
    await again.waitForSelector("body[data-ready=true]");
    assert.match((await again.textContent(`[data-policy-id="${POLICY}"] pre`)) ?? "", /registry\/creds-\?\?\?\?\?\?/);
    const overflow = (await again.evaluate("document.documentElement.scrollWidth - window.innerWidth")) as number;
    assert.ok(overflow <= 0, `no horizontal scrolling at 375px (overflow ${overflow}px)`);
    await again.screenshot({ path: join(ARTIFACTS, "ui-375-permalink.png"), fullPage: true });
  } finally {
    await browser.close();
  }
});
