// ECS_IMAGE_PULL_BEHAVIOR and the pull timers as the agent reads them: whether a container's image is pulled at all,
// whether a failed pull stops the task, what a digest reference changes, and the timer values after the agent's
// config parsing. Pure, except imagePullRequired, which asks the engine's image store and the agent's image state.
import type { ImageEngine, ImageStatePort } from "../ports.ts";
import type { PullTimerDefaults } from "../profile/agent-profile.ts";
import type { ImagePullBehavior } from "../profile/launch-context.ts";
import { IMAGE_PULL_BEHAVIOR, PULL_TIMEOUT } from "../texts/agent.ts";
import { goDuration } from "./pull-timeouts.ts";

/**
 * Whether the image must be pulled (agent/engine/docker_task_engine.go imagePullRequired): `once` skips an image
 * this agent has pulled successfully before (its image state, not the engine's store: an image put on the instance
 * some other way is pulled anyway); `prefer-cached` skips an image the engine holds (InspectImage); `default` and
 * `always` always pull.
 */
export async function imagePullRequired(
  behavior: ImagePullBehavior,
  image: string,
  state: ImageStatePort,
  engine: ImageEngine,
): Promise<{ required: boolean; why: string }> {
  switch (behavior) {
    case "once":
      return state.pullSucceeded(image)
        ? { required: false, why: `${IMAGE_PULL_BEHAVIOR.env}=once: ${IMAGE_PULL_BEHAVIOR.alreadyPulled}` }
        : { required: true, why: `${IMAGE_PULL_BEHAVIOR.env}=once: this agent has not pulled ${image} yet` };
    case "prefer-cached":
      return (await engine.hasImage(image))
        ? { required: false, why: `${IMAGE_PULL_BEHAVIOR.env}=prefer-cached: ${IMAGE_PULL_BEHAVIOR.foundCached}` }
        : { required: true, why: `${IMAGE_PULL_BEHAVIOR.env}=prefer-cached: ${IMAGE_PULL_BEHAVIOR.inspectFailed}` };
    default:
      return { required: true, why: `${IMAGE_PULL_BEHAVIOR.env}=${behavior}` };
  }
}

/**
 * A failed manifest check or pull stops the task under `always` and `once`; under `default` and `prefer-cached` the
 * agent goes on to create the container (agent/engine/task_manager.go handleEventError).
 */
export function pullFailureStopsTask(behavior: ImagePullBehavior): boolean {
  return behavior === "always" || behavior === "once";
}

const DIGEST = /@(sha256:[0-9a-f]{64})$/;

/** The digest of a `repo@sha256:…` or `repo:tag@sha256:…` reference (agent/utils/reference GetDigestFromImageRef). */
export function digestOf(image: string): string | undefined {
  return DIGEST.exec(image)?.[1];
}

/**
 * What the agent pulls for a digest reference, or for a tag once the manifest check resolved its digest: the name
 * with its tag (and any digest) trimmed, then the digest (agent/utils/reference GetCanonicalRef: reference.TrimNamed
 * + WithDigest). A digest reference is not tagged afterwards, because it already has a digest
 * (pullAndUpdateContainerReference: !referenceutil.DigestExists); a tag is (steps/pull.ts).
 */
export function canonicalRef(image: string, resolved?: string): string | undefined {
  const own = digestOf(image);
  const digest = resolved ?? own;
  if (digest === undefined) return undefined;
  if (own !== undefined) image = image.slice(0, image.length - own.length - 1);
  return `${trimTag(image)}@${digest}`;
}

function trimTag(named: string): string {
  const slash = named.lastIndexOf("/");
  const colon = named.lastIndexOf(":");
  return colon > slash ? named.slice(0, colon) : named;
}

export interface PullTimerSettings {
  inactivityMs?: number;
  manifestPullMs?: number;
  pullTimeoutMs?: number;
}

/**
 * The timers the agent runs with, from what the instance is configured with (agent/config/parse.go
 * parseImagePullInactivityTimeout, parseManifestPullTimeout; config.go's minimum check): unset or 0 → the OS's
 * default; below the minimum → the minimum, with the agent's warning.
 */
export function agentPullTimers(defaults: PullTimerDefaults, given: PullTimerSettings): { inactivityMs: number; manifestPullMs: number; pullTimeoutMs: number; warnings: string[] } {
  const warnings: string[] = [];
  const clamp = (value: number | undefined, def: number, min: number, warn: (parsed: string) => string) => {
    if (value === undefined || value === 0) return def;
    if (value >= min) return value;
    warnings.push(warn(goDuration(value)));
    return min;
  };
  return {
    inactivityMs: clamp(given.inactivityMs, defaults.defaultInactivityMs, defaults.minimumInactivityMs, PULL_TIMEOUT.discardedInactivity),
    manifestPullMs: clamp(given.manifestPullMs, defaults.defaultManifestPullMs, defaults.minimumManifestPullMs, PULL_TIMEOUT.discardedManifest),
    pullTimeoutMs: given.pullTimeoutMs ?? defaults.defaultPullTimeoutMs,
    warnings,
  };
}

/**
 * Which ECS_IMAGE_PULL_INACTIVITY_TIMEOUT the agent applies, for the pull's trace: unset or 0 → the OS's default
 * (agent/config/config_unix.go 1m, config_windows.go 3m, merged in config.go), below 1m → the minimum
 * (agent/config/parse.go parseImagePullInactivityTimeout).
 */
export function pullInactivityNote(defaults: PullTimerDefaults, givenMs: number | undefined, appliedMs: number, simulatedMs: number | undefined): string {
  const why = givenMs === undefined || givenMs === 0 ? `the ${defaults.osType} default` : givenMs < defaults.minimumInactivityMs ? `raised to the ${goDuration(defaults.minimumInactivityMs)} minimum` : "as set";
  const simulated = simulatedMs === undefined ? "" : `, simulated as ${goDuration(simulatedMs)}`;
  return `ECS_IMAGE_PULL_INACTIVITY_TIMEOUT ${goDuration(appliedMs)} (${why}${simulated})`;
}
