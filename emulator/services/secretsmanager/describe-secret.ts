// DescribeSecret: the secret's metadata, never its value. Works on secrets scheduled for deletion (DeletedDate).
import type { RequestContext } from "../../context.ts";
import type { Input } from "../../protocol/input.ts";
import { readSecretId } from "./rules.ts";
import { requireSecret } from "./secret-id.ts";
import { type SecretMetadata, secretMetadata } from "./shapes.ts";

export function DescribeSecret(ctx: RequestContext, input: Input): SecretMetadata {
  return secretMetadata(requireSecret(ctx, readSecretId(input)), "VersionIdsToStages");
}
