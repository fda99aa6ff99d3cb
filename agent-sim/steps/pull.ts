// Pulling one container's image as the agent does (ECS-BEHAVIOR.md §6): the manifest check first (agent >= 1.83.0),
// then the pull, each with the agent's retry policy, through the ImageEngine port with only {username, password}.
// Each stage reports its last attempt's error (ecs-agent/utils/retry/retry.go RetryNWithBackoffCtx); a container's
// reason is its first named error, the pull stage's prefixed (>= 1.84.0, AugmentNamedErrMsg in
// agent/engine/docker_task_engine.go pullAndUpdateContainerReference; never the manifest stage's) and cut by bytes.
// After a manifest check that resolved a digest the pull asks for `name@<digest>` and the pulled image is then tagged
// with the task's reference (docker_task_engine.go pullContainerManifest → container.SetImageDigest;
// pullAndUpdateContainerReference → GetCanonicalRef, PullImage, TagImage), so a tag that moves in between does not
// change what runs. Fargate >= 1.4.0 does not come here: it pulls through containerd (agent-sim/steps/fargate-pull.ts).
import { EngineError } from "../ports.ts";
import type { Clock, ImageEngine, RegistryAuth } from "../ports.ts";
import { goDuration } from "./pull-timeouts.ts";
import { backoffDelay } from "./retry.ts";
import type { RetryPolicies, RetryPolicy } from "./retry.ts";
import { canonicalRef, digestOf } from "./image-pull-behavior.ts";
import { PULL, PULL_TIMEOUT } from "../texts/agent.ts";
import { goTrimString } from "../texts/go-strings.ts";
import type { TraceRecorder } from "./trace.ts";
import type { AgentProfile } from "../profile/agent-profile.ts";
import { AGENT_GATES } from "../profile/versions.ts";

export type PullErrorName = typeof PULL.cannotPullContainer | typeof PULL.cannotPullImageManifest | typeof PULL_TIMEOUT.dockerTimeoutError;

export type PullOutcome =
  | {
      ok: true;
      container: string;
      attempts: { manifest: number; pull: number };
      /**
       * The digest the pull asked for: the one the manifest check resolved, or a digest reference's own (the
       * container's ImageDigest: docker_task_engine.go pullContainerManifest SetImageDigest).
       */
      imageDigest?: string;
    }
  | {
      ok: false;
      container: string;
      stage: "manifest" | "pull";
      errorName: PullErrorName;
      /** The Docker engine's text of the last failed attempt. */
      dockerError: string;
      statusCode?: number;
      /** The container's `reason`. */
      reason: string;
      attempts: { manifest: number; pull: number };
      /** The manifest check failed but the pull that followed succeeded (default/prefer-cached). */
      pulled?: boolean;
      /** default/prefer-cached: the agent created the container anyway and it runs (the engine held the image). */
      runsAnyway?: boolean;
      /** default/prefer-cached: the create that followed failed with this named error (the reason stays the pull's). */
      createError?: string;
    };

/** What the pull step reads from the agent profile. */
export type PullProfile = Pick<AgentProfile, "agentVersion" | "checksManifest" | "prefixesPullErrors" | "containerReasonLimit">;

export interface PullRequest {
  container: string;
  image: string;
  /** From repositoryCredentials or ECS_ENGINE_AUTH_DATA, else undefined (anonymous). */
  auth: RegistryAuth | undefined;
  /** Where `auth` came from, for the trace; default repositoryCredentials. */
  authSource?: "repositoryCredentials" | "ECS_ENGINE_AUTH_DATA";
  /** The launch's agent: manifest check, pull error prefixes, reason limit. */
  profile: PullProfile;
  policies: RetryPolicies;
  engine: ImageEngine;
  clock: Clock;
  trace?: TraceRecorder;
  random?: () => number;
  /**
   * ECS_IMAGE_PULL_TIMEOUT: one limit for the pull's attempts and the waits between them (not the manifest check);
   * reached → `DockerTimeoutError: Could not transition to pulled; timed out after waiting <duration>`. Default none.
   */
  pullTimeoutMs?: number;
  /**
   * ECS_MANIFEST_PULL_TIMEOUT: one limit for the manifest check's attempts (agent: context.WithTimeout around
   * PullImageManifest in pullContainerManifest); reached → `DockerTimeoutError: Could not transition to
   * MANIFEST_PULLED; timed out after waiting <elapsed>`. Default none.
   */
  manifestPullTimeoutMs?: number;
  /** No manifest check, with the reason shown in the trace (a digest reference, a cached image). */
  skipManifest?: string;
  /** What the pull asks the engine for when it is not `image` (a digest reference: repo@digest, the tag trimmed). */
  pullRef?: string;
  /**
   * ECS_IMAGE_PULL_BEHAVIOR default/prefer-cached: a failed manifest check does not stop the container, the pull
   * goes ahead ("will try to run anyway", agent/engine/task_manager.go handleEventError). always/once: it stops.
   */
  proceedAfterFailure?: boolean;
  /** Called once the image is pulled (the agent's image state records the success). */
  onPulled?: (image: string) => void;
  /** For the trace: the inactivity timeout the agent applies to this pull and where it comes from. */
  inactivityNote?: string;
}

