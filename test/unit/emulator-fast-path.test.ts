// Issue 17: AWS calls (`POST /`) are answered by a plain node:http handler in front of express. The same emulator is
// listened on twice — through startEmulator (the node:http handler) and through its express app alone — and every
// kind of body the reader meets must get the same answer from both: status, headers (but the request id and date)
// and body, byte for byte. Bodies: plain, empty, absent, chunked, gzip, a bad gzip, an unknown encoding, over the
// limit; signed and unsigned; JSON and Query.
import assert from "node:assert/strict";
import { type IncomingHttpHeaders, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../../emulator/auth/sha256.ts";
import { BODY_LIMIT_BYTES } from "../../emulator/app.ts";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(port: number, headers: Record<string, string>, body: Buffer | Buffer[] | undefined, path = "/"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    if (Array.isArray(body)) for (const part of body) req.write(part);
    else if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The answer without what differs per request (request id, date), the request id checked for its shape. */
function comparable(answer: Answer): unknown {
  const { date, "x-amzn-requestid": id, ...headers } = answer.headers;
  assert.match(String(id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.ok(date);
  const text = answer.body.toString("utf8").replaceAll(String(id), "<id>");
  return { status: answer.status, headers, body: text };
}

async function listening(handler: Parameters<typeof createServer>[1]): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

const signer = new SignatureV4({ service: "secretsmanager", region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, sha256: NodeSha256 });

async function signed(port: number, target: string, body: string): Promise<Record<string, string>> {
  const request = await signer.sign({
    method: "POST", protocol: "http:", hostname: "127.0.0.1", port, path: "/", query: {},
    headers: { host: `127.0.0.1:${port}`, "content-type": "application/x-amz-json-1.1", "x-amz-target": target, "content-length": String(Buffer.byteLength(body)) },
    body,
  });
  return request.headers;
}

for (const signatureCheck of [true, false]) {
  describe(`emulator: the node:http handler answers like the express app (signature check ${signatureCheck ? "on" : "off"})`, () => {
    let fast: StartedEmulator;
    let viaExpress: { port: number; close(): Promise<void> };
    before(async () => {
      fast = await startEmulator({ port: 0, signatureCheck });
      viaExpress = await listening(fast.emulator.app);
    });
    after(async () => {
      await viaExpress.close();
      await fast.close();
    });

    async function both(headers: (port: number) => Record<string, string> | Promise<Record<string, string>>, body?: Buffer | Buffer[], path?: string): Promise<Answer> {
      const a = await send(fast.port, await headers(fast.port), body, path);
      const b = await send(viaExpress.port, await headers(viaExpress.port), body, path);
      assert.deepEqual(comparable(a), comparable(b));
      return a;
    }

    const json = { "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.ListSecrets" };
    const bodyText = "{}";

    it("a signed ListSecrets", async () => {
      const a = await both((port) => signed(port, "secretsmanager.ListSecrets", bodyText), Buffer.from(bodyText));
      assert.equal(a.status, 200);
      assert.equal(a.headers["content-type"], "application/x-amz-json-1.1");
    });
    it("an unsigned plain body, an empty one, no body at all", async () => {
      const a = await both(() => json, Buffer.from(bodyText));
      assert.equal(a.status, signatureCheck ? 400 : 200);
      await both(() => json, Buffer.alloc(0));
      await both(() => ({ ...json, "transfer-encoding": "chunked" }), undefined);
    });
    it("a chunked body in several parts, a query string on /", async () => {
      await both(() => ({ ...json, "transfer-encoding": "chunked" }), [Buffer.from("{"), Buffer.from("}")]);
      await both(() => json, Buffer.from(bodyText), "/?a=b");
    });
    it("gzip, a bad gzip, an unknown Content-Encoding, identity", async () => {
      await both(() => ({ ...json, "content-encoding": "gzip" }), gzipSync(bodyText));
      const bad = await both(() => ({ ...json, "content-encoding": "gzip" }), Buffer.from("not gzip"));
      assert.equal(bad.status, 400);
      const unknown = await both(() => ({ ...json, "content-encoding": "xz" }), Buffer.from(bodyText));
      assert.equal(unknown.status, 400);
      await both(() => ({ ...json, "content-encoding": "IDENTITY" }), Buffer.from(bodyText));
    });
    it("bad JSON, a JSON array, an unknown target", async () => {
      await both(() => json, Buffer.from("{"));
      await both(() => json, Buffer.from("[]"));
      await both(() => ({ ...json, "x-amz-target": "nope.Nope" }), Buffer.from(bodyText));
    });
    it("a body over the limit → 413, declared or chunked", async () => {
      const big = Buffer.alloc(BODY_LIMIT_BYTES + 1, 0x20);
      const a = await both(() => json, big);
      assert.equal(a.status, 413);
      const b = await both(() => ({ ...json, "transfer-encoding": "chunked" }), [big.subarray(0, 1000), big.subarray(1000)]);
      assert.equal(b.status, 413);
    });
    it("Query: a form body (STS GetCallerIdentity), a bad gzip form", async () => {
      const form = { "content-type": "application/x-www-form-urlencoded" };
      await both(() => form, Buffer.from("Action=GetCallerIdentity&Version=2011-06-15"));
      const bad = await both(() => ({ ...form, "content-encoding": "gzip" }), Buffer.from("not gzip"));
      assert.equal(bad.status, 404);
    });
  });
}
