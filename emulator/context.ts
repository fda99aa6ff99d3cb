// What every operation handler receives besides its input: who calls, where, when, and the state to act on.
import type { Principal } from "./auth/principal.ts";
import type { EmulatorStore } from "./state/store.ts";

export type { Principal } from "./auth/principal.ts";

export interface RequestContext {
  /** 12-digit account the caller belongs to (the principal's account). */
  readonly account: string;
  /** Region the request was signed for (or the emulator's default). */
  readonly region: string;
  /** The `x-amzn-RequestId` of this answer. */
  readonly requestId: string;
  /** Milliseconds since the epoch, read once per request from the emulator's clock. */
  readonly now: number;
  readonly store: EmulatorStore;
  /**
   * Who signed the request: an account's admin key (the account root) or a role session from STS. Optional only so
   * that handler tests may build a context without one; the app always sets it. Read it with `principalOf(ctx)`.
   */
  readonly principal?: Principal;
  /** aws:SecureTransport: whether the request came over TLS (the emulator listens on plain HTTP: false). */
  readonly secureTransport?: boolean;
  /** aws:SourceIp: the peer address of the request. */
  readonly sourceIp?: string;
  /** false: IAM enforcement is switched off for this emulator (EmulatorOptions.enforceIam). */
  readonly enforceIam?: false;
}
