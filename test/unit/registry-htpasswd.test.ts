// registry-fixture/htpasswd: the lines the registry's htpasswd auth reads, and the inputs it would misread.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { HtpasswdError, htpasswdEntry, renderHtpasswd } from "../../registry-fixture/htpasswd.ts";
import { inspect } from "node:util";
import { RegistryFixture, RegistryUser } from "../../registry-fixture/index.ts";

describe("registry htpasswd", () => {
  it("one user:hash line per user, each hash verifies with its password", () => {
    const text = renderHtpasswd([
      { username: "alice", password: "pw" },
      { username: "bob", password: "s3cret with spaces & ünïcode" },
    ]);
    const lines = text.split("\n");
    assert.equal(lines.length, 3);
    assert.equal(lines[2], "");
    const [alice, bob] = lines.map((line) => line.split(/:(.*)/s));
    assert.equal(alice?.[0], "alice");
    assert.equal(bob?.[0], "bob");
    assert.ok(bcrypt.compareSync("pw", alice?.[1] ?? ""));
    assert.ok(bcrypt.compareSync("s3cret with spaces & ünïcode", bob?.[1] ?? ""));
    assert.ok(!bcrypt.compareSync("PW", alice?.[1] ?? ""));
  });

  it("writes $2y$ hashes (htpasswd -B style) with the requested cost", () => {
    assert.match(htpasswdEntry({ username: "u", password: "p" }), /^u:\$2y\$05\$[./A-Za-z0-9]{53}$/);
    assert.match(htpasswdEntry({ username: "u", password: "p" }, 4), /^u:\$2y\$04\$/);
    assert.match(htpasswdEntry({ username: "u", password: "p" }, 10), /^u:\$2y\$10\$/);
  });

  it("salts every hash: the same password twice gives different lines", () => {
    assert.notEqual(htpasswdEntry({ username: "u", password: "p" }), htpasswdEntry({ username: "u", password: "p" }));
  });

  it("an empty user list is an empty file (every login fails)", () => {
    assert.equal(renderHtpasswd([]), "");
  });

  it("refuses costs outside Go bcrypt's useful range 4..10", () => {
    for (const cost of [3, 11, 4.5, Number.NaN]) {
      assert.throws(() => renderHtpasswd([{ username: "u", password: "p" }], cost), {
        name: "HtpasswdError",
        message: `htpasswd: bcrypt cost must be an integer from 4 to 10, got ${String(cost)}`,
      });
    }
  });

  it("refuses usernames the registry would split or skip", () => {
    const cases: [string, string][] = [
      ["", "is empty"],
      ["a:b", 'contains ":"'],
      ["a\nb", "contains a line break"],
      [" alice", "starts or ends with whitespace"],
      ["#alice", 'starts with "#" (the registry reads that line as a comment)'],
    ];
    for (const [username, problem] of cases) {
      assert.throws(() => htpasswdEntry({ username, password: "p" }), {
        name: "HtpasswdError",
        message: `htpasswd: username ${JSON.stringify(username)} ${problem}`,
      });
    }
  });

  it("refuses a password over 72 bytes without printing it", () => {
    const password = "x".repeat(70) + "ééé"; // 76 bytes
    assert.throws(
      () => htpasswdEntry({ username: "alice", password }),
      (error: unknown) => {
        assert.ok(error instanceof HtpasswdError);
        assert.equal(error.message, 'htpasswd: password of user "alice" is 76 bytes long; bcrypt allows at most 72');
        assert.ok(!error.message.includes(password));
        return true;
      },
    );
  });

  it("refuses the same user twice", () => {
    assert.throws(() => renderHtpasswd([{ username: "a", password: "1" }, { username: "a", password: "2" }]), {
      message: 'htpasswd: user "a" is listed twice',
    });
  });
});

describe("registry users stay secret", () => {
  it("a user, and a fixture builder holding users, print no password (inspect, JSON)", () => {
    const canary = "canary-registry-pw-7c2a";
    const user = new RegistryUser("alice", canary);
    const fixture = new RegistryFixture().withUser("alice", canary);
    for (const value of [user, fixture]) {
      assert.ok(!inspect(value, { depth: 5 }).includes(canary));
      assert.ok(!JSON.stringify(value).includes(canary));
    }
  });
});
