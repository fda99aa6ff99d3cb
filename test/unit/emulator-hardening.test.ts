// Issue 16: nothing a request can do stops the emulator. One test per finding, each sending the request that showed
// it and asserting AWS's answer (or the bound): a hostile wildcard, a bad compressed body, a credential scope for
// another service or a region AWS does not have, what the signature must cover, the Host header, a session policy,
// a month 13. The requests go through a real listening server; the AWS SDK clients where they can send them.
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand, SimulateCustomPolicyCommand } from "@aws-sdk/client-iam";
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../../emulator/auth/sha256.ts";
import { parseAmzDate } from "../../emulator/auth/verify.ts";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { AuthText, WireText, headerNotSignedText, invalidRegionText, wrongServiceText } from "../../aws/texts.ts";
import { MalformedPolicyText } from "../../aws/iam/texts.ts";
import { checkRemoteBind, isLoopback } from "../../cli/commands/serve.ts";
import { hostCheck } from "../../emulator/host-check.ts";
import { runCli } from "../support/cli.ts";

const ACCOUNT = "000000000000";
const admin = { accessKeyId: "test", secretAccessKey: "test" };
let emulator: StartedEmulator;
let port: number;

before(async () => {
  emulator = await startEmulator({ port: 0, allowedHosts: ["emulator"] });
  port = emulator.port;
});
after(() => emulator.close());

interface Answer {
  status: number;
  text: string;
}

/** A raw HTTP request (node:http, so that Host can be anything). */
function raw(headers: Record<string, string>, body: string | Buffer = "", method = "POST", path = "/"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

interface SignOptions {
  region?: string;
  service?: string;
  target?: string;
  body?: string;
  contentType?: string;
  /** Headers left out of SignedHeaders. */
  unsigned?: string[];
  /** Headers added or changed after signing. */
  after?: Record<string, string>;
  /** Replaces the body after signing. */
  bodyAfter?: string | Buffer;
  extra?: Record<string, string>;
  date?: Date;
}

/** Signs with the SDK's own signer as an SDK would, then optionally tampers. */
async function signed(o: SignOptions = {}): Promise<Answer> {
  const body = o.body ?? (o.target === undefined ? "Action=GetCallerIdentity&Version=2011-06-15" : "{}");
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    "content-type": o.contentType ?? (o.target === undefined ? "application/x-www-form-urlencoded; charset=utf-8" : "application/x-amz-json-1.1"),
    ...(o.target !== undefined && { "x-amz-target": o.target }),
    ...o.extra,
  };
  const signer = new SignatureV4({ credentials: admin, region: o.region ?? "us-east-1", service: o.service ?? "secretsmanager", sha256: NodeSha256 });
  const unsignable = new Set(o.unsigned ?? []);
  const request = await signer.sign(
    { method: "POST", protocol: "http:", hostname: "127.0.0.1", port, path: "/", headers, body },
    { unsignableHeaders: unsignable, ...(o.date && { signingDate: o.date }) },
  );
  return raw({ ...(request.headers as Record<string, string>), ...o.after }, o.bodyAfter ?? body);
}

const json = (a: Answer) => JSON.parse(a.text) as Record<string, string>;

describe("finding 1: a hostile wildcard does not stop the process", () => {
  it("GetSecretValue from a role whose Resource is *a*a*a…b, on a secret named 100 × a, is denied at once", async () => {
    const endpoint = emulator.url;
    const iam = new IAMClient({ endpoint, region: "us-east-1", credentials: admin });
    const sts = new STSClient({ endpoint, region: "us-east-1", credentials: admin });
    const sm = new SecretsManagerClient({ endpoint, region: "us-east-1", credentials: admin });
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }] };
    await iam.send(new CreateRoleCommand({ RoleName: "hostile", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const resource = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${"*a".repeat(20)}*b`;
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: resource }] };
    await iam.send(new PutRolePolicyCommand({ RoleName: "hostile", PolicyName: "p", PolicyDocument: JSON.stringify(policy) }));
    await sm.send(new CreateSecretCommand({ Name: "a".repeat(100), SecretString: "x" }));
    const session = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/hostile`, RoleSessionName: "s1" }));
    const c = session.Credentials!;
    const asRole = new SecretsManagerClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
    const started = performance.now();
    await assert.rejects(asRole.send(new GetSecretValueCommand({ SecretId: "a".repeat(100) })), { name: "AccessDeniedException" });
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
  });

  it("SimulateCustomPolicy with StringLike *a*a*…b (20 stars) against a 100-character value answers at once", async () => {
    const iam = new IAMClient({ endpoint: emulator.url, region: "us-east-1", credentials: admin });
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { StringLike: { "aws:username": `${"*a".repeat(20)}*b` } } }] };
    const started = performance.now();
    const out = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [JSON.stringify(policy)],
        ActionNames: ["s3:GetObject"],
        ContextEntries: [{ ContextKeyName: "aws:username", ContextKeyType: "string", ContextKeyValues: ["a".repeat(100)] }],
      }),
    );
    assert.equal(out.EvaluationResults?.[0]?.EvalDecision, "implicitDeny");
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
  });
});

