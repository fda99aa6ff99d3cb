// Builds a scenario's world for real: a fresh emulator (in-process, free port) with its accounts, roles, KMS keys
// and secrets created through the real AWS SDK clients, and a fresh registry fixture with its users and images;
// then the faults: some change the world once (a registry down, a blob deleted, a silent Secrets Manager), the
// others are carried out by a fault proxy (registry-fixture/fault-proxy.ts) in front of the registry or the
// emulator, set again before each run (applyFaults). Registry token auth (per-repository access) comes from the
// fixture's token service. Returns the placeholder bindings, the texts to redact, and a close() that stops everything.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:net";
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePermissionsBoundaryCommand, PutRolePolicyCommand, TagRoleCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand, DisableKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  RemoveRegionsFromReplicationCommand,
  ReplicateSecretToRegionsCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from "../aws/defaults.ts";
import { BUILTIN_ROTATION_FUNCTIONS, ECS_TASKS_SERVICE, registryRotationFunction, startEmulator, type StartedEmulator } from "../emulator/index.ts";
import { RegistryFixture, type PushedImage, type StartedRegistry } from "../registry-fixture/index.ts";
import { FaultProxy, faults as proxyFaults, type FaultRule } from "../registry-fixture/fault-proxy.ts";
import { fillDeep, fillPlaceholders } from "./placeholders.ts";
import type { FaultKind, World } from "./schema.ts";

type Fault = World["faults"][number];
const REGISTRY_PROXY_KINDS: readonly FaultKind[] = ["registry-429", "registry-slow", "registry-reset-blob"];
const SECRETS_MANAGER_PROXY_KINDS: readonly FaultKind[] = ["secrets-manager-throttle"];
/** registry-slow's default wait before each 1 KiB chunk of a blob: far longer than any inactivity timeout used. */
const SLOW_CHUNK_DELAY_MS = 10_000;
/** Token auth: the account that pushes the world's images (whatever the scenario's users may pull). */
const PUBLISHER = "ecs-pull-publisher";

export const MAIN_ACCOUNT = DEFAULT_ACCOUNT;
export { DEFAULT_REGION };

