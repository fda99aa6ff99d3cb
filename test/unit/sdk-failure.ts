// Shared by the tests that call the emulator with the real SDK clients: the rejection of a call that must fail.
import assert from "node:assert/strict";

/** An AWS SDK v3 service error: `name` is the AWS error code. */
export type SdkError = Error & { $metadata: { httpStatusCode?: number; requestId?: string } };

/** The rejection of `promise`, which must reject. */
export async function failure(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  assert.fail("expected the call to fail");
}
