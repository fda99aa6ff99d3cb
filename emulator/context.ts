// What every operation handler receives besides its input: who calls, where, when, and the state to act on.
import type { EmulatorStore } from "./state/store.ts";

export interface RequestContext {
  /** 12-digit account the caller belongs to. */
  readonly account: string;
  /** Region the request was signed for (or the emulator's default). */
  readonly region: string;
  /** The `x-amzn-RequestId` of this answer. */
  readonly requestId: string;
  /** Milliseconds since the epoch, read once per request from the emulator's clock. */
  readonly now: number;
  readonly store: EmulatorStore;
}
