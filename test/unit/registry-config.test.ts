// registry-fixture/config: the registry config.yml the fixture writes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { DEFAULT_REALM, renderRegistryConfig } from "../../registry-fixture/config.ts";

const base = { rootDirectory: "/tmp/x/data", addr: "127.0.0.1:5123", httpSecret: "0123abcd" };

describe("registry config", () => {
  it("renders version 0.1, filesystem storage, loopback addr, secret, htpasswd auth, deletes on", () => {
    const config = parse(renderRegistryConfig({ ...base, htpasswd: { path: "/tmp/x/htpasswd" } }));
    assert.deepEqual(config, {
      version: "0.1",
      log: { level: "info", formatter: "text", accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: "/tmp/x/data" },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: { addr: "127.0.0.1:5123", secret: "0123abcd", headers: { "X-Content-Type-Options": ["nosniff"] } },
      health: { storagedriver: { enabled: false } },
      auth: { htpasswd: { realm: DEFAULT_REALM, path: "/tmp/x/htpasswd" } },
    });
  });

  it("writes the version as a string, as the registry expects", () => {
    assert.match(renderRegistryConfig(base), /^version: "0\.1"$/m);
  });

  it("has no auth section for an anonymous registry", () => {
    const config = parse(renderRegistryConfig(base)) as Record<string, unknown>;
    assert.equal(config["auth"], undefined);
  });

  it("takes a realm, a log level and the access log", () => {
    const config = parse(
      renderRegistryConfig({ ...base, htpasswd: { path: "/h", realm: "corp" }, logLevel: "debug", accessLog: true }),
    ) as { auth: { htpasswd: { realm: string } }; log: { level: string; accesslog: { disabled: boolean } } };
    assert.equal(config.auth.htpasswd.realm, "corp");
    assert.equal(config.log.level, "debug");
    assert.equal(config.log.accesslog.disabled, false);
  });
});
