// The wire answers the fault proxy impersonates, once: Docker Hub's rate-limit error, the distribution registry's
// BLOB_UNKNOWN, and Secrets Manager's JSON 1.1 errors. These are what real servers send; the texts ECS then shows
// are rebuilt elsewhere (agent-sim/texts/agent.ts) and compared byte for byte against what the real clients make of these.
import { WireText } from "../aws/texts.ts";

/** Docker Hub's message (captured in the wild; note `increase-rate-limit`, singular). */
export const DOCKER_HUB_RATE_LIMIT_MESSAGE =
  "You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit";

/** Docker Hub's 429 body: distribution's error envelope with code TOOMANYREQUESTS. */
export const DOCKER_HUB_RATE_LIMIT_BODY = JSON.stringify({
  errors: [{ code: "TOOMANYREQUESTS", message: DOCKER_HUB_RATE_LIMIT_MESSAGE }],
});

/** distribution/registry/api/v2 ErrorCodeBlobUnknown, as the registry answers a GET of a missing blob. */
export function blobUnknownBody(digest: string): string {
  return JSON.stringify({ errors: [{ code: "BLOB_UNKNOWN", message: "blob unknown to registry", detail: digest }] });
}

/** The registry's content type for error bodies. */
export const REGISTRY_JSON = "application/json; charset=utf-8";

/** AWS JSON 1.1 (Secrets Manager's protocol). */
export const AWS_JSON_1_1 = "application/x-amz-json-1.1";

/** Secrets Manager's throttling answer: HTTP 400, `__type` ThrottlingException, `Rate exceeded`. */
export const THROTTLING = { status: 400, type: "ThrottlingException", message: "Rate exceeded" } as const;

/** Secrets Manager's server-side failure: HTTP 500, `__type` InternalServiceError. */
export const INTERNAL_SERVICE_ERROR = {
  status: 500,
  type: "InternalServiceError",
  // The emulator's own InternalServiceError text, so that a faulted answer and a real one read the same.
  message: WireText.internal,
} as const;

export function awsJsonErrorBody(type: string, message: string): string {
  return JSON.stringify({ __type: type, message });
}
