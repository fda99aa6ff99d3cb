// pull-engine-auth-token-rejected: an ECS_ENGINE_AUTH_DATA entry whose registrytoken the registry refused (the
// daemon's `unauthorized`) or whose identitytoken the token service refused (the daemon's text for an OAuth2
// error body it cannot parse); a registrytoken wins over an identitytoken as in Docker; other refusals keep their
// code. The daemon's texts are the ones test/integration/token-oauth.test.ts reads from the real engine.
import assert from "node:assert/strict";
import { test } from "node:test";
import { diagnoseEngineAuthPull, diagnosePull } from "../../agent-sim/index.ts";
import type { PullOutcome } from "../../agent-sim/steps/pull.ts";
import { matchEngineAuth, parseEngineAuth } from "../../agent-sim/steps/engine-auth.ts";

const HOST = "registry.example.com:5000";
const IMAGE = `${HOST}/team/app:v1`;
const EXPIRED = "Error response from daemon: errors:\nunauthorized: authentication required\nunauthorized: authentication required";
const INVALID_GRANT = `Error response from daemon: Head "http://${HOST}/v2/team/app/manifests/v1": error parsing HTTP 400 response body: no error details found in HTTP response body: "{\\"error\\":\\"invalid_grant\\",\\"error_description\\":\\"invalid refresh token\\"}"`;
const DENIED = `Error response from daemon: pull access denied for ${HOST}/team/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`;

function diagnose(entry: Record<string, string>, dockerError: string) {
  const parsed = parseEngineAuth({ type: "docker", data: JSON.stringify({ [HOST]: entry }) });
  const match = matchEngineAuth(IMAGE, parsed);
  const outcome: Extract<PullOutcome, { ok: false }> = {
    ok: false, container: "app", stage: "manifest", errorName: "CannotPullImageManifestError", dockerError, reason: "", attempts: { manifest: 1, pull: 0 },
  };
  return diagnoseEngineAuthPull(diagnosePull(outcome, match.auth !== undefined, IMAGE), parsed, match, IMAGE);
}

test("an expired registrytoken: pull-engine-auth-token-rejected, naming the key; not inferred", () => {
  const d = diagnose({ registrytoken: "expired-registry-token-canary" }, EXPIRED);
  assert.equal(d.failureCode, "pull-engine-auth-token-rejected");
  assert.match(d.cause, /registrytoken of the ECS_ENGINE_AUTH_DATA key "registry\.example\.com:5000"/);
  assert.equal(d.inferred, undefined);
  assert.ok(!JSON.stringify(d).includes("canary"));
});

test("a refused identitytoken: pull-engine-auth-token-rejected, inferred (the service's answer is its own)", () => {
  const d = diagnose({ identitytoken: "revoked-identity-token-canary" }, INVALID_GRANT);
  assert.equal(d.failureCode, "pull-engine-auth-token-rejected");
  assert.match(d.cause, /identitytoken/);
  assert.equal(d.inferred, true);
  assert.ok(!JSON.stringify(d).includes("canary"));
});

test("registrytoken and identitytoken together: the registrytoken's cause (Docker uses it and ignores the other)", () => {
  assert.match(diagnose({ registrytoken: "r", identitytoken: "i" }, EXPIRED).cause, /registrytoken/);
});

test("other refusals keep their code: a token for another repository, a password the registry refused", () => {
  assert.equal(diagnose({ registrytoken: "r" }, DENIED).failureCode, "pull-denied-repo");
  assert.equal(diagnose({ username: "alice", password: "p" }, EXPIRED).failureCode, "pull-bad-password");
  assert.equal(diagnose({ username: "alice", password: "p" }, INVALID_GRANT).failureCode, "pull-failed");
});