describe("finding 2: a body its Content-Encoding cannot decode is the caller's error", () => {
  for (const encoding of ["gzip", "deflate", "br"]) {
    it(`JSON, ${encoding}, body "garbage" → 400 SerializationException`, async () => {
      const a = await raw({ "content-encoding": encoding, "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.ListSecrets" }, "garbage");
      assert.equal(a.status, 400);
      assert.deepEqual(json(a), { __type: "SerializationException", Message: WireText.undecodableBody(encoding) });
    });
  }
  it("Query, gzip, body garbage → MalformedQueryString in the XML error shape", async () => {
    const a = await raw({ "content-encoding": "gzip", "content-type": "application/x-www-form-urlencoded" }, "garbage");
    assert.equal(a.status, 404);
    assert.match(a.text, /<Code>MalformedQueryString<\/Code>/);
    assert.match(a.text, new RegExp(`<Message>${WireText.undecodableBody("gzip")}</Message>`));
  });
  it("a well-formed gzip body is read", async () => {
    const a = await raw({ "content-encoding": "gzip", "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.ListSecrets" }, gzipSync("{}"));
    assert.equal(a.status, 400); // unsigned: the body was read, the request then refused for its missing signature
    assert.equal(json(a).__type, "MissingAuthenticationTokenException");
  });
});

describe("finding 3: the credential scope's service must be the request's", () => {
  for (const service of ["s3", "kms"]) {
    it(`signed for ${service}, X-Amz-Target secretsmanager.GetSecretValue → InvalidSignatureException`, async () => {
      const a = await signed({ service, target: "secretsmanager.GetSecretValue", body: JSON.stringify({ SecretId: "a".repeat(100) }) });
      assert.equal(a.status, 400);
      assert.deepEqual(json(a), { __type: "InvalidSignatureException", message: wrongServiceText("secretsmanager") });
    });
  }
  it("Query: STS GetCallerIdentity signed for iam's neighbour s3 → 403 SignatureDoesNotMatch naming sts", async () => {
    const a = await signed({ service: "s3" });
    assert.equal(a.status, 403);
    assert.match(a.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.ok(a.text.includes(`<Message>${wrongServiceText("sts").replace(/'/g, "&apos;")}</Message>`) || a.text.includes(`<Message>${wrongServiceText("sts")}</Message>`), a.text);
  });
  it("signed for the right service → 200", async () => {
    const a = await signed({ service: "secretsmanager", target: "secretsmanager.ListSecrets" });
    assert.equal(a.status, 200, a.text);
  });
});

describe("finding 4: only AWS's regions, and no state for the others", () => {
  it("xx-fake-9 → InvalidSignatureException, Credential should be scoped to a valid region", async () => {
    const a = await signed({ region: "xx-fake-9", target: "secretsmanager.ListSecrets" });
    assert.equal(a.status, 400);
    assert.deepEqual(json(a), { __type: "InvalidSignatureException", message: invalidRegionText("xx-fake-9") });
  });
  it("2,000 distinct long regions keep no state (signature checking on and off)", async () => {
    await using off = await startEmulator({ port: 0, signatureCheck: false });
    const before = emulator.emulator.store.partitionCount;
    const beforeOff = off.emulator.store.partitionCount;
    for (let i = 0; i < 1000; i++) {
      const region = `r${i}-${"x".repeat(2000)}`;
      const a = await signed({ region, target: "secretsmanager.ListSecrets" });
      assert.equal(a.status, 400);
      const b = await fetch(off.url, {
        method: "POST",
        headers: { "x-amz-target": "secretsmanager.ListSecrets", authorization: `AWS4-HMAC-SHA256 Credential=test/20250101/${region}/secretsmanager/aws4_request, SignedHeaders=host, Signature=00` },
        body: "{}",
      });
      assert.equal(b.status, 400);
    }
    assert.equal(emulator.emulator.store.partitionCount, before);
    assert.equal(off.emulator.store.partitionCount, beforeOff);
  });
});

describe("finding 5: the signature covers the body and the headers that choose the operation", () => {
  it("x-amz-content-sha256: UNSIGNED-PAYLOAD then another body → InvalidSignatureException", async () => {
    const a = await signed({
      target: "secretsmanager.ListSecrets",
      extra: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      bodyAfter: JSON.stringify({ MaxResults: 1 }),
    });
    assert.equal(a.status, 400);
    assert.deepEqual(json(a), { __type: "InvalidSignatureException", message: AuthText.signatureMismatch });
  });
  it("SignedHeaders without x-amz-target, replayed with another operation → IncompleteSignatureException", async () => {
    const a = await signed({ target: "secretsmanager.ListSecrets", unsigned: ["x-amz-target"], after: { "x-amz-target": "secretsmanager.GetSecretValue" }, body: JSON.stringify({ SecretId: "a".repeat(100) }) });
    assert.equal(a.status, 400);
    assert.deepEqual(json(a), { __type: "IncompleteSignatureException", message: headerNotSignedText("X-Amz-Target") });
  });
  it("SignedHeaders without host → IncompleteSignatureException", async () => {
    const a = await signed({ target: "secretsmanager.ListSecrets", unsigned: ["host"] });
    assert.equal(a.status, 400);
    assert.deepEqual(json(a), { __type: "IncompleteSignatureException", message: headerNotSignedText("Host") });
  });
});

describe("finding 6: only this server's own names in Host", () => {
  it("Host: attacker.example → 421, nothing served (the teaching page neither)", async () => {
    for (const path of ["/_ecs-pull/health", "/ui/", "/"]) {
      const a = await raw({ host: "attacker.example" }, "", path === "/" ? "POST" : "GET", path);
      assert.equal(a.status, 421);
      assert.deepEqual(json(a), { __type: "MisdirectedRequest", message: WireText.hostNotServed("attacker.example") });
    }
  });
  it("localhost, 127.0.0.1, [::1] (with or without port) and --allowed-host names are answered", async () => {
    for (const host of ["localhost", `localhost:${port}`, "127.0.0.1", `127.0.0.1:${port}`, "[::1]", `[::1]:${port}`, "emulator", `EMULATOR:${port}`]) {
      const a = await raw({ host }, "", "GET", "/_ecs-pull/health");
      assert.equal(a.status, 200, host);
    }
  });

  it("--allowed-host takes names with or without a port, IPv6 with or without brackets; the bound address counts", () => {
    const check = hostCheck("192.0.2.7", ["emulator:4566", "fd00::1", "[fd00::2]"]);
    for (const host of ["emulator", "emulator:1", "[fd00::1]:4566", "[fd00::2]", "192.0.2.7:4566", "LOCALHOST"]) assert.ok(check.allows(host), host);
    for (const host of ["emulator.attacker.example", "192.0.2.8", "[fd00::3]", "localhost.attacker.example:80"]) assert.ok(!check.allows(host), host);
    assert.ok(!hostCheck("0.0.0.0").allows("0.0.0.0"), "a wildcard bind is not a name");
  });
});

describe("finding 7: a non-loopback bind is a decision", () => {
  it("serve --host 0.0.0.0 without --allow-remote exits 2 naming the flag", async () => {
    const r = await runCli(["serve", "--host", "0.0.0.0", "--port", "0"], {}, 60_000);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--allow-remote/);
    assert.match(r.stderr, /test\/test is public knowledge/);
  });
  it("--allow-remote or an own admin key let it through with a warning; loopback needs neither", () => {
    const lines: string[] = [];
    checkRemoteBind("0.0.0.0", true, false, (l) => lines.push(l));
    checkRemoteBind("192.0.2.1", false, true, (l) => lines.push(l));
    checkRemoteBind("127.0.0.1", false, false, (l) => lines.push(l));
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /public knowledge/);
    assert.ok(isLoopback("::1") && isLoopback("localhost") && isLoopback("127.1.2.3") && !isLoopback("0.0.0.0") && !isLoopback("::"));
  });
});

