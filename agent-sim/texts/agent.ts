// Every text ECS shows for private-registry auth, once: the agent's messages (ECS-BEHAVIOR.md §3–§8) and the ECS API
// errors of AWS-ERRORS.md's ECS table. Other modules build reasons only from these; tests compare byte for byte.
// Texts no public source settles are in INFERRED_TEXTS, so the output can label them.

/** RegisterTaskDefinition ClientException messages. */
export const REGISTER = {
  executionRoleRequired:
    "Private repository authentication requires that the task definition specify a value for executionRoleArn.",
  ecrNotSupported: "Private repository credentials are not a supported authentication method for ECR repositories.",
  secretsRequireExecutionRole:
    "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.",
  familyInvalid: "Family contains invalid characters.",
  familyBlank: "Family can not be blank.",
  containerNameInvalid: "Container.name contains invalid characters.",
  roleInvalid: "Role is not valid",
  // The four below have no captured AWS text: our choice, labelled inferred wherever they are shown.
  familyTooLong: "Family must be 255 characters or less.",
  containerNameTooLong: "Container.name must be 255 characters or less.",
  imageInvalid: "Container.image contains invalid characters.",
  imageTooLong: "Container.image repository should be 255 characters or less.",
  containerListEmpty: "Container list cannot be empty.",
  containerNameDuplicate: (name: string) => `Container names must be unique: ${name}`,
  /** The 64 KiB limit; text as CloudTrail recorded it (awsdocs/amazon-ecs-developer-guide#149). */
  maxSizeBytes: 65_536,
  tooLarge: (actual: number, max: number) => `Actual length: '${actual}'. Max allowed length is '${max}' bytes.`,
  /** requiresCompatibilities FARGATE (texts as users posted them: aws/amazon-ecs-cli#1145, #463; mongodb/terraform-aws-ecs-task-definition#38). */
  fargateNetworkMode: "Fargate only supports network mode \u2018awsvpc\u2019.",
  fargateCpu: "Fargate requires that 'cpu' be defined at the task level.",
  /** No capture: the cpu text's pattern (inferred). */
  fargateMemory: "Fargate requires that 'memory' be defined at the task level.",
  fargateNoConfiguration: "No Fargate configuration exists for given values.",
} as const;

