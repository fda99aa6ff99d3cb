// cli/error-output.ts: the one place the --json error document is shaped. `--json` anywhere before `--` asks for
// it; the code is the EXIT key of the exit code; exactly one line on stdout with json, one on stderr without.
import assert from "node:assert/strict";
import { test } from "node:test";
import { errorDocument, exitKey, jsonRequested, reportError } from "../../cli/error-output.ts";
import { EXIT } from "../../cli/exit-codes.ts";

test("jsonRequested: --json anywhere among the options, not after --", () => {
  assert.equal(jsonRequested(["run", "t.json", "--json"]), true);
  assert.equal(jsonRequested(["--json", "doctor"]), true);
  assert.equal(jsonRequested(["run", "t.json"]), false);
  assert.equal(jsonRequested(["run", "--", "--json"]), false);
  assert.equal(jsonRequested(["run", "--jsonx"]), false);
});

test("exitKey and errorDocument: the EXIT key names the code", () => {
  for (const [key, code] of Object.entries(EXIT)) assert.equal(exitKey(code), key);
  assert.equal(exitKey(99), "ENVIRONMENT");
  assert.deepEqual(errorDocument(EXIT.USAGE, "bad"), { error: { code: "USAGE", message: "bad", exitCode: 2 } });
});

test("reportError: one JSON line on stdout with json, one `ecs-pull:` line on stderr without", () => {
  const out: string[] = [];
  const err: string[] = [];
  const sink = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) };
  assert.equal(reportError(EXIT.ENVIRONMENT, 'no "engine"\nat all', true, sink), 1);
  assert.deepEqual(err, []);
  assert.deepEqual(out, ['{"error":{"code":"ENVIRONMENT","message":"no \\"engine\\"\\nat all","exitCode":1}}\n']);
  out.length = 0;
  assert.equal(reportError(EXIT.USAGE, "bad flag", false, sink), 2);
  assert.deepEqual([out, err], [[], ["ecs-pull: bad flag\n"]]);
});