describe("finding 8: AssumeRole's session policy is validated as STS does", () => {
  const assume = (policy: string) =>
    new STSClient({ endpoint: emulator.url, region: "us-east-1", credentials: admin }).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/hostile`, RoleSessionName: "s1", Policy: policy }),
    );
  it("deep nesting → MalformedPolicyDocument", async () => {
    const nested = `{"Version":"2012-10-17","Statement":${"[".repeat(900)}${"]".repeat(900)}}`;
    await assert.rejects(assume(nested), { name: "MalformedPolicyDocumentException", message: MalformedPolicyText.syntax });
  });
  it("over 2,048 characters → ValidationError", async () => {
    const long = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${"b".repeat(2100)}` }] });
    await assert.rejects(assume(long), (e: Error) => e.name === "ValidationError" && /Member must have length less than or equal to 2048/.test(e.message));
  });
  it("a valid session policy → credentials", async () => {
    const ok = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] });
    const out = await assume(ok);
    assert.ok(out.Credentials?.AccessKeyId);
  });
});

describe("finding 9: X-Amz-Date out of range is malformed", () => {
  it("month 13, day 32, hour 25, 30 February → undefined; a real date parses", () => {
    for (const bad of ["20251301T120000Z", "20250132T120000Z", "20250101T250000Z", "20250230T000000Z", "20250101T126000Z"]) assert.equal(parseAmzDate(bad), undefined, bad);
    assert.equal(parseAmzDate("20240229T235959Z")?.toISOString(), "2024-02-29T23:59:59.000Z");
  });
  it("a request dated month 13 → IncompleteSignatureException about X-Amz-Date", async () => {
    const a = await signed({ target: "secretsmanager.ListSecrets", after: { "x-amz-date": "20251301T120000Z" } });
    assert.equal(a.status, 400);
    assert.equal(json(a).__type, "IncompleteSignatureException");
  });
});