interface AdminKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface BuiltWorld {
  emulator: StartedEmulator;
  registry?: StartedRegistry;
  /** Placeholder values: registry, secretArn:<ref>, roleArn:<name>, keyArn:<ref>, account[:alias], region. */
  bindings: Map<string, string>;
  /** Passwords and secret values of this world: never printed. */
  secretTexts: string[];
  /** Images pushed (full references), to remove from the engine before and after each run. */
  images: string[];
  /** Who may pull every image of the world (the publisher, or the first user; none without auth): for a run's cachedImages. */
  preloadAuth?: { username: string; password: string };
  /** Where the simulated agent's Secrets Manager calls go (the emulator, or a fault). */
  secretsManagerEndpoint: string;
  /** How a refused connection to Secrets Manager counts: the task's problem when a fault makes it so. */
  secretsManagerUnreachable: "environment" | "task";
  /** The main account's admin key (what the simulated control plane signs with). */
  adminCredentials: { accessKeyId: string; secretAccessKey: string };
  /** Sets the fault proxies' faults for the next run (counters start again); other kinds are ignored here. */
  applyFaults(faults: readonly Fault[]): void;
  /** Requests the Secrets Manager fault proxy saw since the last applyFaults (undefined: no proxy in this world). */
  secretsManagerRequests(): number | undefined;
  /**
   * After the runs, before the images are removed: a slow registry recovers and its trickling connections are cut,
   * so that the daemon's own retry (5 s later) finishes the downloads the agent abandoned, and the pull streams
   * still open in this process end (bounded: 15 s). Nothing to do in other worlds.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const json = (doc: unknown) => (typeof doc === "string" ? doc : JSON.stringify(doc));
const ecsTrust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: ECS_TASKS_SERVICE }, Action: "sts:AssumeRole" }] };

/** Alias → 12-digit account; `main` always exists. */
export function accountsOf(world: World): Map<string, string> {
  const accounts = new Map<string, string>([["main", MAIN_ACCOUNT]]);
  for (const [alias, a] of Object.entries(world.accounts ?? {})) accounts.set(alias, a.id);
  return accounts;
}

export interface BuildWorldOptions {
  region?: string;
  /** Faults the runs may set (run.faults): their proxies are started even when world.faults has none. */
  runFaults?: readonly Fault[];
}

/** What the set-up steps share: the world, its accounts and their admin keys, the emulator, the SDK clients. */
interface WorldBuild {
  world: World;
  region: string;
  accounts: Map<string, string>;
  keys: Map<string, AdminKey>;
  emulator: StartedEmulator;
  bindings: Map<string, string>;
  secretTexts: string[];
  cleanups: (() => Promise<void> | void)[];
  /** The world's registry once started: the built-in `propagated` rotation changes its password (late-bound). */
  rotatedRegistry: { current?: StartedRegistry };
  /** The Lambda ARN the world's built-in registry rotation is registered under. */
  rotationArn(account: string, region: string, mode: "propagated" | "not-propagated"): string;
  accountOf(alias: string | undefined): string;
  sm(account: string, region?: string): SecretsManagerClient;
  kms(account: string, region?: string): KMSClient;
  iam(account: string): IAMClient;
}

/** The registry side once set up: the fixture, what was pushed, and the proxy the tasks pull through (if any). */
interface RegistrySide {
  registry?: StartedRegistry;
  pushed: Map<string, PushedImage>;
  images: string[];
  proxy?: FaultProxy;
  preloadAuth?: { username: string; password: string };
}

/** Where the agent's Secrets Manager calls go once the world's faults are set up. */
interface SecretsManagerSide {
  endpoint: string;
  unreachable: BuiltWorld["secretsManagerUnreachable"];
  proxy?: FaultProxy;
}

export async function buildWorld(world: World, options: BuildWorldOptions = {}): Promise<BuiltWorld> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch(() => undefined);
  };
  try {
    const build = await startWorld(world, options.region ?? DEFAULT_REGION, cleanups);
    const allFaults = [...world.faults, ...(options.runFaults ?? [])];
    // The registry before the secrets: their values and the task definitions name its address. Roles exist before
    // keys and secrets, whose policies may name them. Starting the registry's process and pushing its images is
    // mostly waiting on another process, so the roles and keys are created meanwhile unless they name the registry.
    const rolesAndKeys = async () => {
      await createRoles(build);
      await createKmsKeys(build);
    };
    let registry: RegistrySide;
    if (namesRegistry([world.roles, world.kmsKeys])) {
      registry = await setUpRegistry(build, allFaults);
      await rolesAndKeys();
    } else {
      const [side, iam] = await Promise.allSettled([setUpRegistry(build, allFaults), rolesAndKeys()]);
      if (side.status === "rejected") throw side.reason;
      if (iam.status === "rejected") throw iam.reason;
      registry = side.value;
    }
    await createSecrets(build);
    await attachRolePolicies(build);
    await applyRefusingStates(build);
    const secretsManager = await setUpFaults(build, registry, allFaults);
    return builtWorld(build, registry, secretsManager, close);
  } catch (error) {
    await close();
    throw error;
  }
}

/** True when a placeholder in `parts` needs the registry side's bindings (its address, an image, a digest). */
function namesRegistry(parts: unknown): boolean {
  return /\{(?:registry|image|digest)[:}]/.test(JSON.stringify(parts));
}

