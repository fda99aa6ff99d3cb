// Fargate >= 1.4.0 pulls (ECS-BEHAVIOR.md §7): containerd's resolve outcomes → the Fargate agent's texts, byte for
// byte, through runTask with a fake DistributionPort; and the containerd-style HTTP resolver against a local server.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { createHttpDistribution } from "../../agent-sim/adapters/distribution/http-resolver.ts";
import type { DistributionPort, ResolveFailure, ResolveResult } from "../../agent-sim/adapters/distribution/port.ts";
import { parseImageReference } from "../../agent-sim/adapters/distribution/reference.ts";
import { parseChallenges } from "../../agent-sim/adapters/distribution/challenge.ts";
import { fargateResolveFailureText } from "../../agent-sim/texts/fargate-pull.ts";
import { fastRetryPolicies, runTask, resolveLaunchContext } from "../../agent-sim/index.ts";
import { FARGATE } from "../../agent-sim/texts/agent.ts";
import { FARGATE_COMPATIBLE, FakeClock, FakeEngine, FakeSecretsManager, SECRET_ARN, engineError, privateContainer, taskDef } from "./agent-fakes.ts";

const IMAGE = "registry.example.com:5000/team/app:1.0";
const transport = { method: "HEAD" as const, url: "https://registry.example.com:5000/v2/team/app/manifests/1.0", hostPort: "10.0.0.5:5000", message: "connect ECONNREFUSED" };

const cases: [string, ResolveFailure, string][] = [
  ["401 on manifests (wrong password, or none on a Basic registry)", { kind: "status", pathParts: ["manifests", "1.0"], status: 401, statusText: "Unauthorized" },
    `CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "${IMAGE}": unexpected status code [manifests 1.0]: 401 Unauthorized`],
  ["403 → the captured ref-pull text", { kind: "status", pathParts: ["manifests", "1.0"], status: 403, statusText: "Forbidden" },
    `CannotPullContainerError: ref pull has been retried 1 time(s): failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": unexpected status code 403 Forbidden`],
  ["404 → <ref>: not found", { kind: "not-found" },
    `CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "${IMAGE}": ${IMAGE}: not found`],
  ["anonymous token refused", { kind: "token", anonymous: true, token: { kind: "status", status: 401, statusText: "Unauthorized" } },
    `CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "${IMAGE}": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized`],
  ["oauth token refused", { kind: "token", anonymous: false, token: { kind: "status", status: 401, statusText: "Unauthorized" } },
    `CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "${IMAGE}": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized`],
  ["insufficient scope", { kind: "invalid-authorization", error: "insufficient_scope" },
    `CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "${IMAGE}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`],
  ["connection refused", { kind: "transport", transport: { ...transport, code: "refused" } },
    `CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "${IMAGE}": failed to do request: Head "https://registry.example.com:5000/v2/team/app/manifests/1.0": dial tcp 10.0.0.5:5000: connect: connection refused`],
];

for (const [name, failure, text] of cases) {
  test(`text: ${name}`, () => {
    assert.equal(fargateResolveFailureText(failure, IMAGE).reason, text);
  });
}

test("§7's templates: the 401 and 403 texts are the texts.ts templates", () => {
  assert.equal(fargateResolveFailureText(cases[0]![1], IMAGE).reason, FARGATE.inspectImageRetried(IMAGE, FARGATE.manifestsUnauthorized("1.0")));
  assert.equal(fargateResolveFailureText(cases[0]![1], IMAGE).inferred, undefined);
  assert.equal(fargateResolveFailureText(cases[1]![1], IMAGE).reason, FARGATE.refPullForbidden(IMAGE));
  assert.ok(fargateResolveFailureText(cases[2]![1], IMAGE).inferred);
});

class FakeDistribution implements DistributionPort {
  calls: { image: string; username?: string }[] = [];
  constructor(private readonly answer: (image: string) => ResolveResult) {}
  async resolve(image: string, auth: { username: string } | undefined) {
    this.calls.push({ image, ...(auth ? { username: auth.username } : {}) });
    return this.answer(image);
  }
}

