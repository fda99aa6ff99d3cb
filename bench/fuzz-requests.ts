// Hostile and careless requests for the emulator, as fast-check arbitraries: every operation of every service
// (Secrets Manager, KMS, ECS, the emulator's own JSON operations, IAM and STS over Query), with bodies that are
// random, malformed, wrongly typed, deeply nested, compressed garbage or almost right; headers and signatures that
// are missing, forged, for another service or region, dated month 13; and correctly signed requests (the admin
// key) so that handlers are reached. Used by test/unit/emulator-fuzz.test.ts (a bounded count) and bench/fuzz.ts
// (≥ 100,000 requests). Only 127.0.0.1.
import { Agent, request as httpRequest } from "node:http";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../emulator/auth/sha256.ts";
import { iamOperations } from "../emulator/services/iam/index.ts";
import { kmsService } from "../emulator/services/kms/index.ts";
import { secretsManagerService } from "../emulator/services/secretsmanager/index.ts";
import { stsService } from "../emulator/services/sts/index.ts";
import { createEcsService } from "../emulator/services/ecs/index.ts";

export const FUZZ_ADMIN = { accessKeyId: "test", secretAccessKey: "test" };

/** The emulator's own operations other than RunAgentTask (which pulls images through the Docker engine). */
const INTERNAL_OPERATIONS = ["AssumeRoleAsService"];

const ecsOperations = Object.keys(createEcsService({ engine: undefined as never }, () => undefined).service.operations);

export const JSON_TARGETS: readonly string[] = [
  ...Object.keys(secretsManagerService.operations).map((op) => `secretsmanager.${op}`),
  ...Object.keys(kmsService.operations).map((op) => `TrentService.${op}`),
  ...ecsOperations.map((op) => `AmazonEC2ContainerServiceV20141113.${op}`),
  ...INTERNAL_OPERATIONS.map((op) => `EcsPullInternal.${op}`),
];
export const QUERY_ACTIONS: readonly { service: "iam" | "sts"; action: string }[] = [
  ...Object.keys(iamOperations).map((action) => ({ service: "iam" as const, action })),
  ...Object.keys(stsService.operations).map((action) => ({ service: "sts" as const, action })),
];

const signingNameOf = (target: string) =>
  target.startsWith("secretsmanager.") ? "secretsmanager" : target.startsWith("TrentService.") ? "kms" : target.startsWith("EcsPullInternal.") ? "sts" : "ecs";

// Members the services read, so that random bodies reach past "missing member" into the handlers.
const MEMBERS = [
  "SecretId", "Name", "SecretString", "SecretBinary", "VersionId", "VersionStage", "Description", "KmsKeyId", "ClientRequestToken",
  "RecoveryWindowInDays", "ForceDeleteWithoutRecovery", "ResourcePolicy", "Tags", "TagKeys", "Filters", "MaxResults", "NextToken",
  "IncludePlannedDeletion", "SortOrder", "KeyId", "Plaintext", "CiphertextBlob", "EncryptionContext", "AliasName", "TargetKeyId",
  "Policy", "PolicyName", "KeySpec", "KeyUsage", "PendingWindowInDays", "BypassPolicyLockoutSafetyCheck", "RoleArn",
  "ServicePrincipal", "RoleSessionName", "DurationSeconds", "family", "containerDefinitions", "taskDefinition", "cluster", "tasks",
  "count", "launchType", "platformVersion", "executionRoleArn", "networkMode", "requiresCompatibilities", "cpu", "memory",
  "overrides", "startedBy", "group", "include", "clusterName", "containerInstances", "status", "desiredStatus", "__proto__", "constructor",
];
const QUERY_PARAMS = [
  "RoleName", "RoleArn", "RoleSessionName", "DurationSeconds", "PolicyDocument", "AssumeRolePolicyDocument", "PolicyArn", "PolicyName",
  "Policy", "ActionNames.member.1", "PolicyInputList.member.1", "ResourceArns.member.1", "Tags.member.1.Key", "Tags.member.1.Value",
  "ContextEntries.member.1.ContextKeyName", "ContextEntries.member.1.ContextKeyValues.member.1", "ContextEntries.member.1.ContextKeyType",
  "MaxItems", "Marker", "Path", "PathPrefix", "PermissionsBoundary", "Description", "MaxSessionDuration", "VersionId", "SetAsDefault",
  "PolicySourceArn", "ExternalId", "SerialNumber", "TokenCode", "__proto__", "a.member.0", "x.member.99999", "a.b.c.d.e.f.g.h.i.j",
];

