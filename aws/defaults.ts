// The defaults every part of ecs-pull shares, written once: the region and account a request or launch has when
// none is given (the emulator's unsigned requests, the agent's launch context, the scenarios' worlds, the CLI's
// option defaults), and the agent's Secrets Manager client settings (the Go SDKs' standard retryer: 3 attempts;
// 5 s per attempt from agent 1.20.2, see agent-sim/profile/agent-profile.ts).
export const DEFAULT_REGION = "us-east-1";
/** LocalStack's and the emulator's default account. */
export const DEFAULT_ACCOUNT = "000000000000";

export const SECRETS_MANAGER_CLIENT = {
  /** aws-sdk-go's standard retryer (DefaultRetryerMaxNumRetries 2 + 1); the SDK v2 default is 3 attempts too. */
  maxAttempts: 3,
  /** Per HTTP attempt, agent >= 1.20.2 (agent/asm/factory/factory.go: roundtripTimeout, the HTTP client of NewASMClient). */
  requestTimeoutMs: 5000,
} as const;
