// The emulator's state: one partition per service, account and region, in memory. Each service keeps its own
// state type in its own file (secrets.ts for Secrets Manager) and reaches it through this store.
import { SecretsManagerState } from "./secrets.ts";

export class EmulatorStore {
  private readonly partitions = new Map<string, unknown>();

  /** The state of `service` in one account and region, created on first use. */
  regional<T>(service: string, account: string, region: string, create: () => T): T {
    const key = `${service}\u0000${account}\u0000${region}`;
    let state = this.partitions.get(key) as T | undefined;
    if (state === undefined) {
      state = create();
      this.partitions.set(key, state);
    }
    return state;
  }

  /** How many service/account/region partitions exist (each region a request names keeps one). */
  get partitionCount(): number {
    return this.partitions.size;
  }

  secretsManager(account: string, region: string): SecretsManagerState {
    return this.regional("secretsmanager", account, region, () => new SecretsManagerState(account, region));
  }
}
