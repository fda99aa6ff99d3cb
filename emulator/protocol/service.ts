// What a service plugs into the emulator: a JSON 1.1 service is a target prefix, its error message key and a
// table of operations. The router (router.ts) finds the operation; the wire (json-wire.ts) renders answers.
import type { RequestContext } from "../context.ts";

/** One API operation: plain input in, plain output out, AwsError thrown. No HTTP. */
export type Operation = (ctx: RequestContext, input: Record<string, unknown>) => unknown;

export interface JsonService {
  /** Short name used in stats and logs, e.g. "secretsmanager". */
  readonly name: string;
  /** The part of `X-Amz-Target` before the dot: `secretsmanager`, `TrentService`, `AmazonEC2ContainerServiceV20141113`. */
  readonly targetPrefix: string;
  /**
   * The SigV4 signing name a request's credential scope must carry (`secretsmanager`, `kms`, `ecs`); absent for the
   * emulator's own service, which its clients sign as `sts` or `ecs`.
   */
  readonly signingName?: string;
  /** `Message` for Secrets Manager's own errors, `message` for KMS and ECS (AWS-ERRORS.md). */
  readonly messageKey: "Message" | "message";
  readonly operations: Readonly<Record<string, Operation>>;
  /** Which input member names the resource, for call statistics (e.g. SecretId). */
  readonly resourceMember?: (operation: string, input: Record<string, unknown>) => string | undefined;
}
