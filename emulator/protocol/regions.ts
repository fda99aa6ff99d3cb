// The regions a credential scope may name: those of the `aws` partition in the partition data the AWS SDK ships
// (@aws-sdk/core, util-endpoints `partitions.json`, without the `aws-global` pseudo-region, which AWS refuses in a
// scope too). The emulator's ARNs are `arn:aws:…`, so the other partitions' regions are refused like unknown ones.
// test/unit/emulator-regions.test.ts compares this list with the SDK's data, so an SDK update that adds a region
// fails a test until it is added here. Each region keeps state for as long as the emulator runs, so accepting any
// string would let requests grow memory without bound (issue 16, finding 4).
export const AWS_REGIONS: ReadonlySet<string> = new Set([
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "me-west-1",
  "mx-central-1",
  "sa-east-1",
  "sa-west-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
]);

export function isAwsRegion(region: string): boolean {
  return AWS_REGIONS.has(region);
}

const REGION_NAMES: ReadonlyMap<string, string> = new Map([...AWS_REGIONS].map((region) => [region, region]));

/**
 * The one string this module holds for an AWS region (undefined for anything else). Issue 17: a region read from a
 * request is a slice of its Authorization header — each request's own string, hashed again at every store lookup
 * and keeping the whole header alive for as long as anything (the call list) holds the region.
 */
export function awsRegion(region: string): string | undefined {
  return REGION_NAMES.get(region);
}
