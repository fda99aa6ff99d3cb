// secret-parse: every row of ECS-BEHAVIOR.md §4, byte for byte, and Go encoding/json's way of reading keys.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSecretValue } from "../../agent-sim/steps/secret-parse.ts";

const s = (SecretString: string) => parseSecretValue({ SecretString });
const message = (r: ReturnType<typeof parseSecretValue>) => (r.ok ? "ok" : r.message);

test("no response → empty response", () => assert.equal(message(parseSecretValue(undefined)), "asm fetching authorization data: empty response"));
test("SecretString absent → empty secrets value", () => assert.equal(message(parseSecretValue({})), "asm fetching authorization data: empty secrets value"));
test("SecretString empty → empty secrets value", () => assert.equal(message(s("")), "asm fetching authorization data: empty secrets value"));
test("binary-only secret → empty secrets value", () => {
  const r = parseSecretValue({ SecretBinary: new Uint8Array([1, 2]) });
  assert.equal(message(r), "asm fetching authorization data: empty secrets value");
  assert.equal(!r.ok && r.hint, "binary-only");
});
test("plain text → invalid schema", () => assert.equal(message(s("hunter2")), "asm fetching authorization data: unable to unmarshal secret value, invalid schema"));
test("JSON array → invalid schema", () => assert.equal(message(s('["a","b"]')), "asm fetching authorization data: unable to unmarshal secret value, invalid schema"));
test("JSON string → invalid schema", () => assert.equal(message(s('"user:pass"')), "asm fetching authorization data: unable to unmarshal secret value, invalid schema"));
test("number for username → invalid schema", () => assert.equal(message(s('{"username":5,"password":"p"}')), "asm fetching authorization data: unable to unmarshal secret value, invalid schema"));
test("object for password → invalid schema", () => assert.equal(message(s('{"username":"u","password":{}}')), "asm fetching authorization data: unable to unmarshal secret value, invalid schema"));
test("trailing garbage → invalid schema", () => assert.equal(message(s('{"username":"u","password":"p"} x')), "asm fetching authorization data: unable to unmarshal secret value, invalid schema"));
test("username missing → empty username", () => assert.equal(message(s('{"password":"p"}')), "asm fetching username: AuthorizationData is malformed, empty field"));
test("username empty → empty username", () => assert.equal(message(s('{"username":"","password":"p"}')), "asm fetching username: AuthorizationData is malformed, empty field"));
test("username null → empty username", () => assert.equal(message(s('{"username":null,"password":"p"}')), "asm fetching username: AuthorizationData is malformed, empty field"));
test("JSON null document → empty username", () => assert.equal(message(s("null")), "asm fetching username: AuthorizationData is malformed, empty field"));
test("empty object → empty username (checked before password)", () => assert.equal(message(s("{}")), "asm fetching username: AuthorizationData is malformed, empty field"));
test("password missing → empty password", () => assert.equal(message(s('{"username":"u"}')), "asm fetching password: AuthorizationData is malformed, empty field"));
test("password empty → empty password", () => assert.equal(message(s('{"username":"u","password":""}')), "asm fetching password: AuthorizationData is malformed, empty field"));
test("keys match case-insensitively", () => assert.deepEqual(s('{"USERNAME":"u","Password":"p"}'), { ok: true, auth: { username: "u", password: "p" } }));
test("Go folding: long s (U+017F) matches s", () => assert.deepEqual(s('{"u\u017fername":"u","pa\u017f\u017fword":"p"}'), { ok: true, auth: { username: "u", password: "p" } }));
test("values are not trimmed: a space is a username", () => assert.deepEqual(s('{"username":" ","password":" p "}'), { ok: true, auth: { username: " ", password: " p " } }));
test("extra keys are ignored", () => assert.deepEqual(s('{"username":"u","password":"p","email":"e","registry":"r"}'), { ok: true, auth: { username: "u", password: "p" } }));
test("the last matching key wins, in document order", () => {
  assert.deepEqual(s('{"username":"a","Username":"b","username":"c","password":"p"}'), { ok: true, auth: { username: "c", password: "p" } });
});
test("a later null clears an earlier value", () => assert.equal(message(s('{"username":"a","USERNAME":null,"password":"p"}')), "asm fetching username: AuthorizationData is malformed, empty field"));
test("nested values and escapes in other keys do not confuse the scanner", () => {
  assert.deepEqual(s('{"x":{"username":"no"},"y":["}",","],"z":"\\"}","username":"u\\n","password":"p"}'), { ok: true, auth: { username: "u\n", password: "p" } });
});
test("a failure never carries the secret value", () => {
  const r = s('{"username":"u","password":5, "token":"canary-secret-value"}');
  assert.ok(!JSON.stringify(r).includes("canary-secret-value"));
});
