// The registry in token mode (native binary + the fixture's token service), pulled by the real Docker engine:
// an authorized pull works; an authenticated user outside the ACL gets the daemon's `pull access denied …
// denied: requested access to the resource is denied`; a wrong password reads as Docker Hub's 401 (`unauthorized:
// incorrect username or password`) or, in "anonymous" mode, exactly like the denied repository.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectDocker, createDockerEngine, type DockerEngine } from "../../agent-sim/adapters/engine/index.ts";
import { DAEMON_ERROR_PREFIX } from "../../agent-sim/texts/go-client.ts";
import { DOCKER } from "../../agent-sim/texts/agent.ts";
import { BAD_CREDENTIALS_DETAILS, RegistryFixture, type StartedRegistry } from "../../registry-fixture/index.ts";
import { findRegistryBinary } from "../../registry-fixture/native.ts";
import { grant, parseScope, patternMatches } from "../../registry-fixture/token-server.ts";

const skip = findRegistryBinary() ? false : "no docker-registry binary (apt-get install docker-registry)";
const ALICE = { username: "alice", password: "alice-token-pw" };
const WRONG = { username: "alice", password: "wrong-token-canary" };

describe("token service rules", () => {
  it("parses scopes and grants what the ACL allows", () => {
    assert.deepEqual(parseScope("repository:team/app:pull,push"), { type: "repository", name: "team/app", actions: ["pull", "push"] });
    assert.equal(patternMatches("team/*", "team/a/b"), true);
    assert.equal(patternMatches("team/*", "other/app"), false);
    const asked = [parseScope("repository:team/app:pull,delete")!, parseScope("repository:other/app:pull")!];
    assert.deepEqual(grant(asked, ["team/*"], ["pull", "push"]), [{ type: "repository", name: "team/app", actions: ["pull"] }]);
  });
});

for (const badCredentials of ["401", "anonymous"] as const) {
  describe(`token auth (${badCredentials} for a wrong password), real engine`, { skip, timeout: 120_000 }, () => {
    let registry: StartedRegistry;
    let engine: DockerEngine;
    before(async () => {
      engine = createDockerEngine(await connectDocker());
      registry = await new RegistryFixture()
        .withUser(ALICE.username, ALICE.password)
        .withTokenAuth({ acl: { alice: ["team/*"] }, badCredentials })
        .start();
      const seed = `token-${badCredentials}-${process.pid}`;
      await registry.pushImage({ repository: "team/app", tag: "v1", layers: 1, layerSize: 2048, seed });
      await registry.pushImage({ repository: "other/app", tag: "v1", layers: 1, layerSize: 2048, seed });
    });
    after(() => registry?.stop());

    const pullError = (ref: string, auth: typeof ALICE) =>
      engine.pullImage(ref, auth).then(() => assert.fail("expected a failure"), (e: Error) => e.message);

    it("the ACL's repository pulls; the token service saw alice asking for pull", async () => {
      const ref = registry.imageReference("team/app", "v1");
      await engine.removeImage(ref);
      await engine.inspectDistribution(ref, ALICE);
      await engine.pullImage(ref, ALICE);
      await engine.removeImage(ref);
      assert.ok(registry.tokenLog().some((e) => e.account === "alice" && e.granted.includes("repository:team/app:pull")));
    });

    it("authenticated, repository outside the ACL: pull access denied (and the manifest check's `errors:` list)", async () => {
      const ref = registry.imageReference("other/app", "v1");
      assert.equal(await pullError(ref, ALICE), DOCKER.pullAccessDenied(`${registry.address}/other/app`));
      const inspect = await engine.inspectDistribution(ref, ALICE).then(() => "", (e: Error) => e.message);
      assert.equal(inspect, `${DAEMON_ERROR_PREFIX}errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required`);
    });

    it("wrong password", async () => {
      const ref = registry.imageReference("team/app", "v1");
      const text = await pullError(ref, WRONG);
      if (badCredentials === "401") {
        assert.equal(text, `${DAEMON_ERROR_PREFIX}Head "${registry.url}/v2/team/app/manifests/v1": unauthorized: ${BAD_CREDENTIALS_DETAILS}`);
      } else {
        assert.equal(text, DOCKER.pullAccessDenied(`${registry.address}/team/app`));
      }
      assert.ok(!JSON.stringify(registry.tokenLog()).includes(WRONG.password));
    });
  });
}