/** The agent >= 1.84.0 augmentation of a known Docker error (agent/api/errormessages/error_messages.go AugmentMessage). */
export function augmentPullMessage(dockerError: string): string {
  if (PULL.patternEcrBatchGetImage.test(dockerError)) return PULL.prefixEcrBatchGetImage + dockerError;
  if (dockerError.includes(PULL.patternImageDoesNotExist)) return PULL.prefixImageDoesNotExist + dockerError;
  if (dockerError.includes(PULL.patternNetworkConfiguration)) return PULL.prefixNetworkConfiguration + dockerError;
  return dockerError;
}

/** Cut to `limit` characters (code points). */
export function cutChars(text: string, limit: number): string {
  const chars = Array.from(text);
  return chars.length <= limit ? text : chars.slice(0, limit).join("");
}

/**
 * The named error as the agent holds it. Only CannotPullContainerError from the pull stage is augmented: the agent
 * calls AugmentNamedErrMsg in pullAndUpdateContainerReference, and only CannotPullContainerError (and the ECR
 * variant) implement WithAugmentedErrorMessage (agent/dockerclient/dockerapi/errors.go).
 */
export function namedPullError(errorName: PullErrorName, dockerError: string, profile: PullProfile, stage: "manifest" | "pull" = "pull"): string {
  const augment = profile.prefixesPullErrors && stage === "pull" && errorName === PULL.cannotPullContainer;
  return PULL.named(errorName, augment ? augmentPullMessage(dockerError) : dockerError);
}

/** The container's reason: the named error cut at the limit by bytes (trimString in ecs-agent/api/ecs/client/ecs_client.go). */
export function containerReason(errorName: PullErrorName, dockerError: string, profile: PullProfile, stage: "manifest" | "pull" = "pull"): string {
  return goTrimString(namedPullError(errorName, dockerError, profile, stage), profile.containerReasonLimit);
}

/**
 * Docker's manifest v2 schema 1 media types: for these the agent resolves no digest and pulls the reference as given
 * (docker_task_engine.go pullContainerManifest, mediaTypeManifestV1 / mediaTypeSignedManifestV1).
 */
const SCHEMA1_MEDIA_TYPES: readonly string[] = ["application/vnd.docker.distribution.manifest.v1+json", "application/vnd.docker.distribution.manifest.v1+prettyjws"];

/** TagImage's retries: 5 attempts, 100 ms apart (agent/dockerclient/dockerapi/docker_client.go tagImageRetryAttempts, tagImageRetryInterval). */
const TAG_RETRY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 100, multiplier: 1, jitter: 0 };

interface AttemptsResult<T = void> {
  attempts: number;
  /** The successful attempt's answer. */
  value?: T;
  /** The last attempt's error, as RetryNWithBackoffCtx returns it (ecs-agent/utils/retry/retry.go). */
  lastError?: EngineError;
  /** The overall limit was reached (the attempt in flight is abandoned, as the agent abandons it). */
  timedOut?: boolean;
}

/** The attempt, or "timeout" when `ms` (wall time) pass first; the abandoned attempt's rejection is swallowed. */
function raceTimeout<T>(attempt: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), Math.max(0, ms));
  });
  attempt.catch(() => undefined);
  return Promise.race([attempt, timeout]).finally(() => clearTimeout(timer));
}