/** Admin keys per account, the emulator that knows them, the bindings and the SDK clients (closed with the world). */
async function startWorld(world: World, region: string, cleanups: WorldBuild["cleanups"]): Promise<WorldBuild> {
  const accounts = accountsOf(world);
  const keys = new Map<string, AdminKey>();
  for (const [alias, id] of accounts) {
    keys.set(id, alias === "main" ? { accessKeyId: "test", secretAccessKey: "test" } : { accessKeyId: `AKIAADMIN${alias.toUpperCase().replace(/[^A-Z0-9]/g, "")}${id}`.slice(0, 20), secretAccessKey: `admin-${id}` });
  }
  // The built-in registry rotations under one Lambda ARN per account, region and kind.
  const rotationArn = (account: string, r: string, mode: "propagated" | "not-propagated") =>
    `arn:aws:lambda:${r}:${account}:function:ecs-pull-registry-rotation${mode === "propagated" ? "" : "-not-propagated"}`;
  // `propagated` changes the password in the world's registry, started later (hence the late-bound reference).
  const rotatedRegistry: WorldBuild["rotatedRegistry"] = {};
  const propagating = registryRotationFunction({
    setPassword: async (username, password) => {
      if (rotatedRegistry.current === undefined) throw new Error("the world has no registry");
      await rotatedRegistry.current.setPassword(username, password);
    },
  });
  const rotationFunctions = new Map(
    world.secrets
      .filter((s) => s.rotated !== undefined)
      .map((s) => [rotationArn(accounts.get(s.account ?? "main") ?? MAIN_ACCOUNT, s.region ?? region, s.rotated!), s.rotated === "propagated" ? propagating : BUILTIN_ROTATION_FUNCTIONS["registry-not-propagated"]!] as const),
  );
  const emulator = await startEmulator({ port: 0, accounts: [...keys].map(([account, k]) => ({ account, ...k })), rotationFunctions });
  cleanups.push(() => emulator.close());
  const bindings = new Map<string, string>([["region", region], ["account", accounts.get("main")!]]);
  for (const [alias, id] of accounts) bindings.set(`account:${alias}`, id);
  const clients: { destroy(): void }[] = [];
  cleanups.push(() => clients.forEach((c) => c.destroy()));
  const config = (account: string, r = region) => ({ endpoint: emulator.url, region: r, credentials: keys.get(account)! });
  return {
    world,
    region,
    accounts,
    keys,
    emulator,
    bindings,
    secretTexts: [],
    cleanups,
    rotatedRegistry,
    rotationArn,
    accountOf: (alias) => {
      const id = accounts.get(alias ?? "main");
      if (!id) throw new Error(`world: no account "${alias}" in world.accounts`);
      return id;
    },
    sm: (account, r) => track(clients, new SecretsManagerClient(config(account, r))),
    kms: (account, r) => track(clients, new KMSClient(config(account, r))),
    iam: (account) => track(clients, new IAMClient(config(account))),
  };
}

/** The registry fixture with the world's users (token auth: per-repository access) and images; a proxy for faults. */
async function setUpRegistry(build: WorldBuild, allFaults: readonly Fault[]): Promise<RegistrySide> {
  const { world, secretTexts, cleanups, bindings } = build;
  const pushed = new Map<string, PushedImage>();
  const images: string[] = [];
  if (!world.registry) return { pushed, images };
  const spec = world.registry;
  let fixture = new RegistryFixture().withBcryptCost(4).withLogLevel("error");
  if (spec.auth === "none") fixture = fixture.withoutAuth();
  for (const u of spec.users) {
    fixture = fixture.withUser(u.username, u.password);
    secretTexts.push(u.password);
  }
  // Token auth: each user pulls what registry.access grants (default everything); a publisher pushes.
  let publisher: { username: string; password: string } | undefined;
  if (spec.auth === "token") {
    publisher = { username: PUBLISHER, password: randomBytes(12).toString("hex") };
    secretTexts.push(publisher.password);
    fixture = fixture.withUser(publisher.username, publisher.password).withTokenAuth({
      acl: { ...Object.fromEntries(spec.users.map((u) => [u.username, spec.access?.[u.username] ?? ["*"]])), [PUBLISHER]: ["*"] },
      ...(spec.badCredentials && { badCredentials: spec.badCredentials }),
      ...(spec.anonymousPull && { anonymousPull: spec.anonymousPull }),
    });
  }
  const registry = await fixture.start();
  build.rotatedRegistry.current = registry;
  cleanups.push(() => registry.stop());
  // The daemon shares a layer's download between pulls by digest (and keeps retrying one that a stopped slow proxy
  // cut), and skips a layer it already has: every world gets layers of its own, so that worlds built at the same
  // time (runScenarios' concurrency) never find or join each other's layers.
  const nonce = `:${randomBytes(8).toString("hex")}`;
  for (const image of spec.images) {
    const seed = `${image.repository}:${image.tag}${nonce}`;
    const p = await registry.pushImage({ repository: image.repository, tag: image.tag, layers: image.layers, layerSize: image.layerSize, seed, ...(publisher && { auth: publisher }) });
    pushed.set(`${image.repository}:${image.tag}`, p);
  }
  // Registry faults of the proxy kind: tasks pull through the proxy ({registry} is the proxy's address).
  let address = registry.address;
  let proxy: FaultProxy | undefined;
  if (allFaults.some((f) => REGISTRY_PROXY_KINDS.includes(f.kind))) {
    const started = await FaultProxy.start({ target: registry.url });
    proxy = started;
    cleanups.push(() => started.stop());
    address = started.address;
  }
  bindings.set("registry", address);
  if (spec.auth === "token") bindTokens(registry, spec.users, [...pushed.keys()], bindings, secretTexts);
  for (const [key, p] of pushed) {
    bindings.set(`digest:${key}`, p.digest);
    const repository = key.slice(0, key.lastIndexOf(":"));
    // A digest reference pulls repo@digest with no tag (agent GetCanonicalRef): removed by that name too.
    images.push(`${address}/${key}`, `${address}/${repository}@${p.digest}`);
  }
  const preloadAuth = publisher ?? (spec.auth === "none" ? undefined : spec.users[0]);
  return { registry, pushed, images, ...(proxy && { proxy }), ...(preloadAuth && { preloadAuth: { username: preloadAuth.username, password: preloadAuth.password } }) };
}

