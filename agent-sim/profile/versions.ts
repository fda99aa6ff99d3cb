// Agent and Fargate platform versions, and the behaviour gates that depend on them (ECS-BEHAVIOR.md §2–§7).
// Every version number that changes behaviour is named here once.
// The two functions used, not the package's index: it loads all of semver (ranges, comparators), which every
// `ecs-pull run` would evaluate at start (issue 17).
import semverGte from "semver/functions/gte.js";
import semverValid from "semver/functions/valid.js";

/**
 * The default agent version. The stored copy of the agent's CHANGELOG/VERSION we could read stops at 1.85.3, so
 * this is the brief's fallback, 1.95.0 (newer than every gate below; behaviour is the same for any >= 1.92.0).
 */
export const CURRENT_AGENT_VERSION = "1.95.0";

export const AGENT_GATES = {
  /** Advertises ecs.capability.execution-role-awslogs (the agent's CHANGELOG). */
  executionRoleAwslogs: "1.16.0",
  /** Advertises ecs.capability.private-registry-authentication.secretsmanager. */
  privateRegistryAuth: "1.19.0",
  /** Secrets Manager client gets a 5 s per-attempt timeout. */
  asmRequestTimeout: "1.20.2",
  /** DistributionInspect (manifest check) before the pull. */
  manifestCheck: "1.83.0",
  /** Known pull errors get the "The task can’t pull the image. …" prefixes. */
  pullErrorPrefixes: "1.84.0",
  /** Advertises ecs.capability.secrets.asm.environment-variables (the agent's CHANGELOG). */
  secretsAsmEnv: "1.23.0",
  /** aws-sdk-go-v2: v2 error texts; container reasons cut at 1024 instead of 255. */
  sdkV2: "1.92.0",
} as const;

export const FARGATE_PLATFORMS = {
  /** Oldest platform with repositoryCredentials. */
  minimum: "1.2.0",
  /** containerd + the Fargate agent (texts of §7) from here on. */
  fargateAgent: "1.4.0",
  /** What `LATEST` resolves to on Linux. */
  latest: "1.4.0",
  /** Versions that exist today (1.0.0 and 1.1.0 are retired). */
  known: ["1.2.0", "1.3.0", "1.4.0"],
} as const;

/**
 * Fargate 1.2.0–1.3.0 ran the ECS agent on Docker; the exact agent build is not public. Any version between the
 * 1.20.2 and 1.83.0 gates behaves the same, so we pick one there (inferred).
 */
export const FARGATE_DOCKER_AGENT_VERSION = "1.32.0";

export const CONTAINER_REASON_LIMIT = { sdkV1: 255, sdkV2: 1024 } as const;
export const TASK_REASON_LIMIT_BYTES = 1024;

/** Strict x.y.z (a leading "v" is tolerated, as the agent's own version strings sometimes carry one). */
export function parseVersion(text: string): string | undefined {
  const trimmed = text.trim().replace(/^v/, "");
  if (!/^\d+\.\d+\.\d+$/.test(trimmed)) return undefined;
  return semverValid(trimmed) ?? undefined;
}

export function atLeast(version: string, gate: string): boolean {
  return semverGte(version, gate);
}

export const agentHasPrivateRegistryAuth = (v: string) => atLeast(v, AGENT_GATES.privateRegistryAuth);
export const agentHasExecutionRoleAwslogs = (v: string) => atLeast(v, AGENT_GATES.executionRoleAwslogs);
export const agentHasSecretsAsmEnv = (v: string) => atLeast(v, AGENT_GATES.secretsAsmEnv);
export const agentHasAsmTimeout = (v: string) => atLeast(v, AGENT_GATES.asmRequestTimeout);
export const agentChecksManifest = (v: string) => atLeast(v, AGENT_GATES.manifestCheck);
export const agentPrefixesPullErrors = (v: string) => atLeast(v, AGENT_GATES.pullErrorPrefixes);
export const agentUsesSdkV2 = (v: string) => atLeast(v, AGENT_GATES.sdkV2);
export const containerReasonLimit = (v: string) =>
  agentUsesSdkV2(v) ? CONTAINER_REASON_LIMIT.sdkV2 : CONTAINER_REASON_LIMIT.sdkV1;

/** `LATEST` → 1.4.0; otherwise the version itself (validated by the caller). */
export function resolveFargatePlatform(platformVersion: string): string {
  return platformVersion.toUpperCase() === "LATEST" ? FARGATE_PLATFORMS.latest : platformVersion;
}

export const fargateSupportsPrivateRegistryAuth = (resolved: string) => atLeast(resolved, FARGATE_PLATFORMS.minimum);
export const fargateUsesFargateAgent = (resolved: string) => atLeast(resolved, FARGATE_PLATFORMS.fargateAgent);
export const fargatePlatformExists = (resolved: string) =>
  (FARGATE_PLATFORMS.known as readonly string[]).includes(resolved);