async function withRetries<T>(
  policy: RetryPolicy,
  operation: () => Promise<T>,
  clock: Clock,
  onRetry: (attempt: number, delayMs: number) => void,
  random?: () => number,
  deadlineAt?: number,
): Promise<AttemptsResult<T>> {
  let lastError: EngineError | undefined;
  const left = () => (deadlineAt === undefined ? Infinity : deadlineAt - clock.now());
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    if (left() <= 0) return { attempts: attempt - 1, timedOut: true };
    try {
      const outcome = deadlineAt === undefined ? await operation() : await raceTimeout(operation(), left());
      if (outcome === "timeout") return { attempts: attempt, timedOut: true };
      // A later success clears the failure: the agent only reports when every attempt failed.
      return { attempts: attempt, value: outcome };
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      lastError = error;
      if (attempt < policy.maxAttempts) {
        const delay = backoffDelay(policy, attempt, random);
        onRetry(attempt, delay);
        // The agent's backoff waits on the pull's context: the limit ends the wait too.
        if (delay >= left()) {
          await clock.sleep(Math.max(0, left()));
          return { attempts: attempt, timedOut: true };
        }
        await clock.sleep(delay);
      }
    }
  }
  return { attempts: policy.maxAttempts, ...(lastError ? { lastError } : {}) };
}