/**
 * Token auth: what an engine auth entry's `identitytoken` / `registrytoken` can name. {identityToken:<user>} is a
 * refresh token the token service issued to that user (what `docker login` stores); {registryToken:<repo>} a pull
 * token for the repository signed by the service's key, {registryToken:<repo>:expired} the same issued an hour ago
 * (expired). All are secrets: redacted like passwords.
 */
function bindTokens(registry: StartedRegistry, users: ReadonlyArray<{ username: string }>, images: readonly string[], bindings: Map<string, string>, secretTexts: string[]): void {
  const bind = (key: string, token: string) => {
    bindings.set(key, token);
    secretTexts.push(token);
  };
  for (const u of users) bind(`identityToken:${u.username}`, registry.issueIdentityToken(u.username));
  const subject = users[0]?.username ?? "";
  const hourAgo = Math.floor(Date.now() / 1000) - 3600;
  for (const repository of new Set(images.map((key) => key.slice(0, key.lastIndexOf(":"))))) {
    const access = [{ repository, actions: ["pull"] }];
    bind(`registryToken:${repository}`, registry.mintRegistryToken({ subject, access }));
    bind(`registryToken:${repository}:expired`, registry.mintRegistryToken({ subject, access, issuedAt: hourAgo }));
  }
}

async function createRoles(build: WorldBuild): Promise<void> {
  const { world, bindings, accountOf, iam } = build;
  for (const role of world.roles) bindings.set(`roleArn:${role.name}`, `arn:aws:iam::${accountOf(role.account)}:role/${role.name}`);
  for (const role of world.roles) {
    await iam(accountOf(role.account)).send(new CreateRoleCommand({ RoleName: role.name, AssumeRolePolicyDocument: json(fillDeep(role.trust ?? ecsTrust, bindings)) }));
  }
}

async function createKmsKeys(build: WorldBuild): Promise<void> {
  const { world, bindings, accountOf, kms } = build;
  for (const key of world.kmsKeys) {
    const account = accountOf(key.account);
    const out = await kms(account, key.region).send(new CreateKeyCommand({ ...(key.policy !== undefined && { Policy: json(fillDeep(key.policy, bindings)) }) }));
    bindings.set(`keyArn:${key.ref}`, out.KeyMetadata!.Arn!);
  }
}

