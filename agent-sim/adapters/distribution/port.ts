// The seam between the Fargate pull path and a registry's distribution API: resolve an image's manifest with
// the auth flow containerd uses. The answer is structured (statuses, where it failed), never text: the Fargate
// agent's wording is made from it in agent-sim/texts/fargate-pull.ts. Unit tests hand in a fake; production the HTTP client.
import type { RegistryAuth } from "../../ports.ts";

/** One HTTP exchange, for the trace. Never carries a header value or a body. */
export interface HttpExchange {
  method: "HEAD" | "GET" | "POST";
  url: string;
  /** Undefined when no answer came (transport failure). */
  status?: number;
  /** The challenge scheme of a 401, or what the request carried: "basic", "bearer", "anonymous". */
  note?: string;
}

/** A round trip that got no HTTP answer, with what Go's net/http would name it. */
export interface TransportFailure {
  method: "HEAD" | "GET" | "POST";
  /** The URL as Go's url.Error prints it. */
  url: string;
  code: "refused" | "timeout" | "no-such-host" | "reset" | "other";
  /** host:port dialled. */
  hostPort: string;
  /** The underlying text (Node's), used for "other". */
  message: string;
}

/** Go's resp.Status, e.g. { status: 401, statusText: "Unauthorized" }. */
export interface HttpStatus {
  status: number;
  statusText: string;
}

export type TokenFailure =
  | ({ kind: "status" } & HttpStatus)
  | { kind: "transport"; transport: TransportFailure }
  | { kind: "no-token" };

export type ResolveFailure =
  /** A manifests request answered > 299 other than 404 (after containerd's own auth retries). */
  | ({ kind: "status"; pathParts: string[] } & HttpStatus)
  /** Every candidate answered 404. */
  | { kind: "not-found" }
  /** Fetching a Bearer token failed; `anonymous` when no credentials were given. */
  | { kind: "token"; anonymous: boolean; token: TokenFailure }
  /** A Bearer challenge came back with the same error= for the same request (e.g. insufficient_scope). */
  | { kind: "invalid-authorization"; error: string }
  /** A Bearer challenge without realm=. */
  | { kind: "no-realm" }
  | { kind: "transport"; transport: TransportFailure };

export type ResolveResult =
  | { ok: true; ref: string; digest: string; mediaType: string; size: number; exchanges: HttpExchange[] }
  | { ok: false; ref: string; failure: ResolveFailure; exchanges: HttpExchange[] };

export interface DistributionPort {
  /** One resolve, as containerd's docker resolver does it (with its internal auth retries). */
  resolve(image: string, auth: RegistryAuth | undefined): Promise<ResolveResult>;
}
