// `ecs-pull run --pull-inactivity-timeout <dur> --pull-timeout <dur>`: Go durations into runTask's options; bad
// values are usage errors (exit 2) that name the flag.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pullTimeoutOptions } from "../../cli/commands/run-input.ts";
import { UsageError } from "../../cli/exit-codes.ts";

test("flags → runTask options in milliseconds; absent flags leave the agent's defaults", () => {
  assert.deepEqual(pullTimeoutOptions({ pullInactivityTimeout: "90s", pullTimeout: "2m" }), { pullInactivityTimeoutMs: 90_000, pullTimeoutMs: 120_000 });
  assert.deepEqual(pullTimeoutOptions({ pullInactivityTimeout: "0" }), { pullInactivityTimeoutMs: 0 });
  assert.deepEqual(pullTimeoutOptions({}), {});
});

test("bad durations are usage errors naming the flag", () => {
  assert.throws(() => pullTimeoutOptions({ pullTimeout: "2x" }), (e: unknown) => e instanceof UsageError && e.message.startsWith("--pull-timeout "));
  assert.throws(() => pullTimeoutOptions({ pullTimeout: "0" }), UsageError);
  assert.throws(() => pullTimeoutOptions({ pullInactivityTimeout: "90" }), (e: unknown) => e instanceof UsageError && e.message.startsWith("--pull-inactivity-timeout "));
});