const HOSTILE_GLOB = `${"*a".repeat(20)}*b`;
const interesting = fc.constantFrom(
  "fuzz/secret", "fuzz/missing", "arn:aws:secretsmanager:us-east-1:000000000000:secret:fuzz/secret-AbCdEf", "alias/fuzz", "alias/aws/x",
  "arn:aws:iam::000000000000:role/fuzz-role", "arn:aws:iam::000000000000:role/none", "fuzz-role", "AWSCURRENT", "AWSPREVIOUS",
  "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", "default", "web:1", "FARGATE", "EC2", "x".repeat(5000),
  "a".repeat(100), HOSTILE_GLOB, "${aws:username}", "\u0000", "\ud800", "-1", "1e309", "NaN", "",
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: `arn:aws:secretsmanager:*:*:secret:${HOSTILE_GLOB}` }] }),
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringLike: { "aws:username": HOSTILE_GLOB } } }] }),
  `{"Version":"2012-10-17","Statement":${"[".repeat(500)}${"]".repeat(500)}}`,
);
const anyValue = fc.oneof(
  { weight: 3, arbitrary: interesting },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, 1.5, -0, 2 ** 53, [], {}) },
);

const jsonBody = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...MEMBERS), anyValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.constantFrom("", "{", "[]", "null", "1", '"x"', `${"[".repeat(5000)}${"]".repeat(5000)}`, '{"a":' + "1".repeat(10000) + "}") },
);
const queryBody = (action: string) =>
  fc.dictionary(fc.constantFrom(...QUERY_PARAMS), fc.oneof(interesting, fc.string({ maxLength: 30 })).map(String), { maxKeys: 6 })
    .map((params) => new URLSearchParams({ Action: action, Version: action in stsService.operations ? "2011-06-15" : "2010-05-08", ...params }).toString());

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** What the request is, for reports: `signed secretsmanager.GetSecretValue`, `forged …`. */
  label: string;
}

/** How a request is signed or broken. */
type Auth = "signed" | "none" | "forged" | "wrong-service" | "bad-region" | "month-13" | "unsigned-target" | "unsigned-payload" | "garbage-header";
const auth = fc.constantFrom<Auth>("signed", "signed", "signed", "signed", "signed", "signed", "signed", "signed", "none", "forged", "wrong-service", "bad-region", "month-13", "unsigned-target", "unsigned-payload", "garbage-header");
const encoding = fc.constantFrom<"identity" | "gzip-good" | "gzip-garbage" | "deflate-garbage" | "br-garbage">(...Array<"identity">(12).fill("identity"), "gzip-good", "gzip-garbage", "deflate-garbage", "br-garbage");
const host = fc.constantFrom(...Array<string>(12).fill("own"), "attacker.example", "localhost", "[::1]");

interface Plan {
  kind: "json" | "query" | "other";
  target?: string;
  action?: { service: "iam" | "sts"; action: string };
  body: string;
  auth: Auth;
  encoding: "identity" | "gzip-good" | "gzip-garbage" | "deflate-garbage" | "br-garbage";
  host: string;
  contentType: string | undefined;
  method: string;
  path: string;
}

const plan: fc.Arbitrary<Plan> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("json" as const), target: fc.constantFrom(...JSON_TARGETS), body: jsonBody, auth, encoding, host, contentType: fc.constantFrom<string | undefined>("application/x-amz-json-1.1", "application/x-amz-json-1.1", "application/json", undefined, "text/plain"), method: fc.constant("POST"), path: fc.constant("/") }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(...QUERY_ACTIONS).chain((action) =>
      fc.record({ kind: fc.constant("query" as const), action: fc.constant(action), body: queryBody(action.action), auth, encoding, host, contentType: fc.constantFrom<string | undefined>("application/x-www-form-urlencoded; charset=utf-8", "application/x-www-form-urlencoded"), method: fc.constant("POST"), path: fc.constant("/") }),
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("other" as const), body: fc.string({ maxLength: 50 }), auth: fc.constant<Auth>("none"), encoding, host, contentType: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }), method: fc.constantFrom("GET", "PUT", "DELETE", "POST", "PATCH", "OPTIONS"), path: fc.constantFrom("/", "/x", "/ui/", "/ui/api/world", "/_ecs-pull/health", "/%zz", "/../../etc/passwd", `/${"a".repeat(3000)}`) }) },
);

