// Engine-auth `identitytoken` and `registrytoken` (issue 14, point 10) against the REAL Docker daemon and the
// registry fixture in token mode. The token service speaks the OAuth2 form of the distribution token protocol
// (spec/auth/oauth.md): `docker login` (the daemon's POST /auth) gets an identity token with GET offline_token=true,
// a pull with {identitytoken} makes the daemon POST grant_type=refresh_token (distribution registry/client/auth/
// session.go, tokenHandler.fetchToken), and a pull with {registrytoken} sends `Authorization: Bearer <token>` as is,
// never asking the token service (moby distribution/registry.go NewV2Repository, existingTokenHandler). Then the
// same through the agent: an ECS_ENGINE_AUTH_DATA entry with either token, run by runTask on the real engine.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectDocker, createDockerEngine, type DockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import { fastRetryPolicies, resolveLaunchContext, runTask } from "../../agent-sim/index.ts";
import type { TaskRunResult } from "../../agent-sim/index.ts";
import { DAEMON_ERROR_PREFIX } from "../../agent-sim/texts/go-client.ts";
import { DOCKER, PULL } from "../../agent-sim/texts/agent.ts";
import { BAD_CREDENTIALS_DETAILS, RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { createTokenSigner } from "../../registry-fixture/token-signer.ts";
import { MAX_TOKEN_REQUEST_BYTES, startTokenServer, type StartedTokenServer } from "../../registry-fixture/token-server.ts";
import { FakeClock, FakeSecretsManager } from "../unit/agent-fakes.ts";

const skip = findRegistryBinary() ? false : "no docker-registry binary (apt-get install docker-registry)";
const ALICE = { username: "alice", password: "alice-oauth-pw-canary" };
const KNOWN_REFRESH = "known-identity-token-canary-0123456789";
const WRONG_IDENTITY = "wrong-identity-token-canary";
const SERVICE = "oauth-test-service";

/** The token service's RFC 6749 answer to an unknown refresh token (token-oauth.ts). */
const INVALID_GRANT_BODY = JSON.stringify({ error: "invalid_grant", error_description: "invalid refresh token" });
/**
 * What the daemon makes of that 400: its registry client finds neither `details` nor an `errors` list in the body
 * (distribution registry/client/errors.go, UnexpectedHTTPResponseError: `error parsing HTTP %d response body: %s: %q`;
 * for this ASCII body Go's %q and JSON.stringify agree).
 */
const daemonInvalidGrant = (url: string) =>
  `${DAEMON_ERROR_PREFIX}Head "${url}": error parsing HTTP 400 response body: no error details found in HTTP response body: ${JSON.stringify(INVALID_GRANT_BODY)}`;
/** errcode.ErrorCodeUnauthorized's message: the registry's answer to a Bearer token it cannot accept. */
const UNAUTHORIZED = "unauthorized: authentication required";

/** A real registry with the fixture's token service: alice may pull team/*, and KNOWN_REFRESH is her identity token. */
const startTokenRegistry = () =>
  new RegistryFixture()
    .withUser(ALICE.username, ALICE.password)
    .withTokenAuth({ acl: { alice: ["team/*"] }, identityTokens: { [KNOWN_REFRESH]: "alice" } })
    .start();
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM_TYPE = { "content-type": "application/x-www-form-urlencoded" };

describe("the token service's OAuth2 form (oauth.md), over HTTP", () => {
  let tokens: StartedTokenServer;
  const secrets: string[] = [];
  before(async () => {
    tokens = await startTokenServer({
      signer: createTokenSigner(),
      service: SERVICE,
      issuer: "oauth-test-issuer",
      users: [ALICE],
      acl: { alice: ["team/*"] },
      refreshTokens: { [KNOWN_REFRESH]: "alice" },
    });
  });
  after(() => tokens?.stop());

  const post = async (fields: Record<string, string>, headers: Record<string, string> = FORM_TYPE) => {
    const r = await fetch(tokens.realm, { method: "POST", headers, body: form(fields) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const refreshGrant = (refresh_token: string, extra: Record<string, string> = {}) =>
    post({ grant_type: "refresh_token", refresh_token, service: SERVICE, client_id: "docker", scope: "repository:team/app:pull", ...extra });

  it("refresh_token grant: access_token, expires_in, issued_at, the scope granted; no refresh_token unless offline", async () => {
    const { status, body } = await refreshGrant(KNOWN_REFRESH);
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body).sort(), ["access_token", "expires_in", "issued_at", "scope"]);
    assert.equal(body.scope, "repository:team/app:pull");
    const again = await refreshGrant(KNOWN_REFRESH, { access_type: "offline" });
    assert.equal(again.body.refresh_token, KNOWN_REFRESH, "a refresh_token grant gets the same token back, not a new one");
    const last = tokens.log().at(-1)!;
    assert.deepEqual([last.method, last.grant, last.account, last.granted, last.refreshTokenIssued], ["POST", "refresh_token", "alice", ["repository:team/app:pull"], false]);
  });

  it("password grant with access_type=offline issues a refresh token that the refresh grant accepts", async () => {
    const { status, body } = await post({ grant_type: "password", username: ALICE.username, password: ALICE.password, service: SERVICE, client_id: "docker", access_type: "offline" });
    assert.equal(status, 200);
    const issued = body.refresh_token;
    assert.equal(typeof issued, "string");
    secrets.push(issued as string);
    assert.equal(tokens.log().at(-1)!.refreshTokenIssued, true);
    assert.equal((await refreshGrant(issued as string)).status, 200);
    const online = await post({ grant_type: "password", username: ALICE.username, password: ALICE.password, service: SERVICE, client_id: "docker" });
    assert.equal(online.body.refresh_token, undefined);
  });

  it("GET offline_token=true with Basic auth answers a refresh_token too (token.md; what `docker login` asks)", async () => {
    const basic = `Basic ${Buffer.from(`${ALICE.username}:${ALICE.password}`).toString("base64")}`;
    const offline = await fetch(`${tokens.realm}?service=${SERVICE}&offline_token=true&client_id=docker`, { headers: { authorization: basic } });
    const body = (await offline.json()) as Record<string, unknown>;
    assert.equal(typeof body.refresh_token, "string");
    secrets.push(body.refresh_token as string);
    const plain = (await (await fetch(`${tokens.realm}?service=${SERVICE}`, { headers: { authorization: basic } })).json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(plain).sort(), ["access_token", "expires_in", "issued_at", "token"], "the GET flow without offline_token is unchanged");
    const anonymous = (await (await fetch(`${tokens.realm}?service=${SERVICE}&offline_token=true`)).json()) as Record<string, unknown>;
    assert.equal(anonymous.refresh_token, undefined, "no refresh token for an anonymous caller");
  });

  it("errors are RFC 6749 §5.2's: 400 with {error, error_description}", async () => {
    const cases: Array<[Promise<{ status: number; body: Record<string, unknown> }>, string, string]> = [
      [refreshGrant(WRONG_IDENTITY), "invalid_grant", "invalid refresh token"],
      [refreshGrant(KNOWN_REFRESH, { service: "another-service" }), "invalid_grant", "refresh token was not issued for this service"],
      [refreshGrant(""), "invalid_request", "missing refresh_token"],
      [refreshGrant(KNOWN_REFRESH, { client_id: "" }), "invalid_request", "missing client_id"],
      [post({ grant_type: "client_credentials", service: SERVICE, client_id: "docker" }), "unsupported_grant_type", "grant_type must be password or refresh_token"],
      [post({ service: SERVICE, client_id: "docker" }), "invalid_request", "missing grant_type"],
      [post({ grant_type: "refresh_token", refresh_token: KNOWN_REFRESH, service: SERVICE, client_id: "docker" }, { "content-type": "application/json" }), "invalid_request", "the token endpoint takes an application/x-www-form-urlencoded POST"],
    ];
    for (const [answer, error, description] of cases) {
      assert.deepEqual(await answer, { status: 400, body: { error, error_description: description } });
    }
  });

  it("a wrong password in the password grant is still Docker Hub's 401 (containerd falls back to GET on it)", async () => {
    const { status, body } = await post({ grant_type: "password", username: ALICE.username, password: "wrong", service: SERVICE, client_id: "docker" });
    assert.deepEqual({ status, body }, { status: 401, body: { details: BAD_CREDENTIALS_DETAILS } });
  });

  it("a revoked refresh token is invalid_grant", async () => {
    const token = tokens.issueRefreshToken("alice");
    assert.equal((await refreshGrant(token)).status, 200);
    assert.equal(tokens.revokeRefreshToken(token), true);
    assert.equal((await refreshGrant(token)).body.error, "invalid_grant");
  });

  it("an oversized form is refused with a 413, not buffered", async () => {
    const r = await fetch(tokens.realm, { method: "POST", headers: FORM_TYPE, body: "scope=" + "a".repeat(MAX_TOKEN_REQUEST_BYTES + 1) });
    assert.equal(r.status, 413);
    assert.equal(((await r.json()) as { error: string }).error, "invalid_request");
  });

  it("the log holds no refresh token and no password", () => {
    const log = JSON.stringify(tokens.log());
    for (const secret of [KNOWN_REFRESH, ALICE.password, ...secrets]) assert.ok(!log.includes(secret));
  });
});

describe("identitytoken and registrytoken, real engine", { skip, timeout: 180_000 }, () => {
  let registry: StartedRegistry;
  let engine: DockerEngine;
  let ref: string;
  let manifestUrl: string;
  before(async () => {
    engine = createDockerEngine(await connectDocker());
    registry = await startTokenRegistry();
    await registry.pushImage({ repository: "team/app", tag: "v1", layers: 1, layerSize: 2048, seed: `oauth-${process.pid}` });
    ref = registry.imageReference("team/app", "v1");
    manifestUrl = `${registry.url}/v2/team/app/manifests/v1`;
  });
  after(async () => {
    await engine?.removeImage(ref);
    await registry?.stop();
  });

  const pullError = (auth: Parameters<DockerEngine["pullImage"]>[1]) =>
    engine.pullImage(ref, auth).then(() => assert.fail("expected a failure"), (e: Error) => e.message);
  const tokenRequests = () => registry.tokenLog().length;

  it("`docker login` (the daemon's POST /auth) returns the identity token the service issued; a pull with it uses the refresh-token grant", async () => {
    const docker = await connectDocker();
    const login = (await docker.checkAuth({ username: ALICE.username, password: ALICE.password, serveraddress: registry.address })) as { IdentityToken?: string; Status?: string };
    assert.equal(login.Status, "Login Succeeded");
    const identitytoken = login.IdentityToken ?? "";
    assert.ok(identitytoken.length > 20, "the daemon passes the registry's refresh token back as IdentityToken");
    assert.ok(registry.tokenLog().some((e) => e.method === "GET" && e.account === "alice" && e.refreshTokenIssued));
    await engine.removeImage(ref);
    const before = tokenRequests();
    await engine.pullImage(ref, { username: "", password: "", identitytoken });
    assert.ok(await engine.hasImage(ref));
    const asked = registry.tokenLog().slice(before);
    assert.ok(asked.length > 0);
    assert.ok(asked.every((e) => e.method === "POST" && e.grant === "refresh_token" && e.account === "alice" && e.status === 200), JSON.stringify(asked));
    assert.ok(asked.some((e) => e.granted.includes("repository:team/app:pull")));
    assert.ok(!JSON.stringify(registry.tokenLog()).includes(identitytoken));
  });

  it("a token the service knows from the start works too (the scenario's identity token)", async () => {
    await engine.removeImage(ref);
    await engine.pullImage(ref, { username: "", password: "", identitytoken: KNOWN_REFRESH });
    assert.ok(await engine.hasImage(ref));
  });

  it("a wrong identity token: the daemon's text for the service's 400 invalid_grant (manifest check and pull alike)", async () => {
    await engine.removeImage(ref);
    const auth = { username: "", password: "", identitytoken: WRONG_IDENTITY };
    assert.equal(await pullError(auth), daemonInvalidGrant(manifestUrl));
    const inspect = await engine.inspectDistribution(ref, auth).then(() => "", (e: Error) => e.message);
    assert.equal(inspect, daemonInvalidGrant(manifestUrl));
    assert.equal(registry.tokenLog().at(-1)?.grant, "refresh_token");
  });

  it("a registry token the signer minted for the repository: the pull works and the token service is never asked", async () => {
    await engine.removeImage(ref);
    const registrytoken = registry.mintRegistryToken({ access: [{ repository: "team/app", actions: ["pull"] }] });
    const before = tokenRequests();
    await engine.inspectDistribution(ref, { username: "", password: "", registrytoken });
    await engine.pullImage(ref, { username: "", password: "", registrytoken });
    assert.ok(await engine.hasImage(ref));
    assert.equal(tokenRequests(), before);
  });

  it("an expired registry token: unauthorized (pull), the errors list (manifest check); no token request", async () => {
    await engine.removeImage(ref);
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const registrytoken = registry.mintRegistryToken({ access: [{ repository: "team/app", actions: ["pull"] }], issuedAt: hourAgo });
    const before = tokenRequests();
    assert.equal(await pullError({ username: "", password: "", registrytoken }), `${DAEMON_ERROR_PREFIX}${UNAUTHORIZED}`);
    const inspect = await engine.inspectDistribution(ref, { username: "", password: "", registrytoken }).then(() => "", (e: Error) => e.message);
    assert.equal(inspect, `${DAEMON_ERROR_PREFIX}errors:\n${UNAUTHORIZED}\n${UNAUTHORIZED}`);
    assert.equal(tokenRequests(), before);
  });

  it("a registry token for another repository: pull access denied", async () => {
    await engine.removeImage(ref);
    const registrytoken = registry.mintRegistryToken({ access: [{ repository: "team/other", actions: ["pull"] }] });
    assert.equal(await pullError({ username: "", password: "", registrytoken }), DOCKER.pullAccessDenied(`${registry.address}/team/app`));
  });
});

describe("ECS_ENGINE_AUTH_DATA with identitytoken / registrytoken, through the agent and the real engine", { skip, timeout: 180_000 }, () => {
  let registry: StartedRegistry;
  let engine: DockerEngine;
  let image: string;
  before(async () => {
    engine = createDockerEngine(await connectDocker());
    registry = await startTokenRegistry();
    image = (await registry.pushImage({ repository: "team/engine-auth", tag: "v1", layers: 1, layerSize: 1024, seed: `oauth-agent-${process.pid}` })).reference;
  });
  after(async () => {
    await engine?.removeImage(image);
    await registry?.stop();
  });

  async function run(entry: Record<string, string>): Promise<TaskRunResult> {
    await engine.removeImage(image);
    const data = JSON.stringify({ [registry.address]: entry });
    return runTask({
      taskDefinition: { family: "engine-auth-tokens", containerDefinitions: [{ name: "app", image, essential: true }] },
      launch: resolveLaunchContext({ launchType: "EC2", engineAuth: { type: "docker", data } }),
      ports: { secretsManager: new FakeSecretsManager({}), engine, clock: new FakeClock() },
      options: fastRetryPolicies,
    });
  }
  const assertNoSecret = (result: TaskRunResult, secret: string) => assert.ok(!JSON.stringify(result).includes(secret));

  it("identitytoken: RUNNING; the token service saw the refresh-token grant", async () => {
    const before = registry.tokenLog().length;
    const result = await run({ identitytoken: KNOWN_REFRESH });
    assert.equal(result.result, "RUNNING", JSON.stringify(result.trace));
    assert.ok(registry.tokenLog().slice(before).some((e) => e.grant === "refresh_token" && e.account === "alice" && e.status === 200));
    assertNoSecret(result, KNOWN_REFRESH);
  });

  it("registrytoken: RUNNING without a token request", async () => {
    const registrytoken = registry.mintRegistryToken({ access: [{ repository: "team/engine-auth", actions: ["pull"] }] });
    const before = registry.tokenLog().length;
    const result = await run({ registrytoken });
    assert.equal(result.result, "RUNNING", JSON.stringify(result.trace));
    assert.equal(registry.tokenLog().length, before);
    assertNoSecret(result, registrytoken);
  });

  it("a wrong identitytoken: STOPPED, the daemon's invalid_grant text in CannotPullImageManifestError", async () => {
    const result = await run({ identitytoken: WRONG_IDENTITY });
    assert.equal(result.result, "STOPPED");
    const expected = PULL.named(PULL.cannotPullImageManifest, daemonInvalidGrant(`${registry.url}/v2/team/engine-auth/manifests/v1`));
    assert.equal(result.task?.stoppedReason, expected);
    assert.equal(result.task?.containers[0]?.reason, expected);
    assertNoSecret(result, WRONG_IDENTITY);
  });

  it("an expired registrytoken: STOPPED with the manifest check's errors list", async () => {
    const registrytoken = registry.mintRegistryToken({ access: [{ repository: "team/engine-auth", actions: ["pull"] }], issuedAt: Math.floor(Date.now() / 1000) - 3600 });
    const result = await run({ registrytoken });
    assert.equal(result.result, "STOPPED");
    assert.equal(result.task?.stoppedReason, PULL.named(PULL.cannotPullImageManifest, `${DAEMON_ERROR_PREFIX}errors:\n${UNAUTHORIZED}\n${UNAUTHORIZED}`));
    assertNoSecret(result, registrytoken);
  });
});
