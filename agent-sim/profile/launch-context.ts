// Where the simulated task is launched: launch type, agent or Fargate platform version, region, account, cluster.
// Validates what the user gave and fills the defaults; bad values become one LaunchContextError naming the field.
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from "../../aws/defaults.ts";
import type { EngineAuthConfig } from "../steps/engine-auth.ts";
import { IMAGE_PULL_BEHAVIOR } from "../texts/agent.ts";

/** ECS_IMAGE_PULL_BEHAVIOR's values (agent/config/parse.go parseImagePullBehavior). */
export type ImagePullBehavior = (typeof IMAGE_PULL_BEHAVIOR.values)[number];
/** The instance's ecs.os-type: the agent's defaults differ on Windows (agent/config/config_windows.go). */
export const OS_TYPES = ["linux", "windows"] as const;
export type OsType = (typeof OS_TYPES)[number];
import {
  CURRENT_AGENT_VERSION,
  FARGATE_DOCKER_AGENT_VERSION,
  fargateUsesFargateAgent,
  parseVersion,
  resolveFargatePlatform,
} from "./versions.ts";

export const LAUNCH_TYPES = ["EC2", "FARGATE", "EXTERNAL"] as const;
export type LaunchType = (typeof LAUNCH_TYPES)[number];

export const LAUNCH_DEFAULTS = {
  launchType: "EC2" as LaunchType,
  region: DEFAULT_REGION,
  account: DEFAULT_ACCOUNT,
  cluster: "default",
  platformVersion: "LATEST",
} as const;

export interface LaunchContextInput {
  launchType?: string;
  agentVersion?: string;
  platformVersion?: string;
  region?: string;
  account?: string;
  cluster?: string;
  /**
   * ECS_ENGINE_AUTH_TYPE / ECS_ENGINE_AUTH_DATA of the container instance (EC2/EXTERNAL). Given for FARGATE it is
   * kept here and ignored by runTask with a warning (gate-engine-auth-fargate). See readEngineAuthEnv.
   */
  engineAuth?: EngineAuthConfig;
  /** ECS_IMAGE_PULL_BEHAVIOR of the container instance (EC2/EXTERNAL): default, always, once, prefer-cached. */
  imagePullBehavior?: string;
  /** The container instance's OS (EC2/EXTERNAL): linux (default) or windows. */
  osType?: string;
}

declare const resolved: unique symbol;

/**
 * A launch context as resolveLaunchContext returns it: validated, defaults filled. The brand (type-only) means a
 * LaunchContext can only come from resolveLaunchContext, so whoever holds one does not resolve it again.
 */
export type LaunchContext = LaunchContextFields & { readonly [resolved]: true };

export interface LaunchContextFields {
  launchType: LaunchType;
  /**
   * The ECS agent whose behaviour is simulated. EC2/EXTERNAL: the given version. Fargate 1.2.0–1.3.0: the agent
   * those platforms ran (inferred); Fargate >= 1.4.0: the current agent's number (the Fargate agent is not
   * public); its pulls go through agent-sim/steps/fargate-pull.ts with containerd's texts.
   */
  agentVersion: string;
  /** FARGATE only: as given (e.g. "LATEST"). */
  platformVersion?: string;
  /** FARGATE only: `LATEST` resolved (1.4.0). */
  resolvedPlatformVersion?: string;
  region: string;
  account: string;
  cluster: string;
  /** As given; runTask's result shows `data` redacted. */
  engineAuth?: EngineAuthConfig;
  /** ECS_IMAGE_PULL_BEHAVIOR (default `default`; Fargate: `default`, inferred). */
  imagePullBehavior: ImagePullBehavior;
  /** linux unless given (Fargate: linux). */
  osType: OsType;
}