export const fuzzPlans = plan;

function encode(body: string, how: Plan["encoding"]): { bytes: Buffer; header?: string } {
  switch (how) {
    case "identity":
      return { bytes: Buffer.from(body) };
    case "gzip-good":
      return { bytes: gzipSync(body), header: "gzip" };
    case "gzip-garbage":
      return { bytes: Buffer.from("garbage"), header: "gzip" };
    case "deflate-garbage":
      return { bytes: Buffer.from("garbage"), header: "deflate" };
    case "br-garbage":
      return { bytes: Buffer.from("garbage"), header: "br" };
  }
}

/** Turns a plan into bytes and headers: signs with the admin key where the plan says so (the SDK's own signer). */
export async function buildRequest(p: Plan, ownHost: string, now: Date = new Date()): Promise<FuzzRequest> {
  const { bytes, header: contentEncoding } = encode(p.body, p.encoding);
  const headers: Record<string, string> = {
    host: p.host === "own" ? ownHost : p.host,
    ...(p.contentType !== undefined && { "content-type": p.contentType }),
    ...(p.target !== undefined && { "x-amz-target": p.target }),
    ...(contentEncoding !== undefined && { "content-encoding": contentEncoding }),
  };
  const label = `${p.auth} ${p.target ?? p.action?.action ?? `${p.method} ${p.path}`}${p.encoding === "identity" ? "" : ` ${p.encoding}`}${p.host === "own" ? "" : ` host=${p.host}`}`;
  if (p.auth === "none") return { method: p.method, path: p.path, headers, body: bytes, label };
  if (p.auth === "garbage-header") {
    headers.authorization = "AWS4-HMAC-SHA256 Credential=test/2025/us-east-1/, SignedHeaders=;;;, Signature=zz";
    headers["x-amz-date"] = "nonsense";
    return { method: p.method, path: p.path, headers, body: bytes, label };
  }
  const service = p.auth === "wrong-service" ? "s3" : p.target !== undefined ? signingNameOf(p.target) : (p.action?.service ?? "sts");
  const region = p.auth === "bad-region" ? `xx-fake-${bytes.length % 10}` : "us-east-1";
  const secretAccessKey = p.auth === "forged" ? "not-the-secret" : FUZZ_ADMIN.secretAccessKey;
  const signer = new SignatureV4({ credentials: { accessKeyId: FUZZ_ADMIN.accessKeyId, secretAccessKey }, region, service, sha256: NodeSha256 });
  const extra: Record<string, string> = p.auth === "unsigned-payload" ? { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } : {};
  const signed = await signer.sign(
    { method: p.method, protocol: "http:", hostname: headers.host!.replace(/:\d+$/, ""), path: p.path, headers: { ...headers, ...extra }, body: bytes },
    { signingDate: now, ...(p.auth === "unsigned-target" && { unsignableHeaders: new Set(["x-amz-target"]) }) },
  );
  const out = signed.headers as Record<string, string>;
  if (p.auth === "month-13") out["x-amz-date"] = `${now.getUTCFullYear()}13${out["x-amz-date"]!.slice(6)}`;
  return { method: p.method, path: p.path, headers: out, body: bytes, label };
}

export interface FuzzOutcome {
  label: string;
  status: number;
  /** `__type` of a JSON error or `<Code>` of an XML one; "" for 2xx or other bodies. */
  code: string;
  ms: number;
}

export interface FuzzReport {
  requests: number;
  /** "<status> <code>" → count. */
  classes: Map<string, number>;
  serverErrors: FuzzOutcome[];
  slowest: FuzzOutcome[];
  healthChecks: number;
  healthFailures: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One request over a keep-alive agent; resolves with status and body text (never rejects on HTTP errors). */
export function send(url: URL, r: Pick<FuzzRequest, "method" | "path" | "headers" | "body">, timeoutMs = 10_000): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: r.method, path: r.path, headers: { ...r.headers, "content-length": String(r.body.length) }, agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(r.body);
  });
}

