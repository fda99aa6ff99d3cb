// The emulator's Secrets Manager on the raw JSON 1.1 wire (supertest, no SDK): answer shapes and headers, every
// AWS error text byte for byte against aws/texts.ts, and bad input that must never become a 500 or a stack trace.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import request from "supertest";
import { createEmulator, type EmulatorLogEntry } from "../../emulator/index.ts";
import {
  SecretsManagerText,
  WireText,
  clientRequestTokenInUseText,
  secretAlreadyExistsText,
  stagingLabelNotFoundText,
  unknownOperationText,
  versionIdNotFoundText,
} from "../../aws/texts.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TOKEN_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const TOKEN_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const TOKEN_C = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";

function signedFor(region: string): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/${region}/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=abc`;
}

function setup(options: Parameters<typeof createEmulator>[0] = {}) {
  // These tests send hand-written, unsigned requests: the SigV4 check has its own tests (emulator-auth*.test.ts).
  const emulator = createEmulator({ signatureCheck: false, ...options });
  const call = (operation: string, body: unknown, headers: Record<string, string> = {}) =>
    request(emulator.app)
      .post("/")
      .set("Content-Type", "application/x-amz-json-1.1")
      .set("X-Amz-Target", `secretsmanager.${operation}`)
      .set(headers)
      .send(typeof body === "string" ? body : JSON.stringify(body));
  return { emulator, call };
}

/** supertest parses only application/json; AWS answers application/x-amz-json-1.1. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function json(res: request.Response): any {
  return JSON.parse(res.text);
}

/** The exact bytes AWS sends for a Secrets Manager error. */
function awsErrorBytes(code: string, message: string): string {
  return JSON.stringify({ __type: code, Message: message });
}

async function expectError(response: request.Response, code: string, message: string): Promise<void> {
  assert.equal(response.status, 400, response.text);
  assert.equal(response.headers["content-type"], "application/x-amz-json-1.1");
  assert.match(response.headers["x-amzn-requestid"] ?? "", UUID);
  assert.equal(response.text, awsErrorBytes(code, message));
}

describe("emulator wire: answers", () => {
  it("CreateSecret answers 200 with ARN, Name, VersionId, the JSON 1.1 content type and a request id", async () => {
    const { call } = setup();
    const res = await call("CreateSecret", { Name: "app/registry", SecretString: "{}", ClientRequestToken: TOKEN_A });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/x-amz-json-1.1");
    assert.match(res.headers["x-amzn-requestid"] ?? "", UUID);
    assert.deepEqual(Object.keys(json(res)), ["ARN", "Name", "VersionId"]);
    assert.match(json(res).ARN, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/registry-[A-Za-z0-9]{6}$/);
    assert.equal(json(res).VersionId, TOKEN_A);
  });

  it("every answer carries its own request id", async () => {
    const { call } = setup();
    const a = await call("ListSecrets", {});
    const b = await call("ListSecrets", {});
    assert.notEqual(a.headers["x-amzn-requestid"], b.headers["x-amzn-requestid"]);
  });

  it("region comes from the SigV4 credential scope; unsigned requests use the default region", async () => {
    const { call } = setup({ defaultRegion: "eu-central-1", defaultAccount: "111122223333" });
    const signed = await call("CreateSecret", { Name: "s1" }, { Authorization: signedFor("ap-northeast-1") });
    assert.match(json(signed).ARN, /^arn:aws:secretsmanager:ap-northeast-1:111122223333:secret:s1-/);
    const unsigned = await call("CreateSecret", { Name: "s1" });
    assert.match(json(unsigned).ARN, /^arn:aws:secretsmanager:eu-central-1:111122223333:secret:s1-/);
    // Regions are separate: the name is free in each, and invisible from the other.
    const other = await call("DescribeSecret", { SecretId: "s1" }, { Authorization: signedFor("us-west-2") });
    await expectError(other, "ResourceNotFoundException", SecretsManagerText.secretNotFound);
  });

  it("a secret created without a value has no VersionId and DescribeSecret omits absent members", async () => {
    const { call } = setup();
    const created = await call("CreateSecret", { Name: "empty" });
    assert.deepEqual(Object.keys(json(created)), ["ARN", "Name"]);
    const described = await call("DescribeSecret", { SecretId: "empty" });
    assert.deepEqual(Object.keys(json(described)).sort(), ["ARN", "CreatedDate", "LastChangedDate", "Name"]);
    assert.ok(!described.text.includes("null"));
    assert.equal(typeof json(described).CreatedDate, "number");
  });

  it("timestamps are epoch seconds with a fraction; LastAccessedDate is kept to the day", async () => {
    const now = Date.UTC(2025, 0, 2, 15, 30, 45, 123);
    const { call } = setup({ clock: { now: () => now } });
    await call("CreateSecret", { Name: "t", SecretString: "x", ClientRequestToken: TOKEN_A });
    const value = await call("GetSecretValue", { SecretId: "t" });
    assert.equal(json(value).CreatedDate, now / 1000);
    assert.match(value.text, /"CreatedDate":1735831845\.123/);
    const described = await call("DescribeSecret", { SecretId: "t" });
    assert.equal(json(described).LastAccessedDate, Date.UTC(2025, 0, 2) / 1000);
  });

  it("GetSecretValue answers exactly ARN, Name, VersionId, SecretString, VersionStages, CreatedDate", async () => {
    const { call } = setup();
    await call("CreateSecret", { Name: "g", SecretString: '{"username":"u","password":"p"}', ClientRequestToken: TOKEN_A });
    const res = await call("GetSecretValue", { SecretId: "g" });
    assert.deepEqual(Object.keys(json(res)).sort(), ["ARN", "CreatedDate", "Name", "SecretString", "VersionId", "VersionStages"]);
    assert.deepEqual(json(res).VersionStages, ["AWSCURRENT"]);
  });

  it("SecretBinary travels as base64 and comes back byte for byte", async () => {
    const { call } = setup();
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    await call("CreateSecret", { Name: "bin", SecretBinary: bytes.toString("base64"), ClientRequestToken: TOKEN_A });
    const res = await call("GetSecretValue", { SecretId: "bin" });
    assert.equal(json(res).SecretString, undefined);
    assert.deepEqual(Buffer.from(json(res).SecretBinary, "base64"), bytes);
  });

  it("accepts any request content type for the JSON body", async () => {
    const { emulator } = setup();
    const res = await request(emulator.app).post("/").set("X-Amz-Target", "secretsmanager.ListSecrets").set("Content-Type", "text/plain").send("{}");
    assert.equal(res.status, 200);
    assert.deepEqual(json(res), { SecretList: [] });
  });

  it("TagResource and UntagResource answer {}; Tags stay [] once all are removed", async () => {
    const { call } = setup();
    await call("CreateSecret", { Name: "tags" });
    assert.equal((await call("TagResource", { SecretId: "tags", Tags: [{ Key: "k", Value: "v" }] })).text, "{}");
    assert.equal((await call("UntagResource", { SecretId: "tags", TagKeys: ["k"] })).text, "{}");
    assert.deepEqual(json(await call("DescribeSecret", { SecretId: "tags" })).Tags, []);
  });
});

describe("emulator wire: AWS error texts, byte for byte", () => {
  it("unknown secret → ResourceNotFoundException", async () => {
    const { call } = setup();
    for (const op of ["GetSecretValue", "DescribeSecret", "DeleteSecret", "RestoreSecret"]) {
      await expectError(await call(op, { SecretId: "missing" }), "ResourceNotFoundException", SecretsManagerText.secretNotFound);
    }
    await expectError(
      await call("PutSecretValue", { SecretId: "missing", SecretString: "x", ClientRequestToken: TOKEN_A }),
      "ResourceNotFoundException",
      SecretsManagerText.secretNotFound,
    );
  });

  it("staging label absent, also for a secret created without a value", async () => {
    const { call } = setup();
    await call("CreateSecret", { Name: "s", SecretString: "x", ClientRequestToken: TOKEN_A });
    await expectError(await call("GetSecretValue", { SecretId: "s", VersionStage: "AWSPREVIOUS" }), "ResourceNotFoundException", stagingLabelNotFoundText("AWSPREVIOUS"));
    assert.equal(stagingLabelNotFoundText("AWSPREVIOUS"), "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS");
    await call("CreateSecret", { Name: "novalue" });
    await expectError(await call("GetSecretValue", { SecretId: "novalue" }), "ResourceNotFoundException", stagingLabelNotFoundText("AWSCURRENT"));
  });

  it("unknown VersionId, and VersionId/VersionStage that disagree", async () => {
    const { call } = setup();
    await call("CreateSecret", { Name: "v", SecretString: "1", ClientRequestToken: TOKEN_A });
    await call("PutSecretValue", { SecretId: "v", SecretString: "2", ClientRequestToken: TOKEN_B });
    await expectError(await call("GetSecretValue", { SecretId: "v", VersionId: TOKEN_C }), "ResourceNotFoundException", versionIdNotFoundText(TOKEN_C));
    await expectError(
      await call("GetSecretValue", { SecretId: "v", VersionId: TOKEN_A, VersionStage: "AWSCURRENT" }),
      "InvalidRequestException",
      SecretsManagerText.versionStageMismatch,
    );
    const agree = await call("GetSecretValue", { SecretId: "v", VersionId: TOKEN_A, VersionStage: "AWSPREVIOUS" });
    assert.equal(json(agree).SecretString, "1");
  });

  it("a secret marked for deletion refuses Get, Put, Update, Tag and Untag", async () => {
    const { call } = setup();
    await call("CreateSecret", { Name: "d", SecretString: "x", ClientRequestToken: TOKEN_A });
    assert.equal((await call("DeleteSecret", { SecretId: "d", RecoveryWindowInDays: 7 })).status, 200);
    const attempts: [string, unknown][] = [
      ["GetSecretValue", { SecretId: "d" }],
      ["PutSecretValue", { SecretId: "d", SecretString: "y", ClientRequestToken: TOKEN_B }],
      ["UpdateSecret", { SecretId: "d", Description: "z" }],
      ["TagResource", { SecretId: "d", Tags: [{ Key: "k", Value: "v" }] }],
      ["UntagResource", { SecretId: "d", TagKeys: ["k"] }],
    ];
    for (const [op, body] of attempts) {
      await expectError(await call(op, body), "InvalidRequestException", SecretsManagerText.markedForDeletion);
    }
    // DescribeSecret still answers, with DeletedDate.
    const described = await call("DescribeSecret", { SecretId: "d" });
    assert.equal(typeof json(described).DeletedDate, "number");
  });

  it("creating a name pending deletion, and a duplicate name", async () => {
    const { call } = setup();
    await call("CreateSecret", { Name: "dup" });
    await expectError(await call("CreateSecret", { Name: "dup" }), "ResourceExistsException", secretAlreadyExistsText("dup"));
    assert.equal(secretAlreadyExistsText("dup"), "The operation failed because the secret dup already exists.");
    await call("DeleteSecret", { SecretId: "dup" });
    await expectError(await call("CreateSecret", { Name: "dup" }), "InvalidRequestException", SecretsManagerText.nameScheduledForDeletion);
  });

  it("a raw request with a value but no ClientRequestToken (checked before the secret is looked up)", async () => {
    const { call } = setup();
    await expectError(await call("CreateSecret", { Name: "n", SecretString: "x" }), "InvalidRequestException", SecretsManagerText.clientRequestTokenRequired);
    await expectError(await call("PutSecretValue", { SecretId: "missing", SecretString: "x" }), "InvalidRequestException", SecretsManagerText.clientRequestTokenRequired);
    await expectError(await call("UpdateSecret", { SecretId: "missing", SecretString: "x" }), "InvalidRequestException", SecretsManagerText.clientRequestTokenRequired);
    // Without a value no version is made, so no token is needed.
    assert.equal((await call("CreateSecret", { Name: "n" })).status, 200);
  });

  it("ClientRequestToken reuse: same value is a no-op, another value is ResourceExistsException", async () => {
    const { call } = setup();
    const created = await call("CreateSecret", { Name: "idem", SecretString: "one", ClientRequestToken: TOKEN_A });
    const again = await call("CreateSecret", { Name: "idem", SecretString: "one", ClientRequestToken: TOKEN_A });
    assert.deepEqual(json(again), json(created));
    await expectError(
      await call("PutSecretValue", { SecretId: "idem", SecretString: "two", ClientRequestToken: TOKEN_A }),
      "ResourceExistsException",
      clientRequestTokenInUseText(TOKEN_A, json(created).ARN),
    );
    const put = await call("PutSecretValue", { SecretId: "idem", SecretString: "one", ClientRequestToken: TOKEN_A });
    assert.deepEqual(json(put), { ARN: json(created).ARN, Name: "idem", VersionId: TOKEN_A, VersionStages: ["AWSCURRENT"] });
  });

  it("name rules: characters, length", async () => {
    const { call } = setup();
    for (const name of ["Inv Name", "a*b", "ünï"]) {
      await expectError(await call("CreateSecret", { Name: name }), "ValidationException", SecretsManagerText.invalidName);
    }
    await expectError(
      await call("CreateSecret", { Name: "a".repeat(513) }),
      "ValidationException",
      `1 validation error detected: Value '${"a".repeat(513)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 512`,
    );
    assert.equal((await call("CreateSecret", { Name: "a".repeat(512) })).status, 200);
    assert.equal((await call("CreateSecret", { Name: "A-z_0/+=.@-" })).status, 200);
  });

  it("DeleteSecret: recovery window out of range, and with ForceDeleteWithoutRecovery", async () => {
    const { call } = setup();
    await call("CreateSecret", { Name: "del" });
    for (const days of [6, 31]) {
      await expectError(await call("DeleteSecret", { SecretId: "del", RecoveryWindowInDays: days }), "InvalidParameterException", SecretsManagerText.recoveryWindowRange);
    }
    await expectError(
      await call("DeleteSecret", { SecretId: "del", RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }),
      "InvalidParameterException",
      SecretsManagerText.forceDeleteWithRecoveryWindow,
    );
  });

  it("SecretString and SecretBinary together; PutSecretValue without either", async () => {
    const { call } = setup();
    await call("CreateSecret", { Name: "both" });
    await expectError(
      await call("CreateSecret", { Name: "x", SecretString: "a", SecretBinary: "YQ==", ClientRequestToken: TOKEN_A }),
      "InvalidParameterException",
      SecretsManagerText.bothStringAndBinary,
    );
    await expectError(await call("PutSecretValue", { SecretId: "both", ClientRequestToken: TOKEN_A }), "InvalidRequestException", SecretsManagerText.valueRequired);
  });

  it("values over 65,536 bytes are refused without echoing the value", async () => {
    const { call } = setup();
    const big = "s3cr3t".repeat(11_000);
    const res = await call("CreateSecret", { Name: "big", SecretString: big, ClientRequestToken: TOKEN_A });
    await expectError(res, "ValidationException", "1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536");
    assert.ok(!res.text.includes("s3cr3t"));
    const ok = await call("CreateSecret", { Name: "max", SecretString: "é".repeat(32_768), ClientRequestToken: TOKEN_A });
    assert.equal(ok.status, 200);
  });

  it("tags: at most 50, key 1–128, value at most 256", async () => {
    const { call } = setup();
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    await expectError(await call("CreateSecret", { Name: "t51", Tags: tags(51) }), "InvalidParameterException", SecretsManagerText.tooManyTags);
    assert.equal((await call("CreateSecret", { Name: "t50", Tags: tags(50) })).status, 200);
    await expectError(await call("TagResource", { SecretId: "t50", Tags: [{ Key: "new", Value: "v" }] }), "InvalidParameterException", SecretsManagerText.tooManyTags);
    const longKey = await call("TagResource", { SecretId: "t50", Tags: [{ Key: "k".repeat(129), Value: "v" }] });
    assert.equal(json(longKey).__type, "ValidationException");
    assert.match(json(longKey).Message, /at 'tags\.1\.member\.key' failed to satisfy constraint: Member must have length less than or equal to 128$/);
  });
});