export async function pullContainerImage(req: PullRequest): Promise<PullOutcome> {
  const { container, image, auth, engine, trace } = req;
  const authWord = auth ? `with ${req.authSource ?? "repositoryCredentials"}` : "anonymously";
  const attempts = { manifest: 0, pull: 0 };
  /** The container's ApplyingError: the first named error (agent/engine/task_manager.go handleEventError keeps the first). */
  let applying: { stage: "manifest" | "pull"; errorName: PullErrorName; error: { message: string; statusCode?: number } } | undefined;

  const fail = (): PullOutcome => {
    const a = applying!;
    return {
      ok: false,
      container,
      stage: a.stage,
      errorName: a.errorName,
      dockerError: a.error.message,
      ...(a.error.statusCode !== undefined ? { statusCode: a.error.statusCode } : {}),
      reason: containerReason(a.errorName, a.error.message, req.profile, a.stage),
      attempts,
    };
  };

  /** The digest the manifest check resolved (agent: container.SetImageDigest), when it resolved one. */
  let resolved: string | undefined;
  if (req.skipManifest !== undefined) {
    trace?.skip("manifest", container, req.skipManifest);
  } else if (req.profile.checksManifest) {
    const step = trace?.begin("manifest", container, `DistributionInspect ${image} ${authWord}`);
    const policy = req.policies.manifestRetry;
    const started = req.clock.now();
    const result = await withRetries(
      policy,
      () => engine.inspectDistribution(image, auth),
      req.clock,
      (attempt, delayMs) =>
        trace?.emit({ type: "retry", step: "manifest", container, attempt, maxAttempts: policy.maxAttempts, delayMs }),
      req.random,
      req.manifestPullTimeoutMs === undefined ? undefined : started + req.manifestPullTimeoutMs,
    );
    attempts.manifest = result.attempts;
    if (result.timedOut) {
      // agent dockerapi PullImageManifest: DockerTimeoutError{time.Since(startTime), "MANIFEST_PULLED"}.
      const waited = goDuration(req.clock.now() - started);
      step?.end("failed", `${image}: ECS_MANIFEST_PULL_TIMEOUT (${goDuration(req.manifestPullTimeoutMs!)}) reached after ${result.attempts} attempt(s)`);
      applying = { stage: "manifest", errorName: PULL_TIMEOUT.dockerTimeoutError, error: { message: PULL_TIMEOUT.transitionTimedOutTo(PULL_TIMEOUT.manifestPulled, waited) } };
    } else if (result.lastError) {
      step?.end("failed", `${image}: ${result.attempts} attempt(s) failed; last error: ${result.lastError.message}`);
      applying = { stage: "manifest", errorName: PULL.cannotPullImageManifest, error: result.lastError };
    } else {
      const descriptor = result.value || undefined;
      const schema1 = descriptor !== undefined && SCHEMA1_MEDIA_TYPES.includes(descriptor.mediaType);
      if (descriptor && !schema1 && digestOf(image) === undefined) resolved = descriptor.digest;
      const found = resolved
        ? `; digest ${resolved}`
        : schema1
          ? `; ${descriptor.mediaType} (manifest v2 schema 1): no digest resolution, the pull asks for ${image}`
          : "";
      step?.end("ok", `${image}: manifest found (attempt ${result.attempts})${found}`);
    }
    if (applying && !req.proceedAfterFailure) return fail();
  } else {
    trace?.skip("manifest", container, `agent ${req.profile.agentVersion} has no manifest check (from ${AGENT_GATES.manifestCheck})`);
  }

  const pullRef = req.pullRef ?? (resolved !== undefined ? (canonicalRef(image, resolved) ?? image) : image);
  const byDigest = resolved !== undefined ? ` (the digest the manifest check resolved for ${image})` : "";
  const step = trace?.begin("pull", container, `ImagePull ${pullRef}${byDigest} ${authWord}${req.inactivityNote === undefined ? "" : `; ${req.inactivityNote}`}`);
  const policy = req.policies.pullRetry;
  const result = await withRetries(
    policy,
    () =>
      engine.pullImage(pullRef, auth, (progress) =>
        trace?.emit({ type: "pull-progress", step: "pull", container, progress }),
      ),
    req.clock,
    (attempt, delayMs) =>
      trace?.emit({ type: "retry", step: "pull", container, attempt, maxAttempts: policy.maxAttempts, delayMs }),
    req.random,
    req.pullTimeoutMs === undefined ? undefined : req.clock.now() + req.pullTimeoutMs,
  );
  attempts.pull = result.attempts;
  if (result.timedOut) {
    // agent dockerapi PullImage: the context's deadline wins over the attempts' own errors.
    const message = PULL_TIMEOUT.transitionTimedOut(goDuration(req.pullTimeoutMs!));
    step?.end("failed", `${pullRef}: ECS_IMAGE_PULL_TIMEOUT (${goDuration(req.pullTimeoutMs!)}) reached after ${result.attempts} attempt(s)`);
    applying ??= { stage: "pull", errorName: PULL_TIMEOUT.dockerTimeoutError, error: { message } };
    return fail();
  }
  if (result.lastError) {
    step?.end("failed", `${pullRef}: ${result.attempts} attempt(s) failed; last error: ${result.lastError.message}`);
    const errorName = result.lastError.errorName ?? PULL.cannotPullContainer;
    applying ??= { stage: "pull", errorName, error: result.lastError };
    return fail();
  }
  let tagged = "";
  if (pullRef !== image && digestOf(image) === undefined) {
    // pullAndUpdateContainerReference: tag the image pulled by digest with the task's reference, within
    // tagImageTimeout; a failure is the pull stage's error (DockerTimeoutError or CannotPullContainerError).
    const tag = await withRetries(TAG_RETRY, () => engine.tagImage(pullRef, image), req.clock, () => undefined, req.random, req.clock.now() + PULL_TIMEOUT.tagImageTimeoutMs);
    if (tag.timedOut) {
      const message = PULL_TIMEOUT.transitionTimedOut(goDuration(PULL_TIMEOUT.tagImageTimeoutMs));
      step?.end("failed", `${pullRef}: pulled (attempt ${result.attempts}); ImageTag ${image}: not done within ${goDuration(PULL_TIMEOUT.tagImageTimeoutMs)} (${tag.attempts} attempt(s))`);
      applying ??= { stage: "pull", errorName: PULL_TIMEOUT.dockerTimeoutError, error: { message } };
      return fail();
    }
    if (tag.lastError) {
      const message = PULL.tagFailed(pullRef, image, tag.lastError.message);
      step?.end("failed", `${pullRef}: pulled (attempt ${result.attempts}); ImageTag ${image}: ${tag.attempts} attempt(s) failed; last error: ${tag.lastError.message}`);
      applying ??= { stage: "pull", errorName: PULL.cannotPullContainer, error: { message } };
      return fail();
    }
    tagged = `; tagged ${image}`;
  }
  step?.end("ok", `${pullRef}: pulled (attempt ${result.attempts})${tagged}`);
  req.onPulled?.(image);
  const imageDigest = resolved ?? digestOf(image);
  if (!applying) return { ok: true, container, attempts, ...(imageDigest !== undefined && { imageDigest }) };
  const failed = fail() as Extract<PullOutcome, { ok: false }>;
  return { ...failed, pulled: true };
}
