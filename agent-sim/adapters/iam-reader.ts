// Reads, through the public IAM, Secrets Manager and KMS APIs and with the caller's (not the role's) credentials,
// everything AWS weighs when the execution role calls GetSecretValue: the role's inline and attached policies, its
// permissions boundary and tags; the secret's ARN, tags, resource policy and KMS key; the key's policy and state.
// The result is plain data (IamSnapshot) for the pure decision in iam-check.ts. Never reads a secret's value.
import { DescribeSecretCommand, GetResourcePolicyCommand, ListSecretVersionIdsCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { BoundaryPolicyRef, IdentityPolicyRef } from "../../aws/iam/index.ts";
import type { AwsCredentials } from "../steps/execution-role.ts";

export interface RoleSnapshot {
  arn: string;
  name: string;
  tags: Record<string, string>;
  identity: IdentityPolicyRef[];
  boundary?: BoundaryPolicyRef;
}

export interface SecretSnapshot {
  arn: string;
  tags: { Key: string; Value: string }[];
  resourcePolicy?: string;
  /** Present for a customer managed key (as DescribeSecret shows it). */
  kmsKeyId?: string;
  deleted: boolean;
}

export interface KeySnapshot {
  arn: string;
  account: string;
  keyManager: "AWS" | "CUSTOMER";
  keyState: string;
  policy?: string;
  tags: { Key: string; Value: string }[];
}

/** What could be read; `unreadable` lists what the caller could not read (then the decision is partial). */
export interface IamSnapshot {
  role?: RoleSnapshot;
  /** Undefined: no such secret (or not visible to the caller). */
  secret?: SecretSnapshot;
  key?: KeySnapshot;
  unreadable: string[];
}

/** Where to look for a secret a bare name did not find: other regions by name, and ARNs by DescribeSecret. */
export interface SecretLookup {
  name: string;
  /** ListSecrets (filter `name`) in each, with the caller's credentials. */
  regions: string[];
  /** DescribeSecret on each (full ARNs, e.g. another account's, named in the role's policies). */
  arns: string[];
}

/** A secret the caller can see (its metadata only: never a value). */
export interface SecretSighting {
  arn: string;
  name: string;
  region: string;
  account: string;
  /** How the caller saw it. */
  via: "ListSecrets" | "DescribeSecret";
  /** Present when the secret is replicated (its primary's region), as ListSecrets/DescribeSecret show it. */
  primaryRegion?: string;
}

/** A secret's versions and rotation state (metadata only, never a value), for a refused password. */
export interface SecretHistory {
  arn: string;
  /** Oldest first (ListSecretVersionIds with IncludeDeprecated, by CreatedDate). */
  versions: { versionId: string; stages: string[]; createdDate: number }[];
  /** Milliseconds since the epoch. */
  lastRotatedDate?: number;
  rotationEnabled?: boolean;
}

/** Reads an IamSnapshot; one implementation over the SDKs, fakes in tests. */
export interface IamReaderPort {
  read(input: { roleArn: string; secretId: string; region: string }): Promise<IamSnapshot>;
  /**
   * Looks for a secret elsewhere, for the diagnosis of a bare name not found: bounded, in parallel, each call with
   * a short timeout; what fails or times out is simply not seen. Optional: readers without it look nowhere else.
   */
  locate?(lookup: SecretLookup): Promise<SecretSighting[]>;
  /**
   * DescribeSecret and ListSecretVersionIds of a secret (after a registry refused its password): which version is
   * AWSCURRENT, whether a rotation is stuck or happened. Optional; undefined when it cannot be read.
   */
  history?(secretId: string, region: string): Promise<SecretHistory | undefined>;
}

/** Per call of a look-around (ListSecrets / DescribeSecret): a diagnosis must not wait on a slow region. */
export const LOCATE_TIMEOUT_MS = 2000;
/** At most this many calls in one look-around. */
export const LOCATE_MAX_CALLS = 24;

/** IAM and KMS return policy documents URL-encoded (IAM) or plain (KMS); either way, the JSON text. */
export function decodePolicyDocument(document: string): string {
  if (!document.includes("%")) return document;
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}

const roleNameOf = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

// The IAM and KMS clients load on first use: they are needed only to explain a denial (or for --iam-check client),
// and loading them costs a run that succeeds about a third of a second.
let iamSdk: Promise<typeof import("@aws-sdk/client-iam")> | undefined;
let kmsSdk: Promise<typeof import("@aws-sdk/client-kms")> | undefined;
const loadIamSdk = () => (iamSdk ??= import("@aws-sdk/client-iam"));
const loadKmsSdk = () => (kmsSdk ??= import("@aws-sdk/client-kms"));

export function createSdkIamReader(options: { endpoint?: string; credentials?: AwsCredentials } = {}): IamReaderPort & { destroy(): void } {
  const common = { ...(options.endpoint && { endpoint: options.endpoint }), ...(options.credentials && { credentials: options.credentials }) };
  const clients: { destroy(): void }[] = [];
  const made = new Map<string, unknown>();
  const client = <T extends { destroy(): void }>(key: string, make: () => T): T => {
    let c = made.get(key) as T | undefined;
    if (!c) {
      c = make();
      made.set(key, c);
      clients.push(c);
    }
    return c;
  };
  // IAM is global: its endpoint lives in us-east-1 (the endpoint override, when given, serves every region).
  const iam = async () => {
    const { IAMClient } = await loadIamSdk();
    return client("iam", () => new IAMClient({ region: "us-east-1", maxAttempts: 2, ...common }));
  };
  const sm = (region: string) => client(`sm|${region}`, () => new SecretsManagerClient({ region, maxAttempts: 2, ...common }));
  const kms = async (region: string) => {
    const { KMSClient } = await loadKmsSdk();
    return client(`kms|${region}`, () => new KMSClient({ region, maxAttempts: 2, ...common }));
  };

  async function readRole(roleArn: string, unreadable: string[]): Promise<RoleSnapshot | undefined> {
    const RoleName = roleNameOf(roleArn);
    try {
      const role = (await (await iam()).send(new (await loadIamSdk()).GetRoleCommand({ RoleName }))).Role;
      const identity: IdentityPolicyRef[] = [];
      const inline = await (await iam()).send(new (await loadIamSdk()).ListRolePoliciesCommand({ RoleName }));
      for (const PolicyName of inline.PolicyNames ?? []) {
        const doc = await (await iam()).send(new (await loadIamSdk()).GetRolePolicyCommand({ RoleName, PolicyName }));
        identity.push({ id: PolicyName, type: "inline", name: PolicyName, document: decodePolicyDocument(doc.PolicyDocument ?? "") });
      }
      const attached = await (await iam()).send(new (await loadIamSdk()).ListAttachedRolePoliciesCommand({ RoleName }));
      for (const p of attached.AttachedPolicies ?? []) {
        const document = await managedDocument(p.PolicyArn ?? "");
        identity.push({ id: p.PolicyName ?? "", type: "managed", name: p.PolicyName ?? "", arn: p.PolicyArn ?? "", document });
      }
      const tags: Record<string, string> = {};
      for (const t of role?.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? "";
      const snapshot: RoleSnapshot = { arn: role?.Arn ?? roleArn, name: RoleName, tags, identity };
      const boundaryArn = role?.PermissionsBoundary?.PermissionsBoundaryArn;
      if (boundaryArn) {
        const name = boundaryArn.slice(boundaryArn.lastIndexOf("/") + 1);
        snapshot.boundary = { id: name, name, arn: boundaryArn, document: await managedDocument(boundaryArn) };
      }
      return snapshot;
    } catch (error) {
      unreadable.push(`the role ${roleArn} (${(error as Error).name})`);
      return undefined;
    }
  }

  async function managedDocument(PolicyArn: string): Promise<string> {
    const policy = (await (await iam()).send(new (await loadIamSdk()).GetPolicyCommand({ PolicyArn }))).Policy;
    const version = await (await iam()).send(new (await loadIamSdk()).GetPolicyVersionCommand({ PolicyArn, VersionId: policy?.DefaultVersionId ?? "v1" }));
    return decodePolicyDocument(version.PolicyVersion?.Document ?? "");
  }

  async function readSecret(secretId: string, region: string, unreadable: string[]): Promise<SecretSnapshot | undefined> {
    try {
      const d = await sm(region).send(new DescribeSecretCommand({ SecretId: secretId }));
      const snapshot: SecretSnapshot = {
        arn: d.ARN ?? secretId,
        tags: (d.Tags ?? []).map((t) => ({ Key: t.Key ?? "", Value: t.Value ?? "" })),
        deleted: d.DeletedDate !== undefined,
        ...(d.KmsKeyId !== undefined && d.KmsKeyId !== "alias/aws/secretsmanager" && { kmsKeyId: d.KmsKeyId }),
      };
      try {
        const rp = await sm(region).send(new GetResourcePolicyCommand({ SecretId: snapshot.arn }));
        if (rp.ResourcePolicy) snapshot.resourcePolicy = rp.ResourcePolicy;
      } catch (error) {
        unreadable.push(`the resource policy of ${snapshot.arn} (${(error as Error).name})`);
      }
      return snapshot;
    } catch (error) {
      if ((error as Error).name !== "ResourceNotFoundException") unreadable.push(`the secret ${secretId} (${(error as Error).name})`);
      return undefined;
    }
  }

  // Look-around clients: one attempt, no retries (a region that does not answer in time is skipped).
  const smOnce = (region: string) => client(`sm-once|${region}`, () => new SecretsManagerClient({ region, maxAttempts: 1, ...common }));
  const regionOfArn = (arn: string) => arn.split(":")[3] ?? "";

  async function locate({ name, regions, arns }: SecretLookup): Promise<SecretSighting[]> {
    const listIn = async (region: string): Promise<SecretSighting[]> => {
      const out = await smOnce(region).send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [name] }], MaxResults: 100 }), { abortSignal: AbortSignal.timeout(LOCATE_TIMEOUT_MS) });
      return (out.SecretList ?? [])
        .filter((s) => s.Name === name && s.ARN !== undefined && s.DeletedDate === undefined)
        .map((s) => ({ arn: s.ARN!, name, region: regionOfArn(s.ARN!) || region, account: s.ARN!.split(":")[4] ?? "", via: "ListSecrets" as const, ...(s.PrimaryRegion !== undefined && { primaryRegion: s.PrimaryRegion }) }));
    };
    const describe = async (arn: string): Promise<SecretSighting[]> => {
      const d = await smOnce(regionOfArn(arn)).send(new DescribeSecretCommand({ SecretId: arn }), { abortSignal: AbortSignal.timeout(LOCATE_TIMEOUT_MS) });
      if (d.Name !== name || d.ARN === undefined || d.DeletedDate !== undefined) return [];
      return [{ arn: d.ARN, name, region: regionOfArn(d.ARN), account: d.ARN.split(":")[4] ?? "", via: "DescribeSecret", ...(d.PrimaryRegion !== undefined && { primaryRegion: d.PrimaryRegion }) }];
    };
    const calls: (() => Promise<SecretSighting[]>)[] = [
      ...[...new Set(regions)].map((r) => () => listIn(r)),
      ...[...new Set(arns)].filter((a) => regionOfArn(a) !== "").map((a) => () => describe(a)),
    ];
    const settled = await Promise.allSettled(calls.slice(0, LOCATE_MAX_CALLS).map((call) => call()));
    const seen = new Map<string, SecretSighting>();
    for (const r of settled) if (r.status === "fulfilled") for (const s of r.value) if (!seen.has(s.arn)) seen.set(s.arn, s);
    return [...seen.values()];
  }

  async function history(secretId: string, fallbackRegion: string): Promise<SecretHistory | undefined> {
    const region = secretId.startsWith("arn:") ? regionOfArn(secretId) || fallbackRegion : fallbackRegion;
    try {
      const signal = () => ({ abortSignal: AbortSignal.timeout(LOCATE_TIMEOUT_MS) });
      const d = await smOnce(region).send(new DescribeSecretCommand({ SecretId: secretId }), signal());
      const versions: SecretHistory["versions"] = [];
      let NextToken: string | undefined;
      // Bounded: at most 3 pages of 100.
      for (let page = 0; page < 3; page++) {
        const out = await smOnce(region).send(new ListSecretVersionIdsCommand({ SecretId: secretId, IncludeDeprecated: true, MaxResults: 100, ...(NextToken && { NextToken }) }), signal());
        for (const v of out.Versions ?? []) if (v.VersionId) versions.push({ versionId: v.VersionId, stages: v.VersionStages ?? [], createdDate: v.CreatedDate?.getTime() ?? 0 });
        NextToken = out.NextToken;
        if (!NextToken) break;
      }
      versions.sort((a, b) => a.createdDate - b.createdDate);
      return {
        arn: d.ARN ?? secretId,
        versions,
        ...(d.LastRotatedDate !== undefined && { lastRotatedDate: d.LastRotatedDate.getTime() }),
        ...(d.RotationEnabled !== undefined && { rotationEnabled: d.RotationEnabled }),
      };
    } catch {
      return undefined;
    }
  }

  async function readKey(keyId: string, region: string, unreadable: string[]): Promise<KeySnapshot | undefined> {
    const keyRegion = keyId.startsWith("arn:") ? (keyId.split(":")[3] ?? region) : region;
    try {
      const meta = (await (await kms(keyRegion)).send(new (await loadKmsSdk()).DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
      const arn = meta?.Arn ?? keyId;
      const key: KeySnapshot = {
        arn,
        account: meta?.AWSAccountId ?? arn.split(":")[4] ?? "",
        keyManager: meta?.KeyManager === "AWS" ? "AWS" : "CUSTOMER",
        keyState: meta?.KeyState ?? "Enabled",
        tags: [],
      };
      try {
        const p = await (await kms(keyRegion)).send(new (await loadKmsSdk()).GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }));
        if (p.Policy) key.policy = decodePolicyDocument(p.Policy);
      } catch (error) {
        unreadable.push(`the key policy of ${arn} (${(error as Error).name})`);
      }
      return key;
    } catch (error) {
      unreadable.push(`the KMS key ${keyId} (${(error as Error).name})`);
      return undefined;
    }
  }

  return {
    async read({ roleArn, secretId, region }) {
      const unreadable: string[] = [];
      const role = await readRole(roleArn, unreadable);
      const secret = await readSecret(secretId, region, unreadable);
      const key = secret?.kmsKeyId !== undefined ? await readKey(secret.kmsKeyId, region, unreadable) : undefined;
      return { ...(role && { role }), ...(secret && { secret }), ...(key && { key }), unreadable };
    },
    locate,
    history,
    destroy() {
      for (const c of clients) c.destroy();
    },
  };
}