/** A launch-context value the user gave is not valid. Not an ECS outcome: the CLI reports it as a usage error. */
export class LaunchContextError extends Error {
  override readonly name = "LaunchContextError";
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
const CLUSTER = /^[A-Za-z0-9_-]{1,255}$/;
const PLATFORM = /^(LATEST|\d+\.\d+\.\d+)$/i;

export function resolveLaunchContext(input: LaunchContextInput = {}): LaunchContext {
  const launchType = (input.launchType ?? LAUNCH_DEFAULTS.launchType).toUpperCase();
  if (!(LAUNCH_TYPES as readonly string[]).includes(launchType)) {
    throw new LaunchContextError(`launchType must be one of ${LAUNCH_TYPES.join(", ")}, got "${input.launchType}"`);
  }
  const region = input.region ?? LAUNCH_DEFAULTS.region;
  if (!REGION.test(region)) {
    throw new LaunchContextError(`region must look like us-east-1, got "${region}"`);
  }
  const account = input.account ?? LAUNCH_DEFAULTS.account;
  if (!ACCOUNT.test(account)) {
    throw new LaunchContextError(`account must be 12 digits, got "${account}"`);
  }
  const cluster = input.cluster ?? LAUNCH_DEFAULTS.cluster;
  if (!CLUSTER.test(cluster)) {
    throw new LaunchContextError(
      `cluster must be 1 to 255 letters, digits, hyphens and underscores, got "${cluster}"`,
    );
  }
  if (input.engineAuth !== undefined) {
    const { type, data } = input.engineAuth as Partial<EngineAuthConfig>;
    if (typeof type !== "string" || typeof data !== "string") {
      throw new LaunchContextError("engineAuth must be { type: string, data: string } (ECS_ENGINE_AUTH_TYPE / ECS_ENGINE_AUTH_DATA)");
    }
  }
  const behavior = input.imagePullBehavior ?? "default";
  if (!(IMAGE_PULL_BEHAVIOR.values as readonly string[]).includes(behavior)) {
    throw new LaunchContextError(`imagePullBehavior (${IMAGE_PULL_BEHAVIOR.env}) must be one of ${IMAGE_PULL_BEHAVIOR.values.join(", ")}, got "${behavior}"`);
  }
  const osType = input.osType ?? "linux";
  if (!(OS_TYPES as readonly string[]).includes(osType)) {
    throw new LaunchContextError(`osType must be one of ${OS_TYPES.join(", ")}, got "${osType}"`);
  }
  const base = {
    region,
    account,
    cluster,
    ...(input.engineAuth ? { engineAuth: { ...input.engineAuth } } : {}),
    imagePullBehavior: behavior as ImagePullBehavior,
    osType: osType as OsType,
  };

  if (launchType === "FARGATE") {
    for (const [name, value] of [["imagePullBehavior", input.imagePullBehavior], ["osType", input.osType]] as const) {
      if (value !== undefined) throw new LaunchContextError(`${name} is a setting of EC2 and EXTERNAL container instances; Fargate has none`);
    }
    if (input.agentVersion !== undefined) {
      throw new LaunchContextError(
        "agentVersion applies to EC2 and EXTERNAL only; for FARGATE give platformVersion (e.g. 1.4.0 or LATEST)",
      );
    }
    const platformVersion = input.platformVersion ?? LAUNCH_DEFAULTS.platformVersion;
    if (!PLATFORM.test(platformVersion)) {
      throw new LaunchContextError(`platformVersion must be LATEST or x.y.z (e.g. 1.4.0), got "${platformVersion}"`);
    }
    const resolved = resolveFargatePlatform(platformVersion);
    const agentVersion = fargateUsesFargateAgent(resolved) ? CURRENT_AGENT_VERSION : FARGATE_DOCKER_AGENT_VERSION;
    return { launchType, agentVersion, platformVersion, resolvedPlatformVersion: resolved, ...base } as LaunchContext;
  }

  if (input.platformVersion !== undefined) {
    throw new LaunchContextError(`platformVersion applies to FARGATE only; ${launchType} takes agentVersion`);
  }
  const given = input.agentVersion ?? CURRENT_AGENT_VERSION;
  const agentVersion = parseVersion(given);
  if (agentVersion === undefined) {
    throw new LaunchContextError(`agentVersion must be x.y.z (e.g. 1.19.0), got "${given}"`);
  }
  return { launchType: launchType as LaunchType, agentVersion, ...base } as LaunchContext;
}
