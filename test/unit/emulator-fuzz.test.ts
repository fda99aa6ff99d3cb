// The fuzz suite, bounded (issue 16): 3,000 generated requests — every operation of every service, random and
// malformed bodies, compressed garbage, hostile wildcards, missing/forged/misdirected signatures, foreign Host
// headers — against a listening emulator, 8 in flight. No answer is a 5xx or a dropped connection, every answer is
// AWS-shaped (a JSON `__type` or an XML `<Code>`, or 200), and the health check answers throughout.
// bench/fuzz.ts runs the same generator for 100,000+ requests and reports the slowest.
import assert from "node:assert/strict";
import { it } from "node:test";
import { startEmulator } from "../../emulator/index.ts";
import { runFuzz, seedFuzzWorld } from "../../bench/fuzz-requests.ts";

it("3,000 hostile requests: no 5xx, every answer AWS-shaped, health answering throughout", { timeout: 120_000 }, async () => {
  await using server = await startEmulator({ port: 0 });
  await seedFuzzWorld(server.url);
  const report = await runFuzz({ url: server.url, count: 3000, concurrency: 8, seed: Number(process.env.FUZZ_SEED ?? 16), healthEvery: 100 });
  assert.equal(report.requests, 3000);
  assert.deepEqual(report.serverErrors, [], `5xx or dropped: ${JSON.stringify(report.serverErrors.slice(0, 5))}`);
  assert.equal(report.healthFailures, 0);
  assert.ok(report.healthChecks >= 30);
  const shapeless = [...report.classes].filter(([cls]) => cls !== "200" && !/^\d{3} \S+$/.test(cls));
  assert.deepEqual(shapeless, [], "every refusal carries an AWS error code");
  // The suite reaches the handlers, not only the auth layer.
  assert.ok((report.classes.get("200") ?? 0) > 100, JSON.stringify([...report.classes]));
});
