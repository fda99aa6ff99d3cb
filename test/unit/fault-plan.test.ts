// The fault plan's rules (match, "first N then recover", caps) and the proxy against a tiny local HTTP target:
// answers, body cuts and trickles, hangs capped, refused connections, and stop() leaving nothing behind.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { FaultPlan, FaultPlanError, MAX_FAULT_MS, faults, matches } from "../../registry-fixture/fault-plan.ts";
import { DOCKER_HUB_RATE_LIMIT_BODY, THROTTLING } from "../../registry-fixture/fault-bodies.ts";
import { FaultProxy } from "../../registry-fixture/fault-proxy.ts";

describe("fault plan", () => {
  it("matches by method and path (substring or RegExp)", () => {
    assert.equal(matches({ method: "GET", path: "/blobs/" }, "GET", "/v2/a/blobs/sha256:1"), true);
    assert.equal(matches({ method: ["HEAD", "GET"] }, "POST", "/"), false);
    assert.equal(matches({ path: /manifests\/v1$/ }, "HEAD", "/v2/a/manifests/v1"), true);
    assert.equal(matches(undefined, "PUT", "/x"), true);
  });

  it("first N matching requests fail, then the target answers (recovery)", () => {
    const plan = new FaultPlan([faults.awsThrottling(2)]);
    assert.equal(plan.decide("POST", "/")?.rule, "throttling");
    assert.equal(plan.decide("POST", "/")?.rule, "throttling");
    assert.equal(plan.decide("POST", "/"), undefined);
    assert.deepEqual(plan.stats(), [{ name: "throttling", matched: 3, applied: 2 }]);
  });

  it("the first rule with times left wins", () => {
    const plan = new FaultPlan([faults.status(503, "", undefined, 1), faults.rateLimited({})]);
    assert.equal(plan.decide("GET", "/v2/")?.rule, "status 503");
    assert.equal(plan.decide("GET", "/v2/")?.rule, "rate limited");
  });

  it("refuses delays above the cap and nonsense", () => {
    assert.throws(() => new FaultPlan([faults.hang(MAX_FAULT_MS + 1)]), FaultPlanError);
    assert.throws(() => new FaultPlan([faults.delay(-1)]), FaultPlanError);
    assert.throws(() => new FaultPlan([faults.slowBody(0, 10)]), FaultPlanError);
    assert.throws(() => new FaultPlan([faults.status(99)]), FaultPlanError);
  });
});

describe("fault proxy against a local target", () => {
  let target: Server;
  let targetUrl: string;
  const body = Buffer.alloc(20_000, 7);
  before(async () => {
    target = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length });
      res.end(body);
    });
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    const address = target.address();
    targetUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  after(() => new Promise<void>((resolve) => target.close(() => resolve())));

  it("forwards untouched, answers 429 with Docker Hub's body, Secrets Manager throttling with a request id", async () => {
    await using proxy = await FaultProxy.start({
      target: targetUrl,
      faults: [faults.rateLimited({ path: "/v2/" }, 1), faults.awsThrottling(1, { method: "POST" })],
    });
    assert.equal((await fetch(`${proxy.url}/ok`).then((r) => r.arrayBuffer())).byteLength, body.length);
    const limited = await fetch(`${proxy.url}/v2/a/manifests/v1`);
    assert.equal(limited.status, 429);
    assert.equal(await limited.text(), DOCKER_HUB_RATE_LIMIT_BODY);
    const throttled = await fetch(proxy.url, { method: "POST", body: "{}" });
    assert.equal(throttled.status, THROTTLING.status);
    assert.match(throttled.headers.get("x-amzn-requestid") ?? "", /^[0-9a-f-]{36}$/);
    assert.deepEqual(JSON.parse(await throttled.text()), { __type: "ThrottlingException", message: "Rate exceeded" });
    assert.equal((await fetch(`${proxy.url}/v2/a/manifests/v1`)).status, 200, "recovered after 1");
  });

  it("cuts a body after N bytes; trickles a body; a hang ends at its cap", async () => {
    await using proxy = await FaultProxy.start({
      target: targetUrl,
      faults: [
        faults.resetBlob("sha256:cut", 1000),
        faults.slowBody(5000, 20, { path: "/slow" }),
        faults.hang(300, { path: "/hang" }),
      ],
    });
    const cut = await fetch(`${proxy.url}/v2/a/blobs/sha256:cut`);
    await assert.rejects(cut.arrayBuffer());
    const started = Date.now();
    assert.equal((await fetch(`${proxy.url}/slow`).then((r) => r.arrayBuffer())).byteLength, body.length);
    assert.ok(Date.now() - started >= 60, "four chunks, 20 ms apart");
    const hangStarted = Date.now();
    await assert.rejects(fetch(`${proxy.url}/hang`));
    const held = Date.now() - hangStarted;
    assert.ok(held >= 250 && held < 5000, `held ${held} ms`);
  });

  it("refuses connections until reopened; stop() is idempotent", async () => {
    const proxy = await FaultProxy.start({ target: targetUrl, refuseConnections: true });
    const refused = await fetch(`${proxy.url}/`).catch((e: { cause?: { code?: string } }) => e.cause?.code);
    assert.equal(refused, "ECONNREFUSED");
    await proxy.reopen();
    assert.equal((await fetch(`${proxy.url}/`)).status, 200);
    await proxy.stop();
    await proxy.stop();
    assert.equal(proxy.stats().requests, 1);
  });
});
