// registry-fixture/seed: the image config and the input checks that run before any request.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deleteBlob, imageConfig, pushImage, type PushImageOptions } from "../../registry-fixture/seed.ts";
import { findFreePort } from "../../registry-fixture/probe.ts";

const valid: PushImageOptions = {
  registryUrl: "http://127.0.0.1:1",
  repository: "team/app",
  tag: "v1",
  layers: 1,
  layerSize: 10,
};

describe("registry seed", () => {
  it("image config: amd64/linux, Cmd, rootfs layers with the diff_ids in order", () => {
    const config = JSON.parse(imageConfig(["sha256:aa", "sha256:bb"], ["/bin/sh"])) as Record<string, unknown>;
    assert.equal(config["architecture"], "amd64");
    assert.equal(config["os"], "linux");
    assert.deepEqual((config["config"] as { Cmd: string[] }).Cmd, ["/bin/sh"]);
    assert.deepEqual(config["rootfs"], { type: "layers", diff_ids: ["sha256:aa", "sha256:bb"] });
  });

  const bad: [Partial<PushImageOptions>, string][] = [
    [{ registryUrl: "not a url" }, 'seed: registryUrl is not a URL: "not a url"'],
    [{ registryUrl: "ftp://127.0.0.1" }, 'seed: registryUrl must be http:// or https://, got "ftp:"'],
    [{ repository: "Team/App" }, 'seed: invalid repository name "Team/App" (lowercase letters, digits, separators . _ __ -, path parts joined by /)'],
    [{ repository: "a//b" }, 'seed: invalid repository name "a//b" (lowercase letters, digits, separators . _ __ -, path parts joined by /)'],
    [{ tag: "-v1" }, 'seed: invalid tag "-v1"'],
    [{ tag: "x".repeat(129) }, `seed: invalid tag "${"x".repeat(129)}"`],
    [{ layers: -1 }, "seed: layers must be an integer from 0 to 128, got -1"],
    [{ layers: 1.5 }, "seed: layers must be an integer from 0 to 128, got 1.5"],
    [{ layerSize: -5 }, "seed: layerSize must be an integer number of bytes from 0 to 1073741824, got -5"],
  ];
  for (const [change, message] of bad) {
    it(`refuses ${JSON.stringify(change).slice(0, 60)} before any request`, async () => {
      await assert.rejects(pushImage({ ...valid, ...change }), { name: "SeedInputError", message });
    });
  }

  it("deleteBlob refuses a malformed digest", async () => {
    await assert.rejects(deleteBlob({ registryUrl: "http://127.0.0.1:1", repository: "a", digest: "sha256:xyz" }), {
      name: "SeedInputError",
      message: 'seed: invalid digest "sha256:xyz"',
    });
  });

  it("an unreachable registry is a RegistryApiError naming the step and the cause, not a stack", async () => {
    const port = await findFreePort(); // free a moment ago, so nothing listens there
    const registryUrl = `http://127.0.0.1:${port}`;
    await assert.rejects(pushImage({ ...valid, registryUrl, auth: { username: "u", password: "hunter2" } }), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(error.name, "RegistryApiError");
      assert.match(error.message, new RegExp(`^seed: pushing blob sha256:[0-9a-f]{64} to 127\\.0\\.0\\.1:${port}/team/app: ECONNREFUSED$`));
      assert.ok(!error.message.includes("hunter2"));
      return true;
    });
  });
});
