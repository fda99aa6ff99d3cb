// The page's API answers bad input with clear 4xx JSON (never a 500): unknown scenario, malformed JSON body,
// unknown fields, a pasted task definition or policy that is not JSON, unknown or AWS-managed policies, a launch
// context that does not exist, an edit that makes the scenario invalid, a second run while one is going.
import { test } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import request from "supertest";
import { createUiRouter } from "../../ui/server/index.ts";
import { RunManager } from "../../ui/server/runs.ts";

const POLICY = "role/ecsTaskExecutionRole/inline/read-registry-creds";
// A runner that never ends, so that the run stays in progress without Docker.
const stuck = new RunManager(() => new Promise(() => undefined));
const app = express().use("/ui", createUiRouter({ runs: stuck }));

const post = (body: unknown) => request(app).post("/ui/api/runs").set("content-type", "application/json").send(typeof body === "string" ? body : JSON.stringify(body));

test("ui api: the catalogue and a scenario's view, without secret values", async () => {
  const list = await request(app).get("/ui/api/scenarios");
  assert.equal(list.status, 200);
  assert.ok(list.body.some((s: { id: string }) => s.id === "cred-missing-suffix"));
  const view = await request(app).get("/ui/api/scenarios/ok-engine-auth");
  assert.equal(view.status, 200);
  assert.ok(!JSON.stringify(view.body).includes("alice-registry-pw"));
  assert.ok(!JSON.stringify(view.body).includes("YWxpY2U6YWxpY2UtcmVnaXN0cnktcHc="), "ECS_ENGINE_AUTH_DATA is not shown");
  assert.deepEqual(view.body.world.registry.users, ["alice"]);
});

for (const [name, body, status, pattern] of [
  ["unknown scenario", { scenario: "no-such-thing" }, 404, /no scenario "no-such-thing"/],
  ["scenario id with odd characters", { scenario: "../etc/passwd" }, 400, /scenario: a catalogue id/],
  ["malformed JSON body", "{bad", 400, /request body/],
  ["unknown field", { scenario: "cred-missing-suffix", extra: 1 }, 400, /invalid run request/],
  ["pasted task definition not JSON", { scenario: "cred-missing-suffix", edits: { taskDefinition: "{family:" } }, 400, /edits.taskDefinition: not JSON/],
  ["pasted task definition an array", { scenario: "cred-missing-suffix", edits: { taskDefinition: "[1]" } }, 400, /a task definition is a JSON object/],
  ["policy not JSON", { scenario: "cred-missing-suffix", edits: { policies: { [POLICY]: "{" } } }, 400, /not JSON/],
  ["unknown policy", { scenario: "cred-missing-suffix", edits: { policies: { "role/x/inline/y": "{}" } } }, 400, /no policy "role\/x\/inline\/y"/],
  ["launch context out of range", { scenario: "cred-missing-suffix", run: 9 }, 400, /9 is not one/],
  ["bad launch type", { scenario: "cred-missing-suffix", launch: { launchType: "LAMBDA" } }, 400, /launch.launchType/],
  ["bad version", { scenario: "cred-missing-suffix", launch: { agentVersion: "1.0; rm -rf" } }, 400, /a version/],
] as const) {
  test(`ui api: ${name} → ${status}`, async () => {
    const r = await post(body);
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.match([r.body.error, ...(r.body.issues ?? [])].join("\n"), pattern);
  });
}

test("ui api: no such run, no such route → 404 JSON", async () => {
  const r = await request(app).get("/ui/api/runs/nope/events");
  assert.equal(r.status, 404);
  assert.match(r.body.error, /no run "nope"/);
  assert.equal((await request(app).get("/ui/api/nothing")).status, 404);
});

test("ui api: a valid run is accepted (202), a second one while it runs is refused (409)", async () => {
  const first = await post({ scenario: "cred-missing-suffix", edits: { policies: { [POLICY]: '{"Version":"2012-10-17","Statement":[]}' } } });
  assert.equal(first.status, 202, JSON.stringify(first.body));
  assert.match(first.body.events, /^\/ui\/api\/runs\/[0-9a-f]+\/events$/);
  const second = await post({ scenario: "ok-basic" });
  assert.equal(second.status, 409);
  assert.match(second.body.error, /a run is in progress/);
});
