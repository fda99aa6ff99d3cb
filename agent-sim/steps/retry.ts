// The agent's retry policies for the manifest check and the image pull (ECS-BEHAVIOR.md §6) as data — the agent's
// constants and backoffs in agent/dockerclient/dockerapi/docker_client.go (NewDockerGoClient: imagePullBackoff,
// manifestPullBackoff; PullImage's RetryNWithBackoffCtx with maximumPullRetries) — plus a
// short policy with the same attempt counts for unit tests on a fake clock. (The CLI's default, and `--fast`, keep
// the agent's policies and run their waits on simulated agent time: ports.ts simulatedClock.)

export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  /** ± fraction of each delay. */
  jitter: number;
}

export interface RetryPolicies {
  manifestRetry: RetryPolicy;
  pullRetry: RetryPolicy;
}

/** The agent's numbers: DistributionInspect up to 9 attempts (10 ms ×3, cap 5 s); ImagePull 5 (1.1 s ×2, cap 5 s, ±20 %). */
export const agentRetryPolicies: RetryPolicies = {
  manifestRetry: { maxAttempts: 9, initialDelayMs: 10, maxDelayMs: 5000, multiplier: 3, jitter: 0.2 },
  pullRetry: { maxAttempts: 5, initialDelayMs: 1100, maxDelayMs: 5000, multiplier: 2, jitter: 0.2 },
};

/** Same attempt counts, millisecond delays. */
export const fastRetryPolicies: RetryPolicies = {
  manifestRetry: { maxAttempts: 9, initialDelayMs: 1, maxDelayMs: 5, multiplier: 3, jitter: 0 },
  pullRetry: { maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 5, multiplier: 2, jitter: 0 },
};

/** Delay before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.initialDelayMs * policy.multiplier ** (attempt - 1), policy.maxDelayMs);
  const jitter = base * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + jitter));
}

export function validateRetryPolicy(name: string, policy: RetryPolicy): void {
  const ok =
    Number.isInteger(policy.maxAttempts) &&
    policy.maxAttempts >= 1 &&
    policy.initialDelayMs >= 0 &&
    policy.maxDelayMs >= 0 &&
    policy.multiplier >= 1 &&
    policy.jitter >= 0 &&
    policy.jitter < 1;
  if (!ok) throw new RangeError(`${name}: maxAttempts must be an integer >= 1, delays >= 0, multiplier >= 1, 0 <= jitter < 1`);
}