/** The secrets (their values and passwords become texts to redact), then their resource policies. */
async function createSecrets(build: WorldBuild): Promise<void> {
  const { world, bindings, secretTexts, accountOf, sm } = build;
  for (const secret of world.secrets) {
    const account = accountOf(secret.account);
    const client = sm(account, secret.region);
    const value = secret.value === undefined ? undefined : typeof secret.value === "string" ? fillPlaceholders(secret.value, bindings) : JSON.stringify(fillDeep(secret.value, bindings));
    if (value !== undefined) secretTexts.push(value, ...secretStringsIn(secret.value));
    const binary = secret.binary === undefined ? undefined : Buffer.from(secret.binary, "base64");
    if (secret.binary !== undefined) secretTexts.push(secret.binary, binary!.toString("utf8"));
    const kmsKey = secret.kmsKey === undefined ? undefined : bindings.get(`keyArn:${secret.kmsKey}`);
    if (secret.kmsKey !== undefined && kmsKey === undefined) throw new Error(`world: secret ${secret.name} names KMS key "${secret.kmsKey}", which is not in world.kmsKeys`);
    const out = await client.send(
      new CreateSecretCommand({
        Name: secret.name,
        ...(value !== undefined ? { SecretString: value } : { SecretBinary: binary }),
        ...(kmsKey !== undefined && { KmsKeyId: kmsKey }),
        ...(secret.tags && { Tags: Object.entries(secret.tags).map(([Key, Value]) => ({ Key, Value })) }),
      }),
    );
    bindings.set(`secretArn:${secret.ref ?? secret.name}`, out.ARN!);
    await shapeHistory(build, client, out.ARN!, out.VersionId!, secret);
  }
  for (const secret of world.secrets) {
    if (secret.resourcePolicy === undefined) continue;
    const arn = bindings.get(`secretArn:${secret.ref ?? secret.name}`)!;
    await sm(accountOf(secret.account), secret.region).send(new PutResourcePolicyCommand({ SecretId: arn, ResourcePolicy: json(fillDeep(secret.resourcePolicy, bindings)) }));
  }
}

/** Versions, labels, rotation and replicas after the first value: the histories behind a refused password. */
async function shapeHistory(build: WorldBuild, client: SecretsManagerClient, arn: string, firstVersion: string, secret: World["secrets"][number]): Promise<void> {
  const { bindings, secretTexts, accountOf, region, rotationArn } = build;
  const valueOf = (v: string | Record<string, unknown>) => (typeof v === "string" ? fillPlaceholders(v, bindings) : JSON.stringify(fillDeep(v, bindings)));
  const versions = [firstVersion];
  for (const later of secret.laterValues ?? []) {
    const text = valueOf(later);
    secretTexts.push(text, ...secretStringsIn(later));
    versions.push((await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: text }))).VersionId!);
  }
  if (secret.currentVersion !== undefined && secret.currentVersion !== versions.length - 1) {
    await client.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: "AWSCURRENT", MoveToVersionId: versions[secret.currentVersion], RemoveFromVersionId: versions[versions.length - 1] }));
  }
  if (secret.pendingValue !== undefined) {
    const text = valueOf(secret.pendingValue);
    secretTexts.push(text, ...secretStringsIn(secret.pendingValue));
    await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: text, VersionStages: ["AWSPENDING"] }));
  }
  if (secret.rotated !== undefined) {
    await client.send(new RotateSecretCommand({ SecretId: arn, RotationLambdaARN: rotationArn(accountOf(secret.account), secret.region ?? region, secret.rotated), RotationRules: { AutomaticallyAfterDays: 30 } }));
    // The drawn password is a secret of this world too (never printed).
    const rotated = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? "";
    secretTexts.push(rotated);
    try {
      secretTexts.push(...secretStringsIn(JSON.parse(rotated) as unknown));
    } catch {
      // not JSON: the whole value is already listed
    }
  }
  if (secret.replicaRegions?.length) {
    await client.send(new ReplicateSecretToRegionsCommand({ SecretId: arn, AddReplicaRegions: secret.replicaRegions.map((Region) => ({ Region })) }));
  }
  if (secret.removedReplicaRegions?.length) {
    await client.send(new RemoveRegionsFromReplicationCommand({ SecretId: arn, RemoveReplicaRegions: secret.removedReplicaRegions }));
  }
}

