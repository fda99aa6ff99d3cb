// Pulling one container's image as Fargate platform >= 1.4.0 does (ECS-BEHAVIOR.md §7): containerd resolves the
// manifest over the registry's API (our DistributionPort, with containerd's auth flow), then the image is pulled
// (here by the Docker engine). One attempt each: the Fargate agent's texts say "retried 1 time(s)".
import type { DistributionPort } from "../adapters/distribution/port.ts";
import { EngineError } from "../ports.ts";
import type { ImageEngine, RegistryAuth } from "../ports.ts";
import type { PullOutcome } from "./pull.ts";
import { cutChars } from "./pull.ts";
import { PULL } from "../texts/agent.ts";
import type { TraceRecorder } from "./trace.ts";
import { CONTAINER_REASON_LIMIT } from "../profile/versions.ts";
import { fargateRefPullFailureText, fargateResolveFailureText } from "../texts/fargate-pull.ts";

export interface FargatePullRequest {
  container: string;
  image: string;
  /** From repositoryCredentials; Fargate has no other source. */
  auth: RegistryAuth | undefined;
  distribution: DistributionPort;
  engine: ImageEngine;
  trace?: TraceRecorder;
}

export interface FargatePullResult {
  outcome: PullOutcome;
  /** Statements about texts in the outcome that no capture settles. */
  inferred: string[];
}

export async function pullFargateImage(req: FargatePullRequest): Promise<FargatePullResult> {
  const { container, image, auth, trace } = req;
  const authWord = auth ? "with repositoryCredentials" : "anonymously";
  const attempts = { manifest: 1, pull: 0 };

  const step = trace?.begin("manifest", container, `containerd resolve ${image} ${authWord}`);
  const resolved = await req.distribution.resolve(image, auth);
  const http = resolved.exchanges.map((e) => `${e.method} ${e.url} → ${e.status ?? "no answer"}${e.note ? ` (${e.note})` : ""}`).join("; ");
  if (!resolved.ok) {
    const text = fargateResolveFailureText(resolved.failure, resolved.ref);
    step?.end("failed", `${resolved.ref}: ${text.cause}${http ? ` [${http}]` : ""}`, text.inferred !== undefined);
    const forbiddenAsRefPull = text.reason.includes("ref pull has been retried");
    return {
      outcome: {
        ok: false,
        container,
        stage: forbiddenAsRefPull ? "pull" : "manifest",
        errorName: PULL.cannotPullContainer,
        dockerError: text.cause,
        ...(resolved.failure.kind === "status" ? { statusCode: resolved.failure.status } : {}),
        reason: cutChars(text.reason, CONTAINER_REASON_LIMIT.sdkV2),
        attempts,
      },
      inferred: text.inferred ? [text.inferred] : [],
    };
  }
  step?.end("ok", `${resolved.ref}: ${resolved.digest} (${resolved.mediaType || "unknown type"}, ${resolved.size} bytes) [${http}]`);

  const pull = trace?.begin("pull", container, `ImagePull ${image} ${authWord}`);
  attempts.pull = 1;
  try {
    await req.engine.pullImage(image, auth, (progress) => trace?.emit({ type: "pull-progress", step: "pull", container, progress }));
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    const text = fargateRefPullFailureText(resolved.ref, error.message);
    pull?.end("failed", `${image}: ${error.message}`, true);
    return {
      outcome: {
        ok: false,
        container,
        stage: "pull",
        errorName: PULL.cannotPullContainer,
        dockerError: error.message,
        ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
        reason: cutChars(text.reason, CONTAINER_REASON_LIMIT.sdkV2),
        attempts,
      },
      inferred: text.inferred ? [text.inferred] : [],
    };
  }
  pull?.end("ok", `${image}: pulled`);
  return { outcome: { ok: true, container, attempts }, inferred: [] };
}
