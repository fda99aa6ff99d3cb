// How a failed pull reads on Fargate platform >= 1.4.0 (ECS-BEHAVIOR.md §7): containerd 1.4's error for the
// resolve (remotes/docker), wrapped by the Fargate agent as `CannotPullContainerError: inspect image has been
// retried 1 time(s): failed to resolve ref "<ref>": …` or, once resolved, `… ref pull has been retried …`.
// Pure. Texts §7 captured are marked captured; the rest follow containerd's source and are labelled inferred.
import type { ResolveFailure, TokenFailure, TransportFailure } from "../adapters/distribution/port.ts";
import { CONTAINERD, FARGATE } from "./agent.ts";

export interface FargatePullText {
  /** The container's reason. */
  reason: string;
  /** containerd's own error, before the Fargate agent's wrapper. */
  cause: string;
  /** Set when no public capture settles this text: what we based it on. */
  inferred?: string;
}

const goStatus = (s: { status: number; statusText: string }) => `${s.status} ${s.statusText}`.trimEnd();

/** Go's dialer / net/http wording for a round trip without an answer. */
export function goTransportText(t: TransportFailure): string {
  const dial = (() => {
    switch (t.code) {
      case "refused":
        return CONTAINERD.dialRefused(t.hostPort);
      case "timeout":
        return CONTAINERD.dialTimeout(t.hostPort);
      case "no-such-host":
        return CONTAINERD.noSuchHost(t.hostPort);
      case "reset":
        return CONTAINERD.connectionReset;
      default:
        return t.message;
    }
  })();
  return CONTAINERD.goUrlError(t.method, t.url, dial);
}

function tokenCause(t: TokenFailure): string {
  if (t.kind === "status") return CONTAINERD.unexpectedStatus(goStatus(t));
  if (t.kind === "transport") return goTransportText(t.transport);
  return CONTAINERD.noToken;
}

/** containerd's resolve error text for a structured failure. */
export function containerdResolveCause(failure: ResolveFailure, ref: string): string {
  switch (failure.kind) {
    case "status":
      return CONTAINERD.unexpectedStatusCode(failure.pathParts, goStatus(failure));
    case "not-found":
      return CONTAINERD.notFound(ref);
    case "token": {
      const inner = failure.anonymous
        ? CONTAINERD.failedToFetchAnonymousToken(tokenCause(failure.token))
        : CONTAINERD.failedToFetchOauthToken(tokenCause(failure.token));
      return CONTAINERD.failedToAuthorize(inner);
    }
    case "invalid-authorization":
      return CONTAINERD.pullAccessDenied(CONTAINERD.serverMessage(failure.error));
    case "no-realm":
      return CONTAINERD.noRealm;
    case "transport":
      return CONTAINERD.failedToDoRequest(goTransportText(failure.transport));
  }
}

/** The container reason for a failed resolve. */
export function fargateResolveFailureText(failure: ResolveFailure, ref: string): FargatePullText {
  const cause = containerdResolveCause(failure, ref);
  if (failure.kind === "status" && failure.status === 403) {
    // §7's capture shows 403 under "ref pull", worded without the path: reproduced as captured.
    return {
      reason: FARGATE.refPullForbidden(ref),
      cause,
      inferred: "A 403 on the manifest is shown with the captured Fargate text for 403 (ref pull); when Fargate reaches that stage is not public.",
    };
  }
  const reason = FARGATE.inspectImageRetried(ref, cause);
  if (failure.kind === "status" && failure.status === 401 && failure.pathParts[0] === "manifests") {
    return { reason, cause };
  }
  const basis: Record<ResolveFailure["kind"], string> = {
    status: `The text for HTTP ${failure.kind === "status" ? failure.status : ""} follows containerd 1.4's resolver (no Fargate capture).`,
    "not-found": "The not-found text follows containerd 1.4's resolver (<ref>: not found); no Fargate capture.",
    token: "The token-failure tail follows containerd 1.4 (\"…: unexpected status: <status>\"); §7's capture stops at \"failed to fetch anonymous token\".",
    "invalid-authorization": "The insufficient-scope text follows containerd 1.4's authorizer; no Fargate capture.",
    "no-realm": "The missing-realm text follows containerd 1.4's authorizer; no Fargate capture.",
    transport: "The connection-failure text is Go's dial error as containerd 1.4 wraps it, rendered from Node's error (inferred).",
  };
  return { reason, cause, inferred: basis[failure.kind] };
}

/** The container reason when the manifest resolved but the pull itself failed (engine's text inside). */
export function fargateRefPullFailureText(ref: string, engineError: string): FargatePullText {
  return {
    reason: FARGATE.refPullRetried(ref, engineError),
    cause: engineError,
    inferred: "After a successful resolve the Docker engine pulls; its error is shown inside the Fargate ref-pull wrapper (containerd would word it differently).",
  };
}