/** The roles' inline and attached policies, permissions boundaries and tags (policies may name keys and secrets). */
async function attachRolePolicies(build: WorldBuild): Promise<void> {
  const { world, bindings, accountOf, iam } = build;
  let policyCount = 0;
  for (const role of world.roles) {
    const client = iam(accountOf(role.account));
    const managed = async (p: string | { name: string; document: unknown }) => {
      if (typeof p === "string") return p;
      const out = await client.send(new CreatePolicyCommand({ PolicyName: p.name || `policy-${++policyCount}`, PolicyDocument: json(fillDeep(p.document, bindings)) }));
      return out.Policy!.Arn!;
    };
    for (const [name, doc] of Object.entries(role.inline ?? {})) {
      await client.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: name, PolicyDocument: json(fillDeep(doc, bindings)) }));
    }
    for (const p of role.attached ?? []) await client.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: await managed(p) }));
    if (role.boundary !== undefined) await client.send(new PutRolePermissionsBoundaryCommand({ RoleName: role.name, PermissionsBoundary: await managed(role.boundary) }));
    if (role.tags) await client.send(new TagRoleCommand({ RoleName: role.name, Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })) }));
  }
}

/** States that would have refused the set-up above: keys disabled, secrets scheduled for deletion. */
async function applyRefusingStates(build: WorldBuild): Promise<void> {
  const { world, bindings, accountOf, kms, sm } = build;
  for (const key of world.kmsKeys) {
    const KeyId = bindings.get(`keyArn:${key.ref}`)!;
    const client = kms(accountOf(key.account), key.region);
    if (key.state === "disabled") await client.send(new DisableKeyCommand({ KeyId }));
    if (key.state === "pending-deletion") await client.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
  }
  for (const secret of world.secrets) {
    if (!secret.deleted) continue;
    await sm(accountOf(secret.account), secret.region).send(new DeleteSecretCommand({ SecretId: bindings.get(`secretArn:${secret.ref ?? secret.name}`)!, RecoveryWindowInDays: 7 }));
  }
}

/** The faults that change the world once, and the Secrets Manager proxy when a run's faults need it. */
async function setUpFaults(build: WorldBuild, side: RegistrySide, allFaults: readonly Fault[]): Promise<SecretsManagerSide> {
  const { world, emulator, cleanups } = build;
  const { registry, pushed } = side;
  let endpoint = emulator.url;
  let unreachable: BuiltWorld["secretsManagerUnreachable"] = "environment";
  for (const fault of world.faults) {
    switch (fault.kind) {
      case "registry-down":
        if (registry) await registry.stop();
        break;
      case "delete-blob": {
        const target = fault.image ?? [...pushed.keys()][0];
        const image = target === undefined ? undefined : pushed.get(target);
        if (!registry || !image) throw new Error(`world: fault delete-blob names no pushed image (${fault.image ?? "none pushed"})`);
        const layer = image.manifest.layers[image.manifest.layers.length - 1]!;
        await registry.deleteBlob({ repository: target!.slice(0, target!.lastIndexOf(":")), digest: layer.digest });
        break;
      }
      case "secrets-manager-timeout": {
        const silent = await listenSilently();
        cleanups.push(() => new Promise<void>((r) => silent.server.close(() => r())));
        endpoint = silent.url;
        unreachable = "task";
        break;
      }
      case "secrets-manager-refused": {
        const silent = await listenSilently();
        await new Promise<void>((r) => silent.server.close(() => r()));
        endpoint = silent.url;
        unreachable = "task";
        break;
      }
      default:
        // Proxy faults: applyFaults() below, and again before each run.
        if (!REGISTRY_PROXY_KINDS.includes(fault.kind) && !SECRETS_MANAGER_PROXY_KINDS.includes(fault.kind)) throw new Error(`world: fault ${fault.kind} is not implemented`);
        if (REGISTRY_PROXY_KINDS.includes(fault.kind) && !registry) throw new Error(`world: fault ${fault.kind} needs world.registry`);
    }
  }
  if (!allFaults.some((f) => SECRETS_MANAGER_PROXY_KINDS.includes(f.kind))) return { endpoint, unreachable };
  if (endpoint !== emulator.url) throw new Error("world: secrets-manager-throttle cannot be combined with another Secrets Manager fault");
  const proxy = await FaultProxy.start({ target: emulator.url });
  cleanups.push(() => proxy.stop());
  // A refused or silent proxy is the task's network problem, as for the other Secrets Manager faults.
  return { endpoint: proxy.url, unreachable: "task", proxy };
}

