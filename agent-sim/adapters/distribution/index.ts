// A registry's distribution API as containerd reaches it: the port, the HTTP client, references, challenges.
export type { DistributionPort, ResolveResult, ResolveFailure, TokenFailure, TransportFailure, HttpExchange, HttpStatus } from "./port.ts";
export { createHttpDistribution, MANIFEST_ACCEPT, DEFAULT_REQUEST_TIMEOUT_MS, transportFailure } from "./http-resolver.ts";
export type { HttpDistributionOptions } from "./http-resolver.ts";
export { parseImageReference, defaultScheme, ReferenceError } from "./reference.ts";
export type { ImageReference } from "./reference.ts";
export { parseChallenges } from "./challenge.ts";
export type { Challenge, AuthScheme } from "./challenge.ts";
