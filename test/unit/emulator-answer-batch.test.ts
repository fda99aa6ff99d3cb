// emulator/protocol/answer.ts: answers are written at the end of the event loop's I/O phase, together; the status is
// set at once, `answered()` knows a pending answer, and one response that cannot be written does not stop the others.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answered, writeAnswer } from "../../emulator/protocol/answer.ts";

async function withServer(handler: (req: IncomingMessage, res: ServerResponse) => void, run: (port: number) => Promise<void>): Promise<void> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    await run((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

function get(port: number, path: string): Promise<{ status: number; headers: IncomingMessage["headers"]; body: string }> {
  return new Promise((resolve, reject) => {
    request({ port, host: "127.0.0.1", path }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    })
      .on("error", reject)
      .end();
  });
}

test("an answer is pending until the turn ends: status set at once, headers not yet sent, answered() true; then written whole", async () => {
  const seen: { statusCode: number; headersSent: boolean; answered: boolean; before: boolean }[] = [];
  await withServer(
    (_req, res) => {
      const before = answered(res);
      writeAnswer(res, 404, "application/x-amz-json-1.1", '{"__type":"ResourceNotFoundException"}', "req-1");
      seen.push({ statusCode: res.statusCode, headersSent: res.headersSent, answered: answered(res), before });
    },
    async (port) => {
      const r = await get(port, "/");
      assert.equal(r.status, 404);
      assert.equal(r.headers["x-amzn-requestid"], "req-1");
      assert.equal(r.headers["content-type"], "application/x-amz-json-1.1");
      assert.equal(r.headers["content-length"], String(r.body.length));
      assert.equal(r.body, '{"__type":"ResourceNotFoundException"}');
    },
  );
  assert.deepEqual(seen, [{ statusCode: 404, headersSent: false, answered: true, before: false }]);
});

test("answers to requests that arrive together are all written; one whose client went away does not stop the others", async () => {
  const held: [string, ServerResponse][] = [];
  await withServer(
    (req, res) => {
      held.push([req.url!, res]);
      if (held.length < 3) return;
      // All three answered in one turn; the connection of /0 is gone before the turn ends.
      for (const [url, r] of held) {
        if (url === "/0") r.socket?.destroy();
        writeAnswer(r, 200, "application/json", `{"n":${url.slice(1)}}`);
      }
    },
    async (port) => {
      const results = await Promise.allSettled([get(port, "/0"), get(port, "/1"), get(port, "/2")]);
      assert.equal(results[0]!.status, "rejected");
      const bodies = results.slice(1).map((r) => (r.status === "fulfilled" ? r.value.body : "failed")).sort();
      assert.deepEqual(bodies, ['{"n":1}', '{"n":2}']);
    },
  );
});