const GOOD = { SecretString: JSON.stringify({ username: "alice", password: "s3cret-canary-pw" }) };
async function fargateRun(distribution: DistributionPort, engine = new FakeEngine(), image = IMAGE) {
  return runTask({
    taskDefinition: taskDef([privateContainer("app", image)], FARGATE_COMPATIBLE),
    launch: resolveLaunchContext({ launchType: "FARGATE", platformVersion: "1.4.0" }),
    ports: { secretsManager: new FakeSecretsManager({ [SECRET_ARN]: GOOD }), engine, clock: new FakeClock(), distribution },
    options: fastRetryPolicies,
  });
}

test("runTask Fargate 1.4.0: resolve with repositoryCredentials, then the engine pulls; RUNNING, no warning", async () => {
  const d = new FakeDistribution((image) => ({ ok: true, ref: image, digest: "sha256:ab", mediaType: "application/vnd.docker.distribution.manifest.v2+json", size: 10, exchanges: [] }));
  const engine = new FakeEngine();
  const r = await fargateRun(d, engine);
  assert.equal(r.result, "RUNNING");
  assert.deepEqual(d.calls, [{ image: IMAGE, username: "alice" }]);
  assert.deepEqual(engine.calls.map((c) => c.op), ["pull"]);
  assert.deepEqual(r.warnings, []);
});

test("runTask Fargate 1.4.0: wrong password → the §7 text as container reason and stoppedReason, one resolve", async () => {
  const d = new FakeDistribution((image) => ({ ok: false, ref: image, exchanges: [], failure: cases[0]![1] }));
  const engine = new FakeEngine();
  const r = await fargateRun(d, engine);
  assert.equal(r.exitCode, 6);
  assert.equal(r.task?.stoppedReason, cases[0]![2]);
  assert.equal(r.task?.containers[0]?.reason, cases[0]![2]);
  assert.equal(r.diagnosis?.failureCode, "pull-bad-password");
  assert.equal(d.calls.length, 1);
  assert.equal(engine.calls.length, 0);
});

test("runTask Fargate 1.4.0: the engine's failure after a good resolve is wrapped as ref pull (inferred)", async () => {
  const d = new FakeDistribution((image) => ({ ok: true, ref: image, digest: "sha256:ab", mediaType: "", size: 1, exchanges: [] }));
  const engine = new FakeEngine({ [IMAGE]: [engineError("blob unknown to registry")] });
  const r = await fargateRun(d, engine);
  assert.equal(r.task?.stoppedReason, `CannotPullContainerError: ref pull has been retried 1 time(s): failed to pull and unpack image "${IMAGE}": blob unknown to registry`);
  assert.ok(r.inferred.some((s) => s.includes("ref-pull wrapper")));
});

test("references: containerd's normalisation", () => {
  assert.equal(parseImageReference("nginx").ref, "docker.io/library/nginx:latest");
  assert.equal(parseImageReference("nginx").endpointHost, "registry-1.docker.io");
  assert.equal(parseImageReference("index.docker.io/team/app:2").ref, "docker.io/team/app:2");
  assert.equal(parseImageReference("127.0.0.1:5000/team/app").ref, "127.0.0.1:5000/team/app:latest");
  assert.equal(parseImageReference("r.io/a@sha256:00").object, "sha256:00");
});

test("challenges: Basic and Bearer with quoted parameters", () => {
  assert.deepEqual(parseChallenges(['Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:team/app:pull"']), [
    { scheme: "bearer", parameters: { realm: "https://auth.example.com/token", service: "registry.example.com", scope: "repository:team/app:pull" } },
  ]);
  assert.deepEqual(parseChallenges(['Basic realm="Registry Realm"']), [{ scheme: "basic", parameters: { realm: "Registry Realm" } }]);
});

// The HTTP resolver against a local server that plays a registry.