/** RunTask / placement texts. */
export const RUN_TASK = {
  /** failures[].reason when no container instance has a required attribute. */
  placementAttribute: "ATTRIBUTE",
  noContainerInstances: "No Container Instances were found in your cluster.",
  serviceUnableToPlace: (serviceName: string) =>
    `service ${serviceName} was unable to place a task because no container instance met all of its requirements.`,
  /** Inferred continuation of the service event. */
  closestInstanceMissingAttribute: (containerInstanceId: string) =>
    ` The closest matching container-instance ${containerInstanceId} is missing an attribute required by your task.`,
  platformUnknown: "The specified platform version doesn't exist.",
  platformIncompatible: "One or more of the requested capabilities are not supported.",
  /**
   * InvalidParameterException for a FARGATE launch of a definition that is not FARGATE-compatible. Captured from
   * UpdateService (sil-org/ecs-deploy#134, #129; fabfuel/ecs-deploy; buildkite-plugins/ecs-deploy-buildkite-plugin#34);
   * RunTask's own is inferred to be the same validation's text.
   */
  launchTypeUnsupported: (launchType: string) => `Task definition does not support launch_type ${launchType}.`,
  unableToAssumeRole: (roleArn: string) =>
    `ECS was unable to assume the role '${roleArn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
} as const;

/** The attribute an EC2/EXTERNAL agent >= 1.19.0 advertises. */
export const PRIVATE_REGISTRY_ATTRIBUTE = "ecs.capability.private-registry-authentication.secretsmanager";

/** The stopCode of a task that never got all its containers started. */
export const STOP_CODE_TASK_FAILED_TO_START = "TaskFailedToStart";

/** agent/asm/asm.go — parse errors in the order the agent checks them (ECS-BEHAVIOR.md §4). */
export const ASM = {
  emptyResponse: "asm fetching authorization data: empty response",
  emptySecretsValue: "asm fetching authorization data: empty secrets value",
  invalidSchema: "asm fetching authorization data: unable to unmarshal secret value, invalid schema",
  emptyUsername: "asm fetching username: AuthorizationData is malformed, empty field",
  emptyPassword: "asm fetching password: AuthorizationData is malformed, empty field",
  fetchFromService: (secretId: string, sdkError: string) =>
    `asm fetching secret from the service for ${secretId}: ${sdkError}`,
  noExecutionRoleCredentials: "asm resource: unable to find execution role credentials",
} as const;

/** How the Go SDKs print a failed call (ECS-BEHAVIOR.md §5). */
export const SDK = {
  /** aws-sdk-go v1 awserr.RequestFailure: "<Code>: <Message>\n\tstatus code: <n>, request id: <id>". */
  v1RequestFailure: (code: string, message: string, status: number, requestId: string) =>
    `${code}: ${message}\n\tstatus code: ${status}, request id: ${requestId}`,
  /** aws-sdk-go v1 transport error: awserr.New("RequestError", "send request failed", cause). */
  v1SendRequestFailed: (cause: string) => `RequestError: send request failed\ncaused by: ${cause}`,
  v2OperationError: (rest: string) => `operation error Secrets Manager: GetSecretValue, ${rest}`,
  v2MaxAttempts: (attempts: number, rest: string) => `exceeded maximum number of attempts, ${attempts}, ${rest}`,
  v2ResponseError: (status: number, requestId: string, apiError: string) =>
    `https response error StatusCode: ${status}, RequestID: ${requestId}, ${apiError}`,
  v2RequestSendFailed: (cause: string) => `request send failed, ${cause}`,
  v2ModelledError: (code: string, message: string) => `${code}: ${message}`,
  v2GenericApiError: (code: string, message: string) => `api error ${code}: ${message}`,
  /** Go net/http's wrapping of a transport failure (url.Error). */
  goUrlError: (url: string, cause: string) => `Post "${url}": ${cause}`,
  goConnectionRefused: (hostPort: string) => `dial tcp ${hostPort}: connect: connection refused`,
  goClientTimeout: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
  goConnectionReset: "read: connection reset by peer",
} as const;

/** The registry's refusal of a repository (Docker Distribution's DENIED error), as the daemon prints it. */
const REGISTRY_DENIED = "denied: requested access to the resource is denied";
/** The registry's rate-limit error code (Docker Distribution's TOOMANYREQUESTS), as the daemon prints it. */
const REGISTRY_TOO_MANY_REQUESTS = "toomanyrequests";

/** Docker pull error names and the agent >= 1.84.0 augmentations (agent/api/errormessages). */
export const PULL = {
  cannotPullContainer: "CannotPullContainerError",
  cannotPullImageManifest: "CannotPullImageManifestError",
  named: (name: string, message: string) => `${name}: ${message}`,
  /** The typographic apostrophe (U+2019) is in the agent's source. */
  prefixImageDoesNotExist: "The task can\u2019t pull the image. Check whether the image exists. ",
  prefixNetworkConfiguration: "The task can\u2019t pull the image. Check your network configuration. ",
  prefixEcrBatchGetImage:
    "The task can\u2019t pull the image. Check that the role has the permissions to pull images from the registry. ",
  patternImageDoesNotExist: REGISTRY_DENIED,
  patternNetworkConfiguration: "request canceled while waiting for connection",
  patternEcrBatchGetImage: /denied: User: (.+) is not authorized to perform: ecr:BatchGetImage on resource/,
  /**
   * The tag after a pull by the resolved digest failed (agent/dockerclient/dockerapi/docker_client.go TagImage's
   * wrapping); the agent names it CannotPullContainerError (docker_task_engine.go pullAndUpdateContainerReference).
   */
  tagFailed: (source: string, target: string, error: string) => `failed to tag image '${source}' as '${target}': ${error}`,
} as const;

/** Docker daemon texts the agent passes through (what the engine adapter reports), for matching and fixtures. */
export const DOCKER = {
  pullAccessDenied: (repo: string) =>
    `Error response from daemon: pull access denied for ${repo}, repository does not exist or may require 'docker login': ${REGISTRY_DENIED}`,
  unauthorized: "unauthorized: incorrect username or password",
  noBasicAuth: "no basic auth credentials",
  /** The rate-limit error code, whatever message the registry adds. */
  tooManyRequestsCode: REGISTRY_TOO_MANY_REQUESTS,
  tooManyRequests: `${REGISTRY_TOO_MANY_REQUESTS}: You have reached your pull rate limit.`,
  manifestUnknown: (ref: string) => `manifest for ${ref} not found: manifest unknown: manifest unknown`,
  connectionRefused: "connection refused",
  /** Docker 20.10, seen through the fault proxy: a registry answering 5xx to the manifest request. */
  unexpectedHttpStatus: (status: string) => `received unexpected HTTP status: ${status}`,
  /** Docker 20.10: a layer's blob answered 404 BLOB_UNKNOWN mid-pull (the pull stream's error, no prefix). */
  unknownBlob: "unknown blob",
  /** Docker 20.10: the registry closed the connection without answering (Go's url.Error around io.EOF). */
  connectionEof: (method: string, url: string) => `${method} "${url}": EOF`,
  /** Docker 20.10: nothing listens at the registry's address. */
  dialRefused: (url: string, hostPort: string) => `Get "${url}": dial tcp ${hostPort}: connect: connection refused`,
  /** Docker 20.10's progress line while it waits to retry a cut layer download. */
  retryingIn: (seconds: number) => `Retrying in ${seconds} second${seconds === 1 ? "" : "s"}`,
} as const;

/**
 * The agent's pull time limits (agent dockerapi PullImage/pullImage): ECS_IMAGE_PULL_INACTIVITY_TIMEOUT (default 1m)
 * cancels one attempt's request when the daemon's progress stream goes quiet; the body read then fails with Go's
 * `context canceled` before the agent's own inactivity message is reached, so the reason reads
 * `CannotPullContainerError: context canceled`. ECS_IMAGE_PULL_TIMEOUT (default 2h) bounds all attempts together.
 */
export const PULL_TIMEOUT = {
  defaultInactivityMs: 60_000,
  defaultTotalMs: 2 * 60 * 60 * 1000,
  contextCanceled: "context canceled",
  /** The agent's message when the flag is seen first (a rarer ordering). */
  inactivityExceeded: "inactivity time exceeded timeout while pulling image",
  dockerTimeoutError: "DockerTimeoutError",
  /** DockerTimeoutError.Error(); `duration` is Go's time.Duration.String(), e.g. 2h0m0s. */
  transitionTimedOut: (duration: string) => `Could not transition to pulled; timed out after waiting ${duration}`,
  /** DockerTimeoutError.Error() for another transition (agent/dockerclient/dockerapi/errors.go). */
  transitionTimedOutTo: (transition: string, duration: string) => `Could not transition to ${transition}; timed out after waiting ${duration}`,
  /** PullImageManifest's transition name (agent/dockerclient/dockerapi/docker_client.go). */
  manifestPulled: "MANIFEST_PULLED",
  /** pullImage's transition name when no progress line came within DockerPullBeginTimeout. */
  pullBegin: "pullBegin",
  /** agent/dockerclient/timeout.go DockerPullBeginTimeout. */
  pullBeginTimeoutMs: 5 * 60_000,
  /** agent/engine/docker_task_engine.go tagImageTimeout: the tag after a pull by digest; reached → the `pulled` transition's text. */
  tagImageTimeoutMs: 30_000,
  /** agent/config/config.go minimumImagePullInactivityTimeout. */
  minimumInactivityMs: 60_000,
  /** agent/config/config_windows.go defaultImagePullInactivityTimeout. */
  windowsDefaultInactivityMs: 3 * 60_000,
  /** agent/config/config_unix.go / config_windows.go defaultManifestPullTimeout, minimumManifestPullTimeout. */
  defaultManifestPullMs: 60_000,
  minimumManifestPullMs: 30_000,
  /** agent/config/parse.go parseImagePullInactivityTimeout / parseManifestPullTimeout: the agent's log warnings. */
  discardedInactivity: (parsed: string) => `Discarded invalid value for image pull inactivity timeout, parsed as: ${parsed}`,
  discardedManifest: (parsed: string) => `Discarded invalid value for manifest pull timeout, parsed as: ${parsed}`,
} as const;

/** ECS_IMAGE_PULL_BEHAVIOR (agent/config/parse.go parseImagePullBehavior) and the agent's log lines around it. */
export const IMAGE_PULL_BEHAVIOR = {
  env: "ECS_IMAGE_PULL_BEHAVIOR",
  values: ["default", "always", "once", "prefer-cached"] as const,
  /** agent/engine/task_manager.go handleEventError. */
  tryToRunAnyway: "Error while pulling image or its manifest; will try to run anyway",
  movingToStopped: "Error while pulling image or its manifest; moving task to STOPPED",
  /** agent/engine/docker_task_engine.go imagePullRequired. */
  alreadyPulled: "Image for container already exists, not pulling it again",
  foundCached: "Found cached image, use it directly for container",
  inspectFailed: "Image inspect returned error, manifest and image pull required",
} as const;

/** The create step's error name (agent/dockerclient/dockerapi/errors.go CannotCreateContainerError). */
export const CREATE = {
  cannotCreateContainer: "CannotCreateContainerError",
} as const;

/** containerd's authorizer failures, without the cause it appends (auth/fetch.go). */
const ANONYMOUS_TOKEN_FAILED = "failed to fetch anonymous token";
const OAUTH_TOKEN_FAILED = "failed to fetch oauth token";

/** Fargate platform >= 1.4.0 (ECS-BEHAVIOR.md §7): the Fargate agent's wrappers around containerd's errors. */
export const FARGATE = {
  resourceInitialization: (inner: string) =>
    `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to get registry auth from asm: ${inner}`,
  serviceCallRetried: (retries: number, inner: string) => `service call has been retried ${retries} time(s): ${inner}`,
  networkHint: " Please check your task network configuration.",
  /** The manifest could not be resolved (containerd's resolver failed). */
  inspectImageRetried: (image: string, cause: string) =>
    `CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "${image}": ${cause}`,
  /** The pull itself failed after the reference resolved. */
  refPullRetried: (image: string, cause: string) =>
    `CannotPullContainerError: ref pull has been retried 1 time(s): failed to pull and unpack image "${image}": ${cause}`,
  /** As §7 records it (the capture ends there; containerd's source continues with ": <cause>", see CONTAINERD). */
  anonymousTokenFailed: `failed to authorize: ${ANONYMOUS_TOKEN_FAILED}.`,
  manifestsUnauthorized: (tag: string) => `unexpected status code [manifests ${tag}]: 401 Unauthorized`,
  refPullForbidden: (image: string) =>
    `CannotPullContainerError: ref pull has been retried 1 time(s): failed to pull and unpack image "${image}": failed to resolve reference "${image}": unexpected status code 403 Forbidden`,
} as const;

/**
 * containerd 1.4's remotes/docker texts (resolver.go, authorizer.go, auth/fetch.go), which the Fargate agent wraps.
 * `status` is Go's resp.Status, e.g. "401 Unauthorized".
 */
export const CONTAINERD = {
  /** resolver.go: a HEAD/GET of manifests/<tag> answered > 299 and not 404; Go prints the path parts as a slice. */
  unexpectedStatusCode: (pathParts: readonly string[], status: string) =>
    `unexpected status code [${pathParts.join(" ")}]: ${status}`,
  /** resolver.go: every candidate answered 404: errors.Wrap(errdefs.ErrNotFound, ref). */
  notFound: (ref: string) => `${ref}: not found`,
  /** resolver.go: ErrInvalidAuthorization on a resolve request. */
  pullAccessDenied: (cause: string) => `pull access denied, repository does not exist or may require authorization: ${cause}`,
  /** authorizer.go: the same Bearer challenge came back with an error= parameter. */
  serverMessage: (error: string) => `server message: ${error}: authorization failed`,
  /** request.do: the authorizer failed before the request was sent. */
  failedToAuthorize: (cause: string) => `failed to authorize: ${cause}`,
  /** The heads of the two below, for matching whatever cause follows. */
  anonymousTokenFailed: ANONYMOUS_TOKEN_FAILED,
  oauthTokenFailed: OAUTH_TOKEN_FAILED,
  failedToFetchAnonymousToken: (cause: string) => `${ANONYMOUS_TOKEN_FAILED}: ${cause}`,
  failedToFetchOauthToken: (cause: string) => `${OAUTH_TOKEN_FAILED}: ${cause}`,
  /** remotes/errors.ErrUnexpectedStatus. */
  unexpectedStatus: (status: string) => `unexpected status: ${status}`,
  /** request.do: the HTTP round trip failed. */
  failedToDoRequest: (cause: string) => `failed to do request: ${cause}`,
  /** Go's url.Error: `Head "https://…": <cause>`. */
  goUrlError: (method: string, url: string, cause: string) =>
    `${method.charAt(0)}${method.slice(1).toLowerCase()} "${url}": ${cause}`,
  dialRefused: (hostPort: string) => `dial tcp ${hostPort}: connect: connection refused`,
  dialTimeout: (hostPort: string) => `dial tcp ${hostPort}: i/o timeout`,
  noSuchHost: (host: string) => `dial tcp: lookup ${host}: no such host`,
  connectionReset: "read: connection reset by peer",
  /** auth.GenerateTokenOptions: a Bearer challenge without realm=. */
  noRealm: "no realm specified for token auth challenge",
  /** auth.ErrNoToken. */
  noToken: "authorization server did not include a token in the response",
} as const;

/** ECS_ENGINE_AUTH_TYPE / ECS_ENGINE_AUTH_DATA warnings (agent/dockerclient/dockerauth/dockerauth.go, §8). */
export const ENGINE_AUTH = {
  cannotParseDocker: "Could not parse 'docker' type auth config",
  cannotParseDockercfg: "Could not parse 'dockercfg' type auth config",
  malformedAuthData: (registry: string) => `Malformed auth data for registry ${registry}`,
  /** The decoded auth has no ':' between user and password. */
  malformedAuthDataNoColon: (registry: string) => `Malformed auth data for registry ${registry}; must contain ':'`,
  unknownType: (type: string) => `Unknown auth configuration: ${type}`,
  dockerHubKey: "index.docker.io/v1/",
} as const;

/** Texts above that are our choice rather than a captured AWS/agent text. */
export const INFERRED_TEXTS: ReadonlySet<string> = new Set<string>([
  REGISTER.familyTooLong,
  REGISTER.containerNameTooLong,
  REGISTER.imageInvalid,
  REGISTER.imageTooLong,
  REGISTER.containerListEmpty,
  REGISTER.fargateMemory,
  RUN_TASK.platformUnknown,
  RUN_TASK.platformIncompatible,
]);
