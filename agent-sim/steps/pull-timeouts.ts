// The agent's image pull inactivity timeout (ECS_IMAGE_PULL_INACTIVITY_TIMEOUT) as an ImageEngine decorator: an
// attempt whose progress stream stays quiet that long fails with the agent's text, and the agent's retry policy
// (agent-sim/steps/pull.ts) then decides what happens next. A decorator rather than a change to the engine adapter, so
// fakes and the real engine get the same rule. The abandoned daemon request is not cancelled (the daemon would
// keep pulling anyway, as it does for the agent); the fault proxy's stop() is what ends it in tests.
import { EngineError, type ImageEngine, type PullProgress, type RegistryAuth } from "../ports.ts";
import { PULL_TIMEOUT } from "../texts/agent.ts";

export interface PullTimeoutOptions {
  /** Quiet time after which one pull attempt fails; default the agent's 1 minute. 0 disables. */
  inactivityMs?: number;
  /**
   * DockerPullBeginTimeout (agent/dockerclient/timeout.go, 5m): an attempt that has produced no progress line by then
   * fails with `DockerTimeoutError: Could not transition to pullBegin; timed out after waiting 5m0s`
   * (agent/dockerclient/dockerapi/docker_client.go pullImage). 0 disables.
   */
  pullBeginMs?: number;
}

/** Go's time.Duration.String() for whole milliseconds (e.g. 1.5s, 2m0s, 2h0m0s, 500ms). */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const secondsText = `${Number.isInteger(seconds) ? seconds : seconds.toString()}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Go's time.ParseDuration, as the agent reads ECS_IMAGE_PULL_TIMEOUT / ECS_IMAGE_PULL_INACTIVITY_TIMEOUT: `90s`,
 * `2m`, `1h30m`, `1.5s`, `500ms`, `0`; returns whole milliseconds (rounded up). Throws RangeError for anything else.
 */
export function parseGoDuration(text: string): number {
  const value = text.trim();
  if (value === "0") return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let ms = 0;
  let end = 0;
  for (let m = part.exec(value); m; m = part.exec(value)) {
    ms += Number(m[1]) * GO_UNITS[m[2]!]!;
    end = part.lastIndex;
  }
  if (value === "" || end !== value.length) throw new RangeError(`invalid duration "${text}": use Go's form, e.g. 90s, 2m, 1h30m, 500ms`);
  return Math.ceil(ms - 1e-9);
}

export function withPullTimeouts(engine: ImageEngine, options: PullTimeoutOptions = {}): ImageEngine {
  const inactivityMs = options.inactivityMs ?? PULL_TIMEOUT.defaultInactivityMs;
  const pullBeginMs = options.pullBeginMs ?? PULL_TIMEOUT.pullBeginTimeoutMs;
  return {
    inspectDistribution: (image, auth) => engine.inspectDistribution(image, auth),
    hasImage: (image) => engine.hasImage(image),
    createContainer: (image) => engine.createContainer(image),
    tagImage: (source, target) => engine.tagImage(source, target),
    pullImage(image: string, auth: RegistryAuth | undefined, onProgress?: (p: PullProgress) => void): Promise<void> {
      if (inactivityMs <= 0 && pullBeginMs <= 0) return engine.pullImage(image, auth, onProgress);
      return new Promise<void>((resolve, reject) => {
        let settled = false;
        let timer: NodeJS.Timeout | undefined;
        let beginTimer: NodeJS.Timeout | undefined;
        const arm = () => {
          if (inactivityMs <= 0) return;
          clearTimeout(timer);
          timer = setTimeout(() => settle(() => reject(new EngineError(PULL_TIMEOUT.contextCanceled))), inactivityMs);
        };
        const settle = (fn: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          clearTimeout(beginTimer);
          fn();
        };
        if (pullBeginMs > 0) {
          const text = PULL_TIMEOUT.transitionTimedOutTo(PULL_TIMEOUT.pullBegin, goDuration(pullBeginMs));
          beginTimer = setTimeout(() => settle(() => reject(new EngineError(text, undefined, PULL_TIMEOUT.dockerTimeoutError))), pullBeginMs);
        }
        arm();
        engine
          .pullImage(image, auth, (progress) => {
            if (settled) return;
            clearTimeout(beginTimer);
            arm();
            onProgress?.(progress);
          })
          .then(
            () => settle(resolve),
            (error: unknown) => settle(() => reject(error)),
          );
      });
    },
  };
}
