// The emulator's execution-role port on the wire (node:http, no fetch): an endpoint that is down and an endpoint
// that is not the ecs-pull emulator are the tool's environment failing (exit 1), each said plainly.
import assert from "node:assert/strict";
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { createEmulatorExecutionRolePort } from "../../agent-sim/steps/execution-role.ts";
import { EnvironmentError } from "../../agent-sim/ports.ts";

/** Runs `body` with the execution-role port pointed at a throwaway loopback server answering with `handler`. */
async function againstServer(
  handler: RequestListener,
  body: (port: ReturnType<typeof createEmulatorExecutionRolePort>, endpoint: string) => Promise<void>,
): Promise<void> {
  const server = createServer(handler).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await body(createEmulatorExecutionRolePort({ endpoint, credentials }), endpoint);
  } finally {
    server.close();
  }
}

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const input = { roleArn: "arn:aws:iam::000000000000:role/r", region: "us-east-1", sessionName: "t" };

test("assume-role against an endpoint that is down: EnvironmentError naming the endpoint and ECONNREFUSED", async () => {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((resolve) => server.close(resolve));
  const port = createEmulatorExecutionRolePort({ endpoint, credentials });
  await assert.rejects(port.assumeRole(input), (error: Error) => {
    assert.ok(error instanceof EnvironmentError);
    assert.equal(error.message, `the emulator at ${endpoint} is unreachable (ECONNREFUSED); start it with \`ecs-pull serve\` or check --endpoint`);
    return true;
  });
});

test("assume-role against a server that is not the emulator: EnvironmentError with its status, signed POST received", async () => {
  const seen: { method?: string; target?: string; authorization?: string; body: string }[] = [];
  await againstServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, target: req.headers["x-amz-target"] as string, authorization: req.headers.authorization, body });
      res.writeHead(404, { "content-type": "text/plain" }).end("no such route");
    });
  }, async (port, endpoint) => {
    await assert.rejects(port.assumeRole(input), (error: Error) => {
      assert.ok(error instanceof EnvironmentError);
      assert.equal(
        error.message,
        `the endpoint ${endpoint} answered, but not as an AWS service (HTTP 404, content type text/plain, body "no such route"); ` +
          "point --endpoint (or AWS_ENDPOINT_URL) at `ecs-pull serve`, a LocalStack, or leave it unset for AWS",
      );
      return true;
    });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.method, "POST");
    assert.equal(seen[0]!.target, "EcsPullInternal.AssumeRoleAsService");
    assert.match(seen[0]!.authorization ?? "", /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/sts\/aws4_request/);
    assert.deepEqual(JSON.parse(seen[0]!.body), { RoleArn: input.roleArn, ServicePrincipal: "ecs-tasks.amazonaws.com", RoleSessionName: "t" });
  });
});

test("assume-role against an AWS service that is not the emulator (LocalStack's JSON error): EnvironmentError, use --assume-role sts", async () => {
  await againstServer(
    (_req, res) => {
      res.writeHead(400, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ __type: "UnknownOperationException", message: "" }));
    },
    async (port) => {
      await assert.rejects(port.assumeRole(input), (error: Error) => {
        assert.ok(error instanceof EnvironmentError);
        assert.match(error.message, /HTTP 400 UnknownOperationException\); it is not the ecs-pull emulator\? use --assume-role sts$/);
        return true;
      });
    },
  );
});
