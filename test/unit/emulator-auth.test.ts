// The SigV4 check on both wires: a correct signature passes; a wrong secret, an unknown key, a forged or expired
// session token, a request outside ±15 minutes and a missing Authorization each answer AWS's code and text, byte
// for byte — JSON 1.1 (Secrets Manager, 400) and Query/XML (STS, 403). Also `signatureCheck: false`.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../../emulator/auth/sha256.ts";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { AuthText, signatureExpiredText, signatureNotYetCurrentText } from "../../aws/texts.ts";
import { assumeRoleAsService } from "../../emulator/services/sts/index.ts";
import { iamState } from "../../emulator/state/iam.ts";

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

let emulator: StartedEmulator;
const clockNow = NOW;

before(async () => {
  emulator = await startEmulator({ port: 0, clock: { now: () => clockNow }, accounts: [{ account: "111122223333", accessKeyId: "AKIAADMIN", secretAccessKey: "admin-secret" }] });
});
after(() => emulator.close());

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

type Wire = "json" | "query";

/** A request as the SDKs send it, signed at `signedAt` with `keys` (or unsigned). */
async function send(wire: Wire, keys: Keys | undefined, signedAt = NOW, tamper?: (headers: Record<string, string>) => void) {
  const url = new URL(emulator.url);
  const body = wire === "json" ? JSON.stringify({ SecretId: "nothing" }) : "Action=GetCallerIdentity&Version=2011-06-15";
  const headers: Record<string, string> =
    wire === "json"
      ? { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.DescribeSecret" }
      : { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
  let signedHeaders = headers;
  if (keys !== undefined) {
    const signer = new SignatureV4({ credentials: keys, region: "us-east-1", service: wire === "json" ? "secretsmanager" : "sts", sha256: NodeSha256 });
    const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", headers: { ...headers }, body }, { signingDate: new Date(signedAt) });
    signedHeaders = signed.headers as Record<string, string>;
  }
  tamper?.(signedHeaders);
  const { host: _host, ...rest } = signedHeaders;
  const res = await fetch(emulator.url, { method: "POST", headers: rest, body });
  return { status: res.status, text: await res.text(), type: res.headers.get("content-type") };
}

function jsonError(code: string, message: string): string {
  return JSON.stringify({ __type: code, message });
}

function xmlError(code: string, message: string, text: string): string {
  const requestId = /<RequestId>([^<]+)<\/RequestId>/.exec(text)?.[1] ?? "";
  return `<ErrorResponse xmlns="${STS_NS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${message}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
}

async function expectRefusal(wire: Wire, res: { status: number; text: string }, codes: [string, string], message: string) {
  if (wire === "json") {
    assert.equal(res.status, 400);
    assert.equal(res.text, jsonError(codes[0], message));
  } else {
    assert.equal(res.status, 403);
    assert.equal(res.text, xmlError(codes[1], message, res.text));
  }
}

const ADMIN: Keys = { accessKeyId: "AKIAADMIN", secretAccessKey: "admin-secret" };

function sessionKeys(expired = false): Keys {
  const store = emulator.emulator.store;
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
  const state = iamState(store, "111122223333");
  if (!state.roles.has("exec")) {
    state.roles.set("exec", { roleName: "exec", roleId: "AROAEXAMPLEEXAMPLE1", arn: "arn:aws:iam::111122223333:role/exec", path: "/", createDate: NOW, assumeRolePolicyDocument: trust, maxSessionDuration: 3600, tags: [], inlinePolicies: new Map(), attachedPolicies: [] });
  }
  const ctx = { account: "111122223333", region: "us-east-1", requestId: "r", now: expired ? NOW - 2 * 3600_000 : NOW, store };
  const s = assumeRoleAsService(ctx, "arn:aws:iam::111122223333:role/exec");
  return { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken };
}

for (const wire of ["json", "query"] as const) {
  describe(`SigV4 check on the ${wire === "json" ? "JSON 1.1" : "Query/XML"} wire`, () => {
    it("a correctly signed request passes (admin key, and a role session with its token)", async () => {
      const admin = await send(wire, ADMIN);
      const session = await send(wire, sessionKeys());
      if (wire === "json") {
        // Past authentication: the admin learns the secret does not exist; the session (no policies) is denied by IAM.
        assert.equal(admin.status, 400);
        assert.match(admin.text, /ResourceNotFoundException/);
        assert.match(session.text, /AccessDeniedException/);
      } else {
        assert.equal(admin.status, 200, admin.text);
        assert.match(admin.text, /<Arn>arn:aws:iam::111122223333:root<\/Arn>/);
        assert.match(session.text, /<Arn>arn:aws:sts::111122223333:assumed-role\/exec\/ecs-pull-task<\/Arn>/);
      }
    });

    it("wrong secret key → signature mismatch", async () => {
      await expectRefusal(wire, await send(wire, { ...ADMIN, secretAccessKey: "wrong" }), ["InvalidSignatureException", "SignatureDoesNotMatch"], AuthText.signatureMismatch);
    });

    it("a body changed after signing → signature mismatch", async () => {
      const res = await send(wire, ADMIN, NOW, (h) => {
        h["x-amz-date"] = "20250101T120001Z";
      });
      await expectRefusal(wire, res, ["InvalidSignatureException", "SignatureDoesNotMatch"], AuthText.signatureMismatch);
    });

    it("unknown access key → the security token is invalid", async () => {
      await expectRefusal(wire, await send(wire, { accessKeyId: "AKIANOBODY", secretAccessKey: "x" }), ["UnrecognizedClientException", "InvalidClientTokenId"], AuthText.invalidToken);
    });

    it("session key with a forged token → invalid; expired session → expired", async () => {
      const keys = sessionKeys();
      await expectRefusal(wire, await send(wire, { ...keys, sessionToken: "forged" }), ["UnrecognizedClientException", "InvalidClientTokenId"], AuthText.invalidToken);
      await expectRefusal(wire, await send(wire, sessionKeys(true)), ["ExpiredTokenException", "ExpiredToken"], AuthText.expiredToken);
    });

    it("signed more than 15 minutes ago or ahead → signature expired / not yet current", async () => {
      const old = NOW - 16 * 60_000;
      await expectRefusal(wire, await send(wire, ADMIN, old), ["InvalidSignatureException", "SignatureDoesNotMatch"], signatureExpiredText("20250101T114400Z", "20250101T114500Z", "20250101T120000Z"));
      const ahead = NOW + 16 * 60_000;
      await expectRefusal(wire, await send(wire, ADMIN, ahead), ["InvalidSignatureException", "SignatureDoesNotMatch"], signatureNotYetCurrentText("20250101T121600Z", "20250101T121500Z", "20250101T120000Z"));
      // 14 minutes is within the window.
      assert.notEqual((await send(wire, ADMIN, NOW - 14 * 60_000)).status, 403);
    });

    it("no Authorization header → missing authentication token", async () => {
      await expectRefusal(wire, await send(wire, undefined), ["MissingAuthenticationTokenException", "MissingAuthenticationToken"], AuthText.missingToken);
    });
  });
}

describe("signatureCheck: false", () => {
  it("accepts unsigned and badly signed requests; known keys keep their principal, others act as the default admin", async () => {
    const open = await startEmulator({ port: 0, signatureCheck: false, defaultAccount: "444455556666" });
    try {
      const body = "Action=GetCallerIdentity&Version=2011-06-15";
      const unsigned = await fetch(open.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
      assert.equal(unsigned.status, 200);
      assert.match(await unsigned.text(), /<Arn>arn:aws:iam::444455556666:root<\/Arn>/);
      const badly = await fetch(open.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00", "x-amz-date": "20000101T000000Z" },
        body,
      });
      assert.equal(badly.status, 200);
    } finally {
      await open.close();
    }
  });
});
