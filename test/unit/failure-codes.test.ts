// One source of truth for diagnosis codes: agent-sim/diagnosis/failure-codes.ts. Every code a catalogue scenario
// expects is in the list; every listed code is a catalogue scenario of that id or named WITHOUT_SCENARIO.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FAILURE_CODES, WITHOUT_SCENARIO, isFailureCode } from "../../agent-sim/index.ts";
import { expectationOf, loadCatalogue } from "../../scenarios/load.ts";

const catalogue = loadCatalogue();

test("every failureCode the catalogue expects is a FailureCode", () => {
  const unknown = catalogue.flatMap((s) => s.runs.map((_, i) => expectationOf(s, i).failureCode)).filter((c) => c !== undefined && !isFailureCode(c));
  assert.deepEqual(unknown, []);
});

test("every FailureCode is a catalogue id, or listed as having no scenario yet", () => {
  const ids = new Set(catalogue.map((s) => s.id));
  const withoutScenario = new Set<string>(WITHOUT_SCENARIO);
  assert.deepEqual(FAILURE_CODES.filter((c) => !ids.has(c) && !withoutScenario.has(c)), []);
  assert.deepEqual(WITHOUT_SCENARIO.filter((c) => ids.has(c)), [], "a code with a scenario is still listed as without one");
  assert.equal(new Set(FAILURE_CODES).size, FAILURE_CODES.length, "a code is listed twice");
});
