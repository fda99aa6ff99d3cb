// The emulator's state: one partition per service, account and region, in memory. Each service keeps its own
// state type in its own file (secrets.ts for Secrets Manager) and reaches it through this store.
import { SecretsManagerState } from "./secrets.ts";

export class EmulatorStore {
  private readonly partitions = new Map<string, unknown>();
  /**
   * The same partitions by service, then account, then region (issue 17): a lookup with the strings a request already
   * holds, whose hashes V8 keeps, instead of a composite key string built and hashed on every call (several per
   * request). Partitions are never removed, so the two maps agree.
   */
  private readonly byService = new Map<string, Map<string, Map<string, unknown>>>();
  /** Partitions read from a snapshot (state/persistence.ts) that no request has used yet: plain data. */
  private readonly restored: Map<string, Record<string, unknown>>;

  constructor(restored?: ReadonlyMap<string, Record<string, unknown>>) {
    this.restored = new Map(restored);
  }

  /**
   * The state of `service` in one account and region, created on first use. A partition read from a snapshot is
   * created the same way and then given its stored fields, so that its class (methods) comes from the code.
   */
  regional<T>(service: string, account: string, region: string, create: () => T): T {
    const known = this.byService.get(service)?.get(account)?.get(region);
    if (known !== undefined) return known as T;
    const key = `${service}\u0000${account}\u0000${region}`;
    let state = this.partitions.get(key) as T | undefined;
    if (state === undefined) {
      state = create();
      const stored = this.restored.get(key);
      if (stored !== undefined) {
        Object.assign(state as object, stored);
        this.restored.delete(key);
      }
      this.partitions.set(key, state);
    }
    let byAccount = this.byService.get(service);
    if (byAccount === undefined) this.byService.set(service, (byAccount = new Map()));
    let byRegion = byAccount.get(account);
    if (byRegion === undefined) byAccount.set(account, (byRegion = new Map()));
    byRegion.set(region, state);
    return state;
  }

  /** Every partition (restored ones not used yet included), for a snapshot. The objects themselves, not copies. */
  exportPartitions(): Map<string, Record<string, unknown>> {
    return new Map([...this.restored, ...(this.partitions as Map<string, Record<string, unknown>>)]);
  }

  /** How many service/account/region partitions exist (each region a request names keeps one). */
  get partitionCount(): number {
    return this.partitions.size;
  }

  secretsManager(account: string, region: string): SecretsManagerState {
    return this.regional("secretsmanager", account, region, () => new SecretsManagerState(account, region));
  }
}
