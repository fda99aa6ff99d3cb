// Issue 17, CPU per answer: what the per-request path now keeps between requests or computes another way must give
// the answers it gave before — the HMAC from cached pads, the request ids, the parse caches (bounded, keyed by the
// whole text), the Host verdict kept for the last Host, the partitions found by service/account/region, the decision
// as a class, the call list's shared strings.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { parseAuthorization } from "../../emulator/auth/authorization-header.ts";
import { expectedSignature, signingKey } from "../../emulator/auth/signature.ts";
import { hostCheck } from "../../emulator/host-check.ts";
import { EmulatorStore } from "../../emulator/index.ts";
import { nextRequestId } from "../../emulator/protocol/request-id.ts";
import { parseSecretArn } from "../../emulator/services/secretsmanager/arn.ts";
import { CallStats } from "../../emulator/stats.ts";
import { evaluate } from "../../aws/iam/index.ts";

const AMZ_DATE = "20251001T120000Z";

/** The signature as createHmac computes it, for the same request. */
function referenceSignature(secret: string, canonicalRequestHash: string, region: string, service: string): string {
  const scope = `${AMZ_DATE.slice(0, 8)}/${region}/${service}/aws4_request`;
  const key = signingKey(secret, AMZ_DATE.slice(0, 8), region, service);
  return createHmac("sha256", key).update(`AWS4-HMAC-SHA256\n${AMZ_DATE}\n${scope}\n${canonicalRequestHash}`).digest("hex");
}

describe("the request HMAC from the derived key's pads", () => {
  const request = { method: "POST", path: "/", query: "", headers: { host: "127.0.0.1", "x-amz-date": AMZ_DATE }, body: Buffer.from("{}") };
  const authorizationFor = (service: string) => {
    const auth = parseAuthorization(`AWS4-HMAC-SHA256 Credential=AKID/20251001/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`);
    assert.ok(auth.ok);
    return auth.value;
  };

  for (const service of ["secretsmanager", "sérvice", "s".repeat(1200)]) {
    it(`equals createHmac's for a ${service.length > 100 ? "string to sign longer than the pad's buffer" : service === "secretsmanager" ? "plain scope" : "scope that is not ASCII"}`, () => {
      const authorization = authorizationFor(service);
      const got = expectedSignature(request, authorization, "secret", AMZ_DATE);
      const canonical = `POST\n/\n\nhost:127.0.0.1\nx-amz-date:${AMZ_DATE}\n\nhost;x-amz-date\n${createHashHex(request.body)}`;
      assert.equal(got, referenceSignature("secret", createHashHex(Buffer.from(canonical)), "us-east-1", service));
      // Twice: the second call reuses the pads' buffers.
      assert.equal(expectedSignature(request, authorization, "secret", AMZ_DATE), got);
    });
  }
});

function createHashHex(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

describe("request ids", () => {
  it("are UUID-shaped, version 4, and differ from call to call", () => {
    const ids = Array.from({ length: 1000 }, () => nextRequestId());
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe("parse caches", () => {
  it("parseSecretArn answers the same for repeated, unparseable and over-long texts", () => {
    const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/creds-AbCdEf";
    const first = parseSecretArn(arn);
    assert.deepEqual(first, { region: "us-east-1", account: "123456789012", resource: "app/creds-AbCdEf" });
    assert.equal(parseSecretArn(` ${arn}`.slice(1)), first);
    assert.equal(parseSecretArn("app/creds"), undefined);
    assert.equal(parseSecretArn("app/creds"), undefined);
    const long = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${"n".repeat(5000)}`;
    assert.equal(parseSecretArn(long)?.resource.length, 5000);
    assert.throws(() => ((first as { account: string }).account = "x"), TypeError);
  });

  it("SignedHeaders lists are lower-cased and split the same way every time", () => {
    const header = (list: string) => `AWS4-HMAC-SHA256 Credential=AKID/20251001/us-east-1/sts/aws4_request, SignedHeaders=${list}, Signature=ab`;
    const a = parseAuthorization(header("Host;X-Amz-Date;;x-amz-target"));
    const b = parseAuthorization(header("Host;X-Amz-Date;;x-amz-target"));
    assert.ok(a.ok && b.ok);
    assert.deepEqual(a.value.signedHeaders, ["host", "x-amz-date", "x-amz-target"]);
    assert.deepEqual(b.value.signedHeaders, a.value.signedHeaders);
    const c = parseAuthorization(header("host;x-amz-date"));
    assert.ok(c.ok);
    assert.deepEqual(c.value.signedHeaders, ["host", "x-amz-date"]);
  });
});

describe("the Host check's last verdict", () => {
  it("follows the Host value from request to request", () => {
    const check = hostCheck("127.0.0.1", ["emulator"]);
    const hosts = ["127.0.0.1:4566", "attacker.example", "attacker.example", "EMULATOR:80", "localhost", "evil", undefined, "evil"];
    assert.deepEqual(hosts.map((h) => check.allows(h)), [true, false, false, true, true, false, true, false]);
  });
});

describe("store partitions", () => {
  it("are found by service, account and region, once each, restored ones included", () => {
    const restored = new Map([["svc\u0000111111111111\u0000eu-west-1", { n: 7 }]]);
    const store = new EmulatorStore(restored);
    let made = 0;
    const make = () => ({ n: ++made });
    const a = store.regional("svc", "111111111111", "us-east-1", make);
    assert.equal(store.regional("svc", "111111111111", "us-east-1", make), a);
    assert.notEqual(store.regional("svc", "222222222222", "us-east-1", make), a);
    assert.notEqual(store.regional("other", "111111111111", "us-east-1", make), a);
    const back = store.regional("svc", "111111111111", "eu-west-1", make);
    assert.equal(back.n, 7);
    assert.equal(store.regional("svc", "111111111111", "eu-west-1", make), back);
    assert.equal(store.partitionCount, 4);
    assert.equal(store.exportPartitions().get("svc\u0000111111111111\u0000eu-west-1"), back);
  });
});

describe("the decision object", () => {
  it("serialises with its lazy parts, and reads them once", () => {
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    const d = evaluate(
      { principal: { arn: "arn:aws:iam::123456789012:user/u", account: "123456789012", type: "User" }, action: "s3:getobject", resource: "arn:aws:s3:::b/k", resourceAccount: "123456789012" },
      { identity: [{ id: "p", type: "inline", document: policy }] },
    );
    assert.equal(d.decision, "allowed");
    assert.equal(d.trace, d.trace);
    const json = JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json).sort(), ["deciding", "decision", "explanation", "hints", "matched", "missingContextValues", "trace"]);
    // Only the decision's data are its own properties (what the request and policies were stays private).
    for (const key of Object.keys(d)) assert.ok(["deciding", "decision", "matched", "missingContextValues", "reasonClause"].includes(key), key);
  });
});

describe("the call list", () => {
  it("names a secret by the string first counted for it", () => {
    const stats = new CallStats(10);
    const first = "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf";
    stats.record({ service: "secretsmanager", operation: "GetSecretValue", secretId: first, region: "us-east-1", account: "a", requestId: "1" });
    stats.record({ service: "secretsmanager", operation: "GetSecretValue", secretId: ` ${first}`.slice(1), region: "us-east-1", account: "a", requestId: "2" });
    assert.equal(stats.calls[1]!.secretId, first);
    assert.equal(stats.count("GetSecretValue", { secretId: first }), 2);
  });
});
