// DescribeSecret: the secret's metadata, never its value. Works on secrets scheduled for deletion (DeletedDate).
import type { RequestContext } from "../../context.ts";
import type { Input } from "../../protocol/input.ts";
import { readSecretId } from "./rules.ts";
import { requireSecret } from "./secret-id.ts";
import { secretMetadata } from "./shapes.ts";

export function DescribeSecret(ctx: RequestContext, input: Input): Record<string, unknown> {
  return secretMetadata(requireSecret(ctx, readSecretId(input)), "VersionIdsToStages");
}
