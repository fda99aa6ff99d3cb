// Shared by the scenario-file tests: the validation issues of one scenario document (none when it is valid).
import assert from "node:assert/strict";
import { parseScenario, ScenarioValidationError } from "../../scenarios/load.ts";

export function issues(doc: unknown): string[] {
  try {
    parseScenario(doc, "test.yaml");
  } catch (error) {
    assert.ok(error instanceof ScenarioValidationError);
    return error.issues;
  }
  return [];
}
