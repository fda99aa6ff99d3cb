// ECS_ENGINE_AUTH_TYPE / ECS_ENGINE_AUTH_DATA (ECS-BEHAVIOR.md §8): both formats, key normalisation, the matching
// rules, the agent's warning texts byte for byte, precedence and the Fargate gate in runTask, and secrecy.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  decodeStdBase64,
  matchEngineAuth,
  normalizeRegistryKey,
  parseEngineAuth,
  readEngineAuthEnv,
  registryHostOf,
  ENGINE_AUTH_FARGATE_IGNORED,
} from "../../agent-sim/steps/engine-auth.ts";
import type { LaunchContextInput } from "../../agent-sim/index.ts";
import { fastRetryPolicies, runTask, resolveLaunchContext } from "../../agent-sim/index.ts";
import { FARGATE_COMPATIBLE, FakeClock, FakeEngine, FakeSecretsManager, SECRET_ARN, engineError, privateContainer, taskDef } from "./agent-fakes.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const docker = (data: unknown) => parseEngineAuth({ type: "docker", data: JSON.stringify(data) });
const dockercfg = (data: unknown) => parseEngineAuth({ type: "dockercfg", data: JSON.stringify(data) });

test("docker format: AuthConfig fields per registry (email too), in any letter case; unknown fields ignored", () => {
  const p = docker({ "r.example.com": { username: "u", password: "p", email: "e@x" }, "q.example.com": { Username: "U", PASSWORD: "P", foo: 1 } });
  assert.deepEqual(p.entries, [
    { key: "r.example.com", auth: { username: "u", password: "p", email: "e@x" } },
    { key: "q.example.com", auth: { username: "U", password: "P" } },
  ]);
  assert.deepEqual(p.warnings, []);
});

test("dockercfg format: auth is base64(user:pass); the password may contain ':'", () => {
  const p = dockercfg({ "https://r.example.com": { auth: b64("alice:pa:ss"), email: "a@x" } });
  assert.deepEqual(p.entries, [{ key: "r.example.com", auth: { username: "alice", password: "pa:ss" } }]);
});

test("keys lose one leading http:// or https:// and nothing else", () => {
  assert.equal(normalizeRegistryKey("http://r.example.com:5000"), "r.example.com:5000");
  assert.equal(normalizeRegistryKey("https://index.docker.io/v1/"), "index.docker.io/v1/");
  assert.equal(normalizeRegistryKey("r.example.com/"), "r.example.com/");
  assert.equal(normalizeRegistryKey("HTTPS://r.example.com"), "HTTPS://r.example.com");
});

test("warning texts, byte for byte", () => {
  assert.deepEqual(parseEngineAuth({ type: "docker", data: "{not json" }).warnings, ["Could not parse 'docker' type auth config"]);
  assert.deepEqual(parseEngineAuth({ type: "dockercfg", data: "" }).warnings, ["Could not parse 'dockercfg' type auth config"]);
  assert.deepEqual(parseEngineAuth({ type: "Docker", data: "{}" }).warnings, ["Unknown auth configuration: Docker"]);
  assert.deepEqual(dockercfg({ "r.example.com": { auth: "%%%" } }).warnings, ["Malformed auth data for registry r.example.com"]);
  assert.deepEqual(dockercfg({ "https://r.example.com": { auth: b64("nocolon") } }).warnings, ["Malformed auth data for registry https://r.example.com; must contain ':'"]);
});

test("Go's decoder: wrong value types fail the whole config; null is fine", () => {
  assert.equal(docker({ "r.example.com": { username: 7, password: "p" } }).unusable, true);
  assert.equal(docker({ "r.example.com": "user:pass" }).unusable, true);
  assert.equal(docker(["r.example.com"]).unusable, true);
  assert.equal(dockercfg({ "r.example.com": { auth: 1 } }).unusable, true);
  const nulls = docker(null);
  assert.deepEqual([nulls.entries, nulls.warnings, nulls.unusable], [[], [], false]);
  assert.deepEqual(docker({ "r.example.com": null }).entries, [{ key: "r.example.com", auth: { username: "", password: "" } }]);
});

test("one bad dockercfg entry is skipped, the others stay", () => {
  const p = dockercfg({ "a.example.com": { auth: "!" }, "b.example.com": { auth: b64("u:p") } });
  assert.deepEqual(p.entries.map((e) => e.key), ["b.example.com"]);
  assert.equal(p.unusable, false);
});

