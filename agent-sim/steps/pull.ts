// Pulling one container's image as the agent does (ECS-BEHAVIOR.md §6): the manifest check first (agent >= 1.83.0),
// then the pull, each with the agent's retry policy, through the ImageEngine port with only {username, password}.
// A container keeps the first error it got; its reason is the named error, prefixed (>= 1.84.0) and cut.
// Fargate >= 1.4.0 does not come here: it pulls through containerd (agent-sim/steps/fargate-pull.ts).
import { EngineError } from "../ports.ts";
import type { Clock, ImageEngine, RegistryAuth } from "../ports.ts";
import { goDuration } from "./pull-timeouts.ts";
import { backoffDelay } from "./retry.ts";
import type { RetryPolicies, RetryPolicy } from "./retry.ts";
import { PULL, PULL_TIMEOUT } from "../texts/agent.ts";
import type { TraceRecorder } from "./trace.ts";
import type { AgentProfile } from "../profile/agent-profile.ts";
import { AGENT_GATES } from "../profile/versions.ts";

export type PullErrorName = typeof PULL.cannotPullContainer | typeof PULL.cannotPullImageManifest | typeof PULL_TIMEOUT.dockerTimeoutError;

export type PullOutcome =
  | { ok: true; container: string; attempts: { manifest: number; pull: number } }
  | {
      ok: false;
      container: string;
      stage: "manifest" | "pull";
      errorName: PullErrorName;
      /** The Docker engine's text of the first failed attempt. */
      dockerError: string;
      statusCode?: number;
      /** The container's `reason`. */
      reason: string;
      attempts: { manifest: number; pull: number };
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
}

/** The agent >= 1.84.0 augmentation of a known Docker error (agent/api/errormessages). */
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

export function containerReason(errorName: PullErrorName, dockerError: string, profile: PullProfile): string {
  const message = profile.prefixesPullErrors ? augmentPullMessage(dockerError) : dockerError;
  return cutChars(PULL.named(errorName, message), profile.containerReasonLimit);
}

interface AttemptsResult {
  attempts: number;
  firstError?: EngineError;
  /** The overall limit was reached (the attempt in flight is abandoned, as the agent abandons it). */
  timedOut?: boolean;
}

/** The attempt, or "timeout" when `ms` (wall time) pass first; the abandoned attempt's rejection is swallowed. */
function raceTimeout(attempt: Promise<void>, ms: number): Promise<void | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), Math.max(0, ms));
  });
  attempt.catch(() => undefined);
  return Promise.race([attempt, timeout]).finally(() => clearTimeout(timer));
}

async function withRetries(
  policy: RetryPolicy,
  operation: () => Promise<void>,
  clock: Clock,
  onRetry: (attempt: number, delayMs: number) => void,
  random?: () => number,
  deadlineAt?: number,
): Promise<AttemptsResult> {
  let firstError: EngineError | undefined;
  const left = () => (deadlineAt === undefined ? Infinity : deadlineAt - clock.now());
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    if (left() <= 0) return { attempts: attempt - 1, timedOut: true };
    try {
      const outcome = deadlineAt === undefined ? await operation() : await raceTimeout(operation(), left());
      if (outcome === "timeout") return { attempts: attempt, timedOut: true };
      // A later success clears the failure: the agent only reports when every attempt failed.
      return { attempts: attempt };
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      firstError ??= error;
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
  return { attempts: policy.maxAttempts, ...(firstError ? { firstError } : {}) };
}

export async function pullContainerImage(req: PullRequest): Promise<PullOutcome> {
  const { container, image, auth, engine, trace } = req;
  const authWord = auth ? `with ${req.authSource ?? "repositoryCredentials"}` : "anonymously";
  const attempts = { manifest: 0, pull: 0 };

  const fail = (stage: "manifest" | "pull", errorName: PullErrorName, error: { message: string; statusCode?: number }): PullOutcome => ({
    ok: false,
    container,
    stage,
    errorName,
    dockerError: error.message,
    ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
    reason: containerReason(errorName, error.message, req.profile),
    attempts,
  });

  if (req.profile.checksManifest) {
    const step = trace?.begin("manifest", container, `DistributionInspect ${image} ${authWord}`);
    const policy = req.policies.manifestRetry;
    const result = await withRetries(
      policy,
      () => engine.inspectDistribution(image, auth),
      req.clock,
      (attempt, delayMs) =>
        trace?.emit({ type: "retry", step: "manifest", container, attempt, maxAttempts: policy.maxAttempts, delayMs }),
      req.random,
    );
    attempts.manifest = result.attempts;
    if (result.firstError) {
      step?.end("failed", `${image}: ${result.attempts} attempt(s) failed; first error: ${result.firstError.message}`);
      return fail("manifest", PULL.cannotPullImageManifest, result.firstError);
    }
    step?.end("ok", `${image}: manifest found (attempt ${result.attempts})`);
  } else {
    trace?.skip("manifest", container, `agent ${req.profile.agentVersion} has no manifest check (from ${AGENT_GATES.manifestCheck})`);
  }

  const step = trace?.begin("pull", container, `ImagePull ${image} ${authWord}`);
  const policy = req.policies.pullRetry;
  const result = await withRetries(
    policy,
    () =>
      engine.pullImage(image, auth, (progress) =>
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
    step?.end("failed", `${image}: ECS_IMAGE_PULL_TIMEOUT (${goDuration(req.pullTimeoutMs!)}) reached after ${result.attempts} attempt(s)`);
    return fail("pull", PULL_TIMEOUT.dockerTimeoutError, { message });
  }
  if (result.firstError) {
    step?.end("failed", `${image}: ${result.attempts} attempt(s) failed; first error: ${result.firstError.message}`);
    return fail("pull", PULL.cannotPullContainer, result.firstError);
  }
  step?.end("ok", `${image}: pulled (attempt ${result.attempts})`);
  return { ok: true, container, attempts };
}