/** The world as the runner sees it, with the fault proxies' controls (set per run, settled after the runs). */
function builtWorld(build: WorldBuild, side: RegistrySide, secretsManager: SecretsManagerSide, close: () => Promise<void>): BuiltWorld {
  const { pushed, registry } = side;
  const registryProxy = side.proxy;
  const secretsManagerProxy = secretsManager.proxy;
  let smBaseline = 0;
  const lastLayer = (image: string | undefined) => {
    const key = image ?? [...pushed.keys()][0];
    const p = key === undefined ? undefined : pushed.get(key);
    if (!p) throw new Error(`world: fault registry-reset-blob names no pushed image (${image ?? "none pushed"})`);
    return p.manifest.layers[p.manifest.layers.length - 1]!.digest;
  };
  const layerBlobs = () => new RegExp(`/blobs/(${[...pushed.values()].flatMap((p) => p.manifest.layers.map((l) => l.digest)).join("|")})$`);
  const registryRule = (f: Fault): FaultRule[] => {
    if (f.kind === "registry-429") return [proxyFaults.rateLimited(undefined, f.times)];
    // Layers only: the manifest check reads the image's config blob, which stays fast.
    if (f.kind === "registry-slow") return [proxyFaults.slowBody(1024, f.delayMs ?? SLOW_CHUNK_DELAY_MS, { method: "GET", path: layerBlobs() }, f.times)];
    if (f.kind === "registry-reset-blob") return [proxyFaults.resetBlob(lastLayer(f.image), 1024, f.times)];
    return [];
  };
  let slowApplied = false;
  const applyFaults = (list: readonly Fault[]) => {
    if (list.some((f) => f.kind === "registry-slow")) slowApplied = true;
    registryProxy?.setFaults(list.flatMap(registryRule));
    secretsManagerProxy?.setFaults(list.flatMap((f) => (f.kind === "secrets-manager-throttle" ? [proxyFaults.awsThrottling(f.times)] : [])));
    smBaseline = secretsManagerProxy?.stats().requests ?? 0;
  };
  applyFaults(build.world.faults);

  return {
    emulator: build.emulator,
    ...(registry && { registry }),
    bindings: build.bindings,
    secretTexts: [...new Set(build.secretTexts.filter((t) => t.length >= 4))],
    images: side.images,
    ...(side.preloadAuth && { preloadAuth: side.preloadAuth }),
    secretsManagerEndpoint: secretsManager.endpoint,
    secretsManagerUnreachable: secretsManager.unreachable,
    adminCredentials: build.keys.get(build.accounts.get("main")!)!,
    applyFaults,
    settle: async () => {
      const proxy = registryProxy;
      if (!slowApplied || !proxy) return;
      slowApplied = false;
      proxy.setFaults([]);
      const from = proxy.stats().log.length;
      proxy.dropConnections();
      const layers = layerBlobs();
      const deadline = Date.now() + 15_000;
      const done = () => proxy.stats().log.slice(from).some((l) => layers.test(l.path) && (l.status === 200 || l.status === 206));
      while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 300));
    },
    secretsManagerRequests: () => (secretsManagerProxy ? secretsManagerProxy.stats().requests - smBaseline : undefined),
    close,
  };
}

function track<T extends { destroy(): void }>(list: { destroy(): void }[], client: T): T {
  list.push(client);
  return client;
}

/** The secret parts of a secret value as written: all of a plain string, the password-like keys of an object. */
function secretStringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => (/pass|secret|token|auth/i.test(k) && typeof v === "string" ? [v] : []));
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers (a Secrets Manager that times out). */
async function listenSilently(): Promise<{ server: Server; url: string }> {
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined).on("close", () => sockets.delete(socket));
  });
  const close = server.close.bind(server);
  // Closing also drops the connections it holds open, so that close() returns at once.
  server.close = ((cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  }) as typeof server.close;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}` };
}
