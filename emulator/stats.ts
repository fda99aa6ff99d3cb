// Counts the calls the emulator served, per operation and per resource (SecretId), so that tests can say
// "exactly one GetSecretValue for two containers sharing a secret". Counters are exact; the list of calls keeps
// the most recent ones only, so that a long benchmark does not grow memory without bound.

export interface CallRecord {
  service: string;
  operation: string;
  /** SecretId as the caller passed it (Name for CreateSecret). */
  secretId?: string;
  region: string;
  account: string;
  requestId: string;
  /** The AWS error code when the call failed. */
  errorCode?: string;
}

export interface CountFilter {
  secretId?: string;
  region?: string;
}

const DEFAULT_MAX_KEPT = 10_000;

export class CallStats {
  private readonly counters = new Map<string, number>();
  private kept: CallRecord[] = [];

  constructor(private readonly maxKept = DEFAULT_MAX_KEPT) {}

  /** The most recent calls, oldest first. */
  get calls(): readonly CallRecord[] {
    return this.kept;
  }

  record(call: CallRecord): void {
    this.bump(call.operation);
    if (call.secretId !== undefined) this.bump(`${call.operation}\u0000${call.secretId}`);
    this.bump(`${call.operation}\u0001${call.region}`);
    if (call.secretId !== undefined) this.bump(`${call.operation}\u0000${call.secretId}\u0001${call.region}`);
    this.kept.push(call);
    if (this.kept.length > this.maxKept) this.kept = this.kept.slice(-Math.floor(this.maxKept / 2));
  }

  /** How many calls of `operation` were served (failed ones included), optionally for one SecretId / region. */
  count(operation: string, filter: CountFilter = {}): number {
    let key = operation;
    if (filter.secretId !== undefined) key += `\u0000${filter.secretId}`;
    if (filter.region !== undefined) key += `\u0001${filter.region}`;
    return this.counters.get(key) ?? 0;
  }

  reset(): void {
    this.counters.clear();
    this.kept = [];
  }

  private bump(key: string): void {
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
  }
}