test("Go's StdEncoding: padding required, newlines skipped", () => {
  assert.equal(decodeStdBase64("dTpw"), "u:p");
  assert.equal(decodeStdBase64("dTpwcQ"), undefined);
  assert.equal(decodeStdBase64("dTpw\ncQ=="), "u:pq");
  assert.equal(decodeStdBase64("dTpw-_=="), undefined);
});

test("an empty type is 'not set': no warning, no auth", () => {
  const p = parseEngineAuth({ type: "", data: "garbage" });
  assert.deepEqual([p.entries, p.warnings, p.unusable], [[], [], false]);
});

test("registry host: first part with '.' or ':' or localhost, else Docker Hub", () => {
  assert.equal(registryHostOf("nginx"), "docker.io");
  assert.equal(registryHostOf("team/app:1"), "docker.io");
  assert.equal(registryHostOf("localhost/app"), "localhost");
  assert.equal(registryHostOf("r.example.com/app"), "r.example.com");
  assert.equal(registryHostOf("127.0.0.1:5000/team/app:v1"), "127.0.0.1:5000");
  assert.equal(registryHostOf("reg:5000/app@sha256:abc"), "reg:5000");
});

test("Docker Hub images use only index.docker.io/v1/", () => {
  const p = docker({ "docker.io": { username: "a", password: "1" }, "https://index.docker.io/v1/": { username: "hub", password: "2" } });
  for (const image of ["nginx", "team/app:1", "docker.io/team/app", "index.docker.io/team/app", "registry-1.docker.io/team/app"]) {
    const m = matchEngineAuth(image, p);
    assert.equal(m.rule, "docker-hub", image);
    assert.equal(m.auth?.username, "hub", image);
  }
  assert.equal(matchEngineAuth("nginx", docker({ "docker.io": { username: "a", password: "1" } })).auth, undefined);
});

test("host/namespace key wins when the image starts with it; else the exact host key; else any key on the host", () => {
  const p = docker({
    "r.example.com": { username: "host", password: "1" },
    "r.example.com/team": { username: "team", password: "2" },
    "r.example.com/team/app": { username: "app", password: "3" },
    "other.example.com": { username: "other", password: "4" },
  });
  assert.deepEqual([matchEngineAuth("r.example.com/team/app:v1", p).auth?.username, matchEngineAuth("r.example.com/team/app:v1", p).rule], ["app", "namespace"]);
  assert.equal(matchEngineAuth("r.example.com/team/web", p).auth?.username, "team");
  assert.deepEqual([matchEngineAuth("r.example.com/solo", p).auth?.username, matchEngineAuth("r.example.com/solo", p).rule], ["host", "host"]);
  const onlyNs = docker({ "r.example.com/team": { username: "team", password: "2" } });
  const m = matchEngineAuth("r.example.com/other/app", onlyNs);
  assert.deepEqual([m.rule, m.key, m.auth?.username], ["same-host", "r.example.com/team", "team"]);
});

test("no key for the host ⇒ anonymous; a port is part of the host", () => {
  const p = docker({ "r.example.com": { username: "u", password: "p" } });
  assert.equal(matchEngineAuth("r.example.com:5000/app", p).rule, "none");
  assert.equal(matchEngineAuth("r.example.com:5000/app", p).auth, undefined);
  assert.equal(matchEngineAuth("localhost/app", docker({ localhost: { username: "l", password: "p" } })).auth?.username, "l");
});

test("readEngineAuthEnv: the two variables, undefined when neither is set", () => {
  assert.equal(readEngineAuthEnv({}), undefined);
  assert.deepEqual(readEngineAuthEnv({ ECS_ENGINE_AUTH_TYPE: "docker" }), { type: "docker", data: "" });
  assert.deepEqual(readEngineAuthEnv({ ECS_ENGINE_AUTH_TYPE: "dockercfg", ECS_ENGINE_AUTH_DATA: "{}" }), { type: "dockercfg", data: "{}" });
});

// runTask

const ENGINE_PASSWORD = "engine-Pa55-canary-31";
const publicContainer = (name: string, image: string) => ({ name, image, essential: true });

