// The agent profile: what one launch's agent does differently from another's, read once from the launch context
// (launch type, agent or Fargate platform version) and then handed to the steps. Steps read the profile, never a
// version number; the version gates themselves are the table in versions.ts. Adding an agent version with a new
// text is one row there (AGENT_GATES) + one entry in texts/agent.ts, and the one line below that reads it.
import { SECRETS_MANAGER_CLIENT } from "../../aws/defaults.ts";
import type { ErrorDialect } from "../texts/sdk-error.ts";
import type { ImagePullBehavior, LaunchContext, OsType } from "./launch-context.ts";
import { PULL_TIMEOUT } from "../texts/agent.ts";
import {
  CONTAINER_REASON_LIMIT,
  agentChecksManifest,
  agentHasAsmTimeout,
  agentHasExecutionRoleAwslogs,
  agentHasPrivateRegistryAuth,
  agentHasSecretsAsmEnv,
  agentPrefixesPullErrors,
  agentUsesSdkV2,
  fargatePlatformExists,
  fargateSupportsPrivateRegistryAuth,
  fargateUsesFargateAgent,
} from "./versions.ts";


/** The agent's Secrets Manager client (agent/asm/factory/factory.go, NewASMClient): attempts and the per-attempt timeout (0: none). */
export interface SecretsManagerClientSettings {
  maxAttempts: number;
  requestTimeoutMs: number;
}

export interface AgentProfile {
  /** The agent version the behaviour below is read from (Fargate: the agent the platform runs). */
  agentVersion: string;
  dialect: ErrorDialect;
  /** Fargate >= 1.4.0 pulls through containerd (manifest over the registry API); everything else through Docker. */
  pullPath: "docker" | "containerd";
  /** The instance advertises ecs.capability.private-registry-authentication.secretsmanager (EC2/EXTERNAL). */
  privateRegistryAuth: boolean;
  /** The instance advertises ecs.capability.execution-role-awslogs (EC2/EXTERNAL). */
  executionRoleAwslogs: boolean;
  /** The instance advertises ecs.capability.secrets.asm.environment-variables (EC2/EXTERNAL). */
  secretsAsmEnv: boolean;
  /**
   * FARGATE only: whether RunTask places a task on this platform version — it exists today (1.0.0 and 1.1.0 are
   * retired) and supports repositoryCredentials (>= 1.2.0). Absent for EC2/EXTERNAL.
   */
  fargatePlatformPlaceable?: boolean;
  /** DistributionInspect before the pull. */
  checksManifest: boolean;
  /** Known pull errors get the "The task can’t pull the image. …" prefixes. */
  prefixesPullErrors: boolean;
  /** Where a container's reason is cut (characters). */
  containerReasonLimit: number;
  secretsManager: SecretsManagerClientSettings;
  /** ECS_IMAGE_PULL_BEHAVIOR: whether to pull, and whether a failed pull stops the task. */
  imagePullBehavior: ImagePullBehavior;
  /** The agent's pull timer defaults and minimums on this instance's OS (agent/config/config_unix.go, config_windows.go). */
  pullTimers: PullTimerDefaults;
}

export interface PullTimerDefaults {
  osType: OsType;
  defaultInactivityMs: number;
  minimumInactivityMs: number;
  defaultManifestPullMs: number;
  minimumManifestPullMs: number;
  pullBeginMs: number;
  defaultPullTimeoutMs: number;
}

export function pullTimerDefaults(osType: OsType): PullTimerDefaults {
  return {
    osType,
    defaultInactivityMs: osType === "windows" ? PULL_TIMEOUT.windowsDefaultInactivityMs : PULL_TIMEOUT.defaultInactivityMs,
    minimumInactivityMs: PULL_TIMEOUT.minimumInactivityMs,
    defaultManifestPullMs: PULL_TIMEOUT.defaultManifestPullMs,
    minimumManifestPullMs: PULL_TIMEOUT.minimumManifestPullMs,
    pullBeginMs: PULL_TIMEOUT.pullBeginTimeoutMs,
    defaultPullTimeoutMs: PULL_TIMEOUT.defaultTotalMs,
  };
}

/** The Secrets Manager client settings of an agent version: no per-attempt timeout before 1.20.2. */
export function agentSdkSettings(agentVersion: string): SecretsManagerClientSettings {
  return {
    maxAttempts: SECRETS_MANAGER_CLIENT.maxAttempts,
    requestTimeoutMs: agentHasAsmTimeout(agentVersion) ? SECRETS_MANAGER_CLIENT.requestTimeoutMs : 0,
  };
}

/** The profile of the agent that runs this launch (resolve the launch context first, once per run). */
export function agentProfile(launch: LaunchContext): AgentProfile {
  const instance = { imagePullBehavior: launch.imagePullBehavior, osType: launch.osType };
  if (launch.launchType !== "FARGATE") return ecsAgentProfile(launch.agentVersion, false, instance);
  const platform = launch.resolvedPlatformVersion ?? "";
  return {
    ...ecsAgentProfile(launch.agentVersion, fargateUsesFargateAgent(platform), instance),
    fargatePlatformPlaceable: fargatePlatformExists(platform) && fargateSupportsPrivateRegistryAuth(platform),
  };
}

/** The profile of an ECS agent of this version on EC2/EXTERNAL (or, with `fargateAgent`, of the Fargate agent). */
export function ecsAgentProfile(
  v: string,
  fargateAgent = false,
  instance: { imagePullBehavior?: ImagePullBehavior; osType?: OsType } = {},
): AgentProfile {
  const sdkV2 = agentUsesSdkV2(v);
  return {
    agentVersion: v,
    dialect: fargateAgent ? { kind: "fargate-agent" } : { kind: "ecs-agent", sdk: sdkV2 ? "v2" : "v1" },
    pullPath: fargateAgent ? "containerd" : "docker",
    privateRegistryAuth: agentHasPrivateRegistryAuth(v),
    executionRoleAwslogs: agentHasExecutionRoleAwslogs(v),
    secretsAsmEnv: agentHasSecretsAsmEnv(v),
    checksManifest: agentChecksManifest(v),
    prefixesPullErrors: agentPrefixesPullErrors(v),
    containerReasonLimit: sdkV2 ? CONTAINER_REASON_LIMIT.sdkV2 : CONTAINER_REASON_LIMIT.sdkV1,
    secretsManager: agentSdkSettings(v),
    imagePullBehavior: instance.imagePullBehavior ?? "default",
    pullTimers: pullTimerDefaults(instance.osType ?? "linux"),
  };
}
