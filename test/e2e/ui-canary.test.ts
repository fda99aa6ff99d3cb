// A canary secret value and registry password never reach the page: not in the HTML, not in any API response,
// not in the run's server-sent events, during a run of a scenario whose secret holds the canary (in a browser,
// and again over plain HTTP for the event stream).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, startPageServer } from "../support/ui-browser.ts";

const CANARY = "canary-Ui-5f19c2e7";

const scenario = `id: ui-canary
title: "The canary: the secret and the registry password are a marker that must never be sent"
section: works
situation: "ok-basic with a marker password."
fix: "Nothing to fix."
world:
  registry:
    users: [{ username: alice, password: ${CANARY} }]
    images: [{ repository: team/app, tag: v1 }]
  secrets:
    - name: registry/creds
      value: { username: alice, password: ${CANARY} }
  roles:
    - name: ecsTaskExecutionRole
      inline:
        read-registry-creds:
          Version: "2012-10-17"
          Statement: [{ Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: "{secretArn:registry/creds}" }]
taskDefinition:
  family: ui-canary
  executionRoleArn: "{roleArn:ecsTaskExecutionRole}"
  containerDefinitions:
    - name: app
      image: "{image:team/app:v1}"
      essential: true
      repositoryCredentials: { credentialsParameter: "{secretArn:registry/creds}" }
expect: { result: RUNNING, exitCode: 0 }
`;

test("ui: the canary never appears in the page, an API response or the event stream", { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "ecs-pull-ui-canary-"));
  writeFileSync(join(dir, "ui-canary.yaml"), scenario);
  await using server = await startPageServer({ catalogueDir: dir });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(90_000);
    const bodies: Promise<string>[] = [];
    page.on("response", (r) => {
      if (!(r.headers()["content-type"] ?? "").includes("event-stream")) bodies.push(r.text().catch(() => ""));
    });
    await page.goto(`${server.url}/ui/#s=ui-canary`);
    await page.waitForSelector("body[data-ready=true]");
    await page.click("#run");
    await page.waitForSelector(".result.current[data-result=RUNNING]");
    const html = await page.content();
    assert.ok(!html.includes(CANARY), "the canary is in the page");
    const texts = await Promise.all(bodies);
    assert.ok(texts.some((t) => t.includes("registry/creds")), "the API responses were captured");
    for (const t of texts) assert.ok(!t.includes(CANARY), "the canary is in an API response");

    // The event stream of a second run, read raw.
    const started = await fetch(`${server.url}/ui/api/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario: "ui-canary" }) });
    assert.equal(started.status, 202);
    const { events } = (await started.json()) as { events: string };
    const stream = await (await fetch(`${server.url}${events}`)).text();
    assert.match(stream, /event: outcome/);
    assert.match(stream, /"result":"RUNNING"/);
    assert.ok(!stream.includes(CANARY), "the canary is in the event stream");
    for (const path of ["/ui/api/scenarios", "/ui/api/scenarios/ui-canary"]) {
      assert.ok(!(await (await fetch(`${server.url}${path}`)).text()).includes(CANARY), path);
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