async function run(td: unknown, launch: LaunchContextInput, engine = new FakeEngine()) {
  const result = await runTask({
    taskDefinition: td,
    launch: resolveLaunchContext(launch),
    ports: { secretsManager: new FakeSecretsManager({ [SECRET_ARN]: { SecretString: JSON.stringify({ username: "asm", password: "asm-secret-pw" }) } }), engine, clock: new FakeClock() },
    options: { ...fastRetryPolicies, ids: { taskId: "0123456789abcdef0123456789abcdef" } },
  });
  return { result, engine };
}

test("runTask: containers without repositoryCredentials use the engine auth; repositoryCredentials ⇒ only those", async () => {
  const data = JSON.stringify({ "registry.example.com:5000": { username: "engine", password: ENGINE_PASSWORD } });
  const { result, engine } = await run(
    taskDef([privateContainer("private"), publicContainer("public", "registry.example.com:5000/team/web:1")]),
    { engineAuth: { type: "docker", data } },
  );
  assert.equal(result.result, "RUNNING");
  const pulls = engine.calls.filter((c) => c.op === "pull");
  assert.deepEqual(pulls.map((c) => c.auth?.username), ["asm", "engine"]);
  assert.ok(result.trace.some((s) => s.step === "pull" && s.container === "public") );
  const json = JSON.stringify(result);
  assert.ok(!json.includes(ENGINE_PASSWORD));
  assert.equal(result.launch.engineAuth?.type, "docker");
  assert.equal(result.launch.engineAuth?.data, "********");
});

test("runTask: unparsable data ⇒ warning in result and trace, anonymous pull, diagnosis pull-engine-auth-malformed", async () => {
  const image = "registry.example.com:5000/team/web:1";
  const engine = new FakeEngine({ [image]: [engineError("Error response from daemon: Head \"http://registry.example.com:5000/v2/team/web/manifests/1\": no basic auth credentials")] });
  const { result } = await run(taskDef([publicContainer("web", image)], { executionRoleArn: undefined }), { engineAuth: { type: "dockercfg", data: "{oops" } }, engine);
  assert.deepEqual(result.warnings, ["Could not parse 'dockercfg' type auth config"]);
  assert.ok(result.trace.some((s) => s.detail.includes("Could not parse 'dockercfg' type auth config")));
  assert.equal(engine.calls[0]?.auth, undefined);
  assert.equal(result.exitCode, 6);
  assert.equal(result.diagnosis?.failureCode, "pull-engine-auth-malformed");
});

test("runTask: a malformed dockercfg entry for the image's host is also pull-engine-auth-malformed", async () => {
  const image = "registry.example.com:5000/team/web:1";
  const engine = new FakeEngine({ [image]: [engineError("no basic auth credentials")] });
  const data = JSON.stringify({ "registry.example.com:5000": { auth: b64("no-colon") } });
  const { result } = await run(taskDef([publicContainer("web", image)]), { agentVersion: "1.50.0", engineAuth: { type: "dockercfg", data } }, engine);
  assert.deepEqual(result.warnings, ["Malformed auth data for registry registry.example.com:5000; must contain ':'"]);
  assert.equal(result.diagnosis?.failureCode, "pull-engine-auth-malformed");
});

test("runTask on FARGATE: engine auth ignored with the gate-engine-auth-fargate warning", async () => {
  const data = JSON.stringify({ "registry.example.com:5000": { username: "engine", password: ENGINE_PASSWORD } });
  const resolves: (string | undefined)[] = [];
  const distribution = {
    resolve: async (image: string, auth: { username: string } | undefined) => {
      resolves.push(auth?.username);
      return { ok: true as const, ref: image, digest: "sha256:00", mediaType: "", size: 1, exchanges: [] };
    },
  };
  const engine = new FakeEngine();
  const result = await runTask({
    taskDefinition: taskDef([publicContainer("web", "registry.example.com:5000/team/web:1")], FARGATE_COMPATIBLE),
    launch: resolveLaunchContext({ launchType: "FARGATE", engineAuth: { type: "docker", data } }),
    ports: { secretsManager: new FakeSecretsManager({}), engine, clock: new FakeClock(), distribution },
    options: fastRetryPolicies,
  });
  assert.equal(result.result, "RUNNING");
  assert.deepEqual(result.warnings, [ENGINE_AUTH_FARGATE_IGNORED]);
  assert.deepEqual(resolves, [undefined]);
  assert.equal(engine.calls[0]?.auth, undefined);
  assert.ok(!JSON.stringify(result).includes(ENGINE_PASSWORD));
});