describe("emulator wire: malformed requests", () => {
  it("malformed JSON → SerializationException", async () => {
    const { call } = setup();
    await expectError(await call("GetSecretValue", '{"SecretId": '), "SerializationException", WireText.malformedJson);
    await expectError(await call("GetSecretValue", "[1,2]"), "SerializationException", WireText.notAnObject);
  });

  it("unknown operation, unknown service, no target → UnknownOperationException", async () => {
    const { emulator, call } = setup();
    await expectError(await call("RotateEverything", {}), "UnknownOperationException", unknownOperationText("secretsmanager.RotateEverything"));
    await expectError(await call("constructor", {}), "UnknownOperationException", unknownOperationText("secretsmanager.constructor"));
    const foreign = await request(emulator.app).post("/").set("X-Amz-Target", "DynamoDB_20120810.ListTables").send("{}");
    assert.equal(foreign.status, 400);
    assert.deepEqual(json(foreign), { __type: "UnknownOperationException", message: unknownOperationText("DynamoDB_20120810.ListTables") });
    const none = await request(emulator.app).post("/").send("{}");
    assert.deepEqual(json(none), { __type: "UnknownOperationException", message: unknownOperationText(undefined) });
    const get = await request(emulator.app).get("/anything");
    assert.equal(get.status, 400);
    assert.equal(json(get).__type, "UnknownOperationException");
  });

  it("missing required members → ValidationException naming the member", async () => {
    const { call } = setup();
    const notNull = (member: string) => `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`;
    await expectError(await call("GetSecretValue", {}), "ValidationException", notNull("secretId"));
    await expectError(await call("CreateSecret", { SecretString: "x" }), "ValidationException", notNull("name"));
    await expectError(await call("TagResource", { SecretId: "x" }), "ValidationException", notNull("tags"));
    await expectError(await call("UntagResource", { SecretId: "x" }), "ValidationException", notNull("tagKeys"));
    await expectError(await call("GetSecretValue", { SecretId: "" }), "ValidationException",
      "1 validation error detected: Value '' at 'secretId' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });

  it("members of the wrong JSON type → SerializationException naming the member", async () => {
    const { call } = setup();
    const res = await call("GetSecretValue", { SecretId: 42 });
    assert.equal(res.status, 400);
    assert.equal(json(res).__type, "SerializationException");
    assert.match(json(res).Message, /'SecretId'/);
    const days = await call("DeleteSecret", { SecretId: "x", RecoveryWindowInDays: "7" });
    assert.equal(json(days).__type, "SerializationException");
    const binary = await call("CreateSecret", { Name: "b", SecretBinary: "not base64!", ClientRequestToken: TOKEN_A });
    assert.equal(json(binary).__type, "SerializationException");
  });

  it("a body over 1 MB → 413 in the AWS shape", async () => {
    const { call } = setup();
    const res = await call("CreateSecret", JSON.stringify({ Name: "x", Description: "d".repeat(1_100_000) }));
    assert.equal(res.status, 413);
    assert.equal(json(res).__type, "RequestEntityTooLargeException");
    assert.ok(!res.text.includes("at "), "no stack trace");
  });

  it("random JSON bodies never produce a 500 or a stack trace", async () => {
    const { call } = setup();
    const operations = ["CreateSecret", "GetSecretValue", "PutSecretValue", "UpdateSecret", "DescribeSecret", "ListSecrets", "DeleteSecret", "RestoreSecret", "TagResource", "UntagResource"];
    const member = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.oneof(fc.string(), fc.object())), fc.object());
    const body = fc.record(
      {
        Name: member, SecretId: member, SecretString: member, SecretBinary: member, ClientRequestToken: member,
        VersionStages: member, Tags: member, TagKeys: member, Filters: member, MaxResults: member, NextToken: member,
        RecoveryWindowInDays: member, ForceDeleteWithoutRecovery: member, VersionId: member, VersionStage: member, SortOrder: member,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), body, async (op, input) => {
        const res = await call(op, input);
        assert.ok(res.status === 200 || res.status === 400, `${op} → ${res.status} ${res.text}`);
        if (res.status === 400) assert.deepEqual(Object.keys(json(res)), ["__type", "Message"]);
        assert.ok(!/\n\s+at /.test(res.text));
      }),
      { numRuns: 150 },
    );
  });
});

