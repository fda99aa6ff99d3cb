// The regions the emulator accepts in a credential scope are exactly the `aws` partition's regions in the partition
// data the AWS SDK ships (without `aws-global`): an SDK update that adds a region fails here until regions.ts has it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { it } from "node:test";
import { AWS_REGIONS } from "../../emulator/protocol/regions.ts";

it("AWS_REGIONS is the SDK's aws partition", () => {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("@aws-sdk/core/package.json"));
  const source = readFileSync(join(root, "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js"), "utf8");
  const info = JSON.parse(source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1)) as { partitions: { id: string; regions: Record<string, unknown> }[] };
  const aws = info.partitions.find((p) => p.id === "aws")!;
  const sdk = Object.keys(aws.regions).filter((r) => !r.endsWith("-global")).sort();
  assert.deepEqual([...AWS_REGIONS].sort(), sdk);
});
