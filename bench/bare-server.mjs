// The ceiling of bench/serve-figures.ts: a bare Node HTTP server that answers every POST with one fixed
// GetSecretValue body — no parsing, no authentication, no state. Plain JavaScript (no tsx) so that its start is
// Node's own. `PORT=4567 node bench/bare-server.mjs`; 127.0.0.1 only.
import { createServer } from "node:http";

const body = Buffer.from(
  JSON.stringify({
    ARN: "arn:aws:secretsmanager:us-east-1:000000000000:secret:registry-creds-AbCdEf",
    Name: "registry-creds",
    VersionId: "6f2c8a64-4a55-4b0f-9d8e-1c2b3a4d5e6f",
    SecretString: JSON.stringify({ username: "ci", password: "bench" }),
    VersionStages: ["AWSCURRENT"],
    CreatedDate: 1764979200,
  }),
);
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1", "content-length": body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 5_000;
server.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1", backlog: 4096 }, () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