describe("emulator wire: state over time, stats and logs", () => {
  it("a scheduled deletion happens when the recovery window ends; the name is then free", async () => {
    let now = Date.UTC(2025, 0, 1);
    const { call } = setup({ clock: { now: () => now } });
    await call("CreateSecret", { Name: "later" });
    const deleted = await call("DeleteSecret", { SecretId: "later", RecoveryWindowInDays: 7 });
    assert.equal(json(deleted).DeletionDate, (now + 7 * 86_400_000) / 1000);
    now += 7 * 86_400_000 - 1;
    assert.equal((await call("DescribeSecret", { SecretId: "later" })).status, 200);
    now += 1;
    await expectError(await call("DescribeSecret", { SecretId: "later" }), "ResourceNotFoundException", SecretsManagerText.secretNotFound);
    assert.equal((await call("CreateSecret", { Name: "later" })).status, 200);
  });

  it("stats count calls per operation and per SecretId, failed ones included", async () => {
    const { emulator, call } = setup();
    await call("CreateSecret", { Name: "shared", SecretString: "x", ClientRequestToken: TOKEN_A });
    await call("GetSecretValue", { SecretId: "shared" });
    await call("GetSecretValue", { SecretId: "other" });
    assert.equal(emulator.stats.count("GetSecretValue"), 2);
    assert.equal(emulator.stats.count("GetSecretValue", { secretId: "shared" }), 1);
    assert.equal(emulator.stats.count("GetSecretValue", { secretId: "shared", region: "us-east-1" }), 1);
    assert.equal(emulator.stats.count("GetSecretValue", { region: "eu-west-1" }), 0);
    assert.deepEqual(
      emulator.stats.calls.map((c) => [c.operation, c.secretId, c.region, c.errorCode]),
      [["CreateSecret", "shared", "us-east-1", undefined], ["GetSecretValue", "shared", "us-east-1", undefined], ["GetSecretValue", "other", "us-east-1", "ResourceNotFoundException"]],
    );
    emulator.stats.reset();
    assert.equal(emulator.stats.count("GetSecretValue"), 0);
  });

  it("the log names requests and outcomes, never secret values", async () => {
    const entries: EmulatorLogEntry[] = [];
    const { call } = setup({ log: (e) => entries.push(e) });
    await call("CreateSecret", { Name: "logged", SecretString: "hunter2-password", ClientRequestToken: TOKEN_A });
    await call("GetSecretValue", { SecretId: "logged" });
    await call("GetSecretValue", "{bad");
    assert.equal(entries.length, 3);
    assert.ok(!JSON.stringify(entries).includes("hunter2"));
    assert.equal(entries[1]!.operation, "GetSecretValue");
    assert.equal(entries[1]!.status, 200);
    assert.equal(entries[2]!.errorCode, "SerializationException");
  });

  it("logLevel errors: only answers of 400 and above reach the log (serve --log errors)", async () => {
    const entries: EmulatorLogEntry[] = [];
    const { call } = setup({ log: (e) => entries.push(e), logLevel: "errors" });
    await call("CreateSecret", { Name: "quiet", SecretString: "s3cret-value", ClientRequestToken: TOKEN_A });
    await call("GetSecretValue", { SecretId: "quiet" });
    await call("GetSecretValue", { SecretId: "missing" });
    await call("GetSecretValue", "{bad");
    assert.deepEqual(
      entries.map((e) => [e.operation, e.status, e.errorCode]),
      [
        ["GetSecretValue", 400, "ResourceNotFoundException"],
        ["GetSecretValue", 400, "SerializationException"],
      ],
    );
  });
});
