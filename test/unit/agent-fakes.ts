// Small fakes of the agent-sim ports for the agent-* unit tests: a clock that never waits, a Secrets Manager that
// answers from a table, and an engine that answers per image.
import { EngineError, SecretsManagerCallError } from "../../agent-sim/ports.ts";
import type { Clock, ImageEngine, RegistryAuth, SecretsManagerFailure, SecretsManagerPort, SecretValue } from "../../agent-sim/ports.ts";

export class FakeClock implements Clock {
  sleeps: number[] = [];
  constructor(public time = Date.UTC(2025, 0, 1, 12, 0, 0)) {}
  now() {
    return this.time;
  }
  async sleep(ms: number) {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

export type SecretAnswer = SecretValue | undefined | { fail: Partial<SecretsManagerFailure> & { code: string } };

export class FakeSecretsManager implements SecretsManagerPort {
  calls: { secretId: string; region: string }[] = [];
  constructor(private readonly answers: Record<string, SecretAnswer>) {}
  async getSecretValue(input: Parameters<SecretsManagerPort["getSecretValue"]>[0]) {
    // The call as the step made it, without the agent's client settings (which the SDK adapter reads).
    this.calls.push({ secretId: input.secretId, region: input.region, ...(input.executionRole && { executionRole: input.executionRole }) });
    if (!(input.secretId in this.answers)) {
      throw new SecretsManagerCallError({
        code: "ResourceNotFoundException",
        message: "Secrets Manager can't find the specified secret.",
        httpStatusCode: 400,
        requestId: "11111111-2222-3333-4444-555555555555",
        attempts: 1,
        kind: "service",
      });
    }
    const answer = this.answers[input.secretId];
    if (answer && "fail" in answer) {
      throw new SecretsManagerCallError({ message: "", attempts: 1, kind: "service", ...answer.fail });
    }
    return answer as SecretValue | undefined;
  }
}

export interface EngineCall {
  op: "inspect" | "pull" | "create" | "tag";
  /** For a tag: the target. */
  image: string;
  /** For a tag: what was tagged. */
  source?: string;
  auth: RegistryAuth | undefined;
}

/** `errors[image]`: a list of errors for successive attempts (the last one repeats), or none for success. */
export class FakeEngine implements ImageEngine {
  calls: EngineCall[] = [];
  constructor(
    private readonly pullErrors: Record<string, (EngineError | null)[]> = {},
    private readonly manifestErrors: Record<string, (EngineError | null)[]> = {},
  ) {}
  private answer(table: Record<string, (EngineError | null)[]>, op: EngineCall["op"], image: string) {
    const list = table[image];
    if (!list || list.length === 0) return;
    const n = this.calls.filter((c) => c.op === op && c.image === image).length - 1;
    const error = list[Math.min(n, list.length - 1)];
    if (error) throw error;
  }
  /** What DistributionInspect answers per image: a digest (a v2 manifest) — none: the fake does not say. */
  readonly digests: Record<string, string> = {};
  /** Errors for successive ImageTag attempts per target (the last one repeats). */
  readonly tagErrors: Record<string, (EngineError | null)[]> = {};
  async inspectDistribution(image: string, auth: RegistryAuth | undefined) {
    this.calls.push({ op: "inspect", image, auth });
    this.answer(this.manifestErrors, "inspect", image);
    const digest = this.digests[image];
    return digest === undefined ? undefined : { digest, mediaType: "application/vnd.docker.distribution.manifest.v2+json" };
  }
  async tagImage(source: string, target: string) {
    this.calls.push({ op: "tag", image: target, source, auth: undefined });
    this.answer(this.tagErrors, "tag", target);
    if (!this.images.has(source)) throw new EngineError(`Error response from daemon: No such image: ${source}`, 404);
    this.images.add(target);
  }
  async pullImage(image: string, auth: RegistryAuth | undefined, onProgress?: (p: { id: string; status: string }) => void) {
    this.calls.push({ op: "pull", image, auth });
    onProgress?.({ id: "abc123", status: "Pulling fs layer" });
    this.answer(this.pullErrors, "pull", image);
    this.images.add(image);
  }
  /** The fake's image store: what a successful pull put there, plus what a test puts there. */
  readonly images = new Set<string>();
  async hasImage(image: string) {
    return this.images.has(image);
  }
  async createContainer(image: string) {
    this.calls.push({ op: "create", image, auth: undefined });
    if (!this.images.has(image)) throw new EngineError(`Error response from daemon: No such image: ${image}`, 404);
  }
}

export const engineError = (message: string, statusCode?: number) => new EngineError(message, statusCode);

export const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-creds-AbCdEf";
export const ROLE_ARN = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";

export function taskDef(containers: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return { family: "web", executionRoleArn: ROLE_ARN, containerDefinitions: containers, ...extra };
}

/** What a definition names to run on FARGATE as well as EC2 (RunTask refuses FARGATE otherwise: steps/gates.ts). */
export const FARGATE_COMPATIBLE = { requiresCompatibilities: ["EC2", "FARGATE"], networkMode: "awsvpc", cpu: "256", memory: "512" };

export const privateContainer = (name = "app", image = "registry.example.com:5000/team/app:1.0", secret = SECRET_ARN) => ({
  name,
  image,
  essential: true,
  repositoryCredentials: { credentialsParameter: secret },
});
