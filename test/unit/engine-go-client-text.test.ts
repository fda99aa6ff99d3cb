// The Go Docker client's error texts and request details, rebuilt from engine answers (agent-sim/texts/go-client.ts).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  daemonErrorText,
  parsePullMessage,
  registryAuthHeader,
  splitImageReference,
  splitPullStream,
} from "../../agent-sim/adapters/engine/index.ts";

const url = "unix:///run/docker.sock/images/create?fromImage=x&tag=y";

describe("daemonErrorText (client checkResponseErr)", () => {
  it("JSON body → 'Error response from daemon: ' + trimmed message", () => {
    const body = '{"message":"manifest for r/x:y not found: manifest unknown: manifest unknown\\n"}\n';
    assert.equal(
      daemonErrorText({ statusCode: 404, contentType: "application/json", body, requestUrl: url }),
      "Error response from daemon: manifest for r/x:y not found: manifest unknown: manifest unknown",
    );
  });

  it("non-JSON content type → the trimmed body itself", () => {
    assert.equal(
      daemonErrorText({ statusCode: 500, contentType: "text/plain; charset=utf-8", body: "  boom \n", requestUrl: url }),
      "Error response from daemon: boom",
    );
  });

  it("JSON with a charset suffix is not 'application/json' for the Go client: the raw body is used", () => {
    const body = '{"message":"x"}';
    assert.equal(
      daemonErrorText({ statusCode: 500, contentType: "application/json; charset=utf-8", body, requestUrl: url }),
      `Error response from daemon: ${body}`,
    );
  });

  it("empty body → 'request returned <status text> for API route and version <url>, ...'", () => {
    assert.equal(
      daemonErrorText({ statusCode: 404, contentType: undefined, body: "", requestUrl: url }),
      `request returned Not Found for API route and version ${url}, check if the server supports the requested API version`,
    );
  });

  it("unparsable JSON → 'Error reading JSON: ...'", () => {
    const text = daemonErrorText({ statusCode: 500, contentType: "application/json", body: "{nope", requestUrl: url });
    assert.match(text, /^Error reading JSON: /);
  });
});

describe("pull stream parsing", () => {
  it("splits on newlines and keeps the incomplete tail for the next chunk", () => {
    const { messages, rest } = splitPullStream('{"status":"a"}\r\n{"status":"b"}\r\n{"sta');
    assert.deepEqual(messages, ['{"status":"a"}', '{"status":"b"}']);
    assert.equal(rest, '{"sta');
  });

  it("a stream error is the bare `error` field", () => {
    assert.deepEqual(parsePullMessage('{"errorDetail":{"message":"unknown blob"},"error":"unknown blob"}'), {
      errorDetail: { message: "unknown blob" },
      error: "unknown blob",
    });
  });

  it("a line that is not a JSON object is a decode error", () => {
    assert.ok("decodeError" in parsePullMessage("{cut"));
    assert.ok("decodeError" in parsePullMessage("[1]"));
  });
});

describe("registryAuthHeader (X-Registry-Auth)", () => {
  it("is base64url JSON of exactly {username,password}, padded like Go's base64.URLEncoding", () => {
    const header = registryAuthHeader({ username: "u>?", password: "p~~~" });
    assert.doesNotMatch(header, /[+/]/);
    assert.equal(header.length % 4, 0);
    assert.deepEqual(JSON.parse(Buffer.from(header, "base64url").toString("utf8")), { username: "u>?", password: "p~~~" });
  });

  it("AuthConfig's fields travel in Go's struct order, empty ones omitted (omitempty); unknown ones never", () => {
    const auth = { registrytoken: "r", username: "u", password: "p", serveraddress: "elsewhere", email: "", other: "x" } as { username: string; password: string };
    assert.deepEqual(Object.keys(JSON.parse(Buffer.from(registryAuthHeader(auth), "base64url").toString())), ["username", "password", "serveraddress", "registrytoken"]);
  });

  it("no credentials → {} (what the agent sends for an image without any)", () => {
    assert.equal(Buffer.from(registryAuthHeader(undefined), "base64url").toString(), "{}");
  });
});

describe("splitImageReference (fromImage/tag of POST /images/create)", () => {
  it("registry with a port, tag", () => {
    assert.deepEqual(splitImageReference("127.0.0.1:5000/team/app:v1"), { fromImage: "127.0.0.1:5000/team/app", tag: "v1" });
  });
  it("no tag → latest, the port is not a tag", () => {
    assert.deepEqual(splitImageReference("127.0.0.1:5000/team/app"), { fromImage: "127.0.0.1:5000/team/app", tag: "latest" });
  });
  it("digest", () => {
    assert.deepEqual(splitImageReference("r.example/app@sha256:abc"), { fromImage: "r.example/app", tag: "sha256:abc" });
  });
});