function errorCode(text: string): string {
  const xml = /<Code>([^<]{0,100})<\/Code>/.exec(text);
  if (xml !== null) return xml[1]!;
  try {
    const body = JSON.parse(text) as { __type?: unknown };
    return typeof body.__type === "string" ? body.__type : "";
  } catch {
    return "";
  }
}

/**
 * Sends `count` generated requests to `url` with `concurrency` in flight, and a health check every `healthEvery`
 * requests (it must answer 200 throughout). Deterministic for a seed.
 */
export async function runFuzz(options: { url: string; count: number; concurrency?: number; seed?: number; healthEvery?: number; keepSlowest?: number }): Promise<FuzzReport> {
  const url = new URL(options.url);
  const ownHost = url.host;
  const concurrency = options.concurrency ?? 8;
  const healthEvery = options.healthEvery ?? 200;
  const keep = options.keepSlowest ?? 5;
  const plans = fc.sample(fuzzPlans, { numRuns: options.count, seed: options.seed ?? 16 });
  const report: FuzzReport = { requests: 0, classes: new Map(), serverErrors: [], slowest: [], healthChecks: 0, healthFailures: 0 };
  let next = 0;
  const worker = async () => {
    while (next < plans.length) {
      const i = next++;
      const request = await buildRequest(plans[i]!, ownHost);
      const started = performance.now();
      let status: number;
      let text: string;
      try {
        ({ status, text } = await send(url, request));
      } catch (error) {
        status = 0;
        text = (error as Error).message;
      }
      const outcome: FuzzOutcome = { label: request.label, status, code: status === 0 ? text : errorCode(text), ms: performance.now() - started };
      report.requests++;
      const cls = `${status} ${outcome.code}`.trim();
      report.classes.set(cls, (report.classes.get(cls) ?? 0) + 1);
      if (status >= 500 || status === 0) report.serverErrors.push(outcome);
      if (report.slowest.length < keep || outcome.ms > report.slowest[report.slowest.length - 1]!.ms) {
        report.slowest.push(outcome);
        report.slowest.sort((a, b) => b.ms - a.ms);
        report.slowest.length = Math.min(report.slowest.length, keep);
      }
      if (i % healthEvery === 0) {
        report.healthChecks++;
        const health = await send(url, { method: "GET", path: "/_ecs-pull/health", headers: { host: ownHost }, body: Buffer.alloc(0) }, 5_000).catch(() => ({ status: 0, text: "" }));
        if (health.status !== 200) report.healthFailures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return report;
}

/** Admin setup so that requests find things: a secret, a role with a trust policy, a key and alias. */
export async function seedFuzzWorld(url: string): Promise<void> {
  const u = new URL(url);
  const call = async (service: string, target: string | undefined, body: string) => {
    const signer = new SignatureV4({ credentials: FUZZ_ADMIN, region: "us-east-1", service, sha256: NodeSha256 });
    const headers: Record<string, string> = target === undefined
      ? { host: u.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" }
      : { host: u.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": target };
    const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: u.hostname, port: Number(u.port), path: "/", headers, body });
    const answer = await send(u, { method: "POST", path: "/", headers: signed.headers as Record<string, string>, body: Buffer.from(body) });
    if (answer.status !== 200) throw new Error(`seeding ${target ?? body.slice(0, 40)}: ${answer.status} ${answer.text}`);
    return answer.text;
  };
  await call("secretsmanager", "secretsmanager.CreateSecret", JSON.stringify({ Name: "fuzz/secret", SecretString: '{"username":"u","password":"p"}', ClientRequestToken: "00000000-0000-4000-8000-000000000001" }));
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }] });
  await call("iam", undefined, new URLSearchParams({ Action: "CreateRole", Version: "2010-05-08", RoleName: "fuzz-role", AssumeRolePolicyDocument: trust }).toString());
  const key = JSON.parse(await call("kms", "TrentService.CreateKey", "{}")) as { KeyMetadata: { KeyId: string } };
  await call("kms", "TrentService.CreateAlias", JSON.stringify({ AliasName: "alias/fuzz", TargetKeyId: key.KeyMetadata.KeyId }));
}
