// DescribeKey: a key's metadata by any of the four KeyId forms (naming `alias/aws/<service>` makes that AWS
// managed key on first use).
import type { RequestContext } from "../../context.ts";
import type { Input } from "../../protocol/input.ts";
import { readKeyId } from "./rules.ts";
import { type KeyMetadata, keyMetadata } from "./shapes.ts";
import { usableKey } from "./target.ts";
import { replicaRegionsOf } from "./replicate-key.ts";

export function DescribeKey(ctx: RequestContext, input: Input): { KeyMetadata: KeyMetadata } {
  return { KeyMetadata: keyMetadata(usableKey(ctx, readKeyId(input)), replicaRegionsOf(ctx.store)) };
}