async function withServer(handler: Parameters<typeof createServer>[1], body: (base: string) => Promise<void>) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  try {
    await body(`127.0.0.1:${port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;

test("resolver, Basic registry: good password resolves; wrong or none → 401 on manifests after containerd's retries", async () => {
  let requests = 0;
  await withServer((req, res) => {
    requests++;
    if (req.headers.authorization !== basic("alice", "right")) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="Registry Realm"' }).end();
      return;
    }
    assert.match(req.headers.accept ?? "", /application\/vnd\.docker\.distribution\.manifest\.v2\+json/);
    res.writeHead(200, { "Docker-Content-Digest": "sha256:" + "a".repeat(64), "Content-Length": "42", "Content-Type": "application/vnd.docker.distribution.manifest.v2+json" }).end();
  }, async (host) => {
    const d = createHttpDistribution();
    const ok = await d.resolve(`${host}/team/app:v1`, { username: "alice", password: "right" });
    assert.equal(ok.ok, true);
    requests = 0;
    const bad = await d.resolve(`${host}/team/app:v1`, { username: "alice", password: "wrong" });
    assert.deepEqual(!bad.ok && bad.failure, { kind: "status", pathParts: ["manifests", "v1"], status: 401, statusText: "Unauthorized" });
    assert.equal(requests, 6);
    const none = await d.resolve(`${host}/team/app:v1`, undefined);
    assert.deepEqual(!none.ok && none.failure, { kind: "status", pathParts: ["manifests", "v1"], status: 401, statusText: "Unauthorized" });
    assert.ok(!JSON.stringify(bad).includes("wrong"));
  });
});

test("resolver, Bearer registry: token with credentials, anonymous token refused, 404", async () => {
  await withServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/token") {
      if (req.method === "POST") {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          const form = new URLSearchParams(body);
          if (form.get("password") === "right") res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ access_token: "T" }));
          else res.writeHead(401).end();
        });
        return;
      }
      res.writeHead(401).end();
      return;
    }
    if (req.headers.authorization !== "Bearer T") {
      res.writeHead(401, { "WWW-Authenticate": `Bearer realm="http://${req.headers.host}/token",service="reg",scope="repository:team/app:pull"` }).end();
      return;
    }
    if (url.pathname.endsWith("/missing")) return void res.writeHead(404).end();
    res.writeHead(200, { "Docker-Content-Digest": "sha256:" + "b".repeat(64), "Content-Length": "7" }).end();
  }, async (host) => {
    const d = createHttpDistribution();
    assert.equal((await d.resolve(`${host}/team/app:v1`, { username: "alice", password: "right" })).ok, true);
    const anon = await d.resolve(`${host}/team/app:v1`, undefined);
    assert.deepEqual(!anon.ok && anon.failure, { kind: "token", anonymous: true, token: { kind: "status", status: 401, statusText: "Unauthorized" } });
    const bad = await d.resolve(`${host}/team/app:v1`, { username: "alice", password: "wrong" });
    assert.deepEqual(!bad.ok && bad.failure, { kind: "token", anonymous: false, token: { kind: "status", status: 401, statusText: "Unauthorized" } });
    const missing = await d.resolve(`${host}/team/app:missing`, { username: "alice", password: "right" });
    assert.deepEqual(!missing.ok && missing.failure, { kind: "not-found" });
  });
});

test("resolver: connection refused → Go's dial text", async () => {
  let port = 0;
  await withServer(() => undefined, async (host) => { port = Number(host.split(":")[1]); });
  const r = await createHttpDistribution().resolve(`127.0.0.1:${port}/team/app:v1`, undefined);
  assert.equal(r.ok, false);
  assert.equal(
    !r.ok && fargateResolveFailureText(r.failure, r.ref).cause,
    `failed to do request: Head "http://127.0.0.1:${port}/v2/team/app/manifests/v1": dial tcp 127.0.0.1:${port}: connect: connection refused`,
  );
});
