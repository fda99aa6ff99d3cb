// The JSON the teaching page and its server exchange (routes in ui/server): scenario views, the run
// request, and the events of a run (sent as server-sent events). Shared by both sides; types only, no code.
// Nothing here ever holds a secret value or a registry password: the server builds these from names and texts.

export interface ScenarioSummary {
  id: string;
  title: string;
  section: string;
  situation: string;
}

/** One policy document shown on the page: a role's trust/inline/managed/boundary policy, or a secret's. */
export interface PolicyBox {
  /** Stable id used by edits and highlights, e.g. `role/ecsTaskExecutionRole/inline/read-registry-creds`. */
  id: string;
  title: string;
  kind: "trust" | "inline" | "managed" | "boundary" | "resource" | "aws-managed";
  /** The document as written in the scenario (placeholders such as {secretArn:registry/creds} kept). */
  text: string;
  editable: boolean;
}

export interface SecretView {
  name: string;
  /** The key names of a JSON secret; never a value. */
  keys: string[];
  kind: "json" | "plaintext" | "binary";
  kmsKey?: string;
  account?: string;
  region?: string;
  deleted?: boolean;
  resourcePolicy?: PolicyBox;
}

export interface RoleView {
  name: string;
  account?: string;
  policies: PolicyBox[];
}

export interface WorldView {
  accounts: { alias: string; id: string }[];
  secrets: SecretView[];
  roles: RoleView[];
  registry?: { auth: string; users: string[]; images: string[] };
  kmsKeys: { ref: string; state: string }[];
  faults: string[];
}

export interface LaunchChoice {
  index: number;
  label: string;
  launchType: string;
  agentVersion?: string;
  platformVersion?: string;
  region?: string;
  /** ECS_ENGINE_AUTH_TYPE of the instance (its data is never shown). */
  engineAuthType?: string;
}

export interface ScenarioView extends ScenarioSummary {
  cause?: string;
  fix: string;
  world: WorldView;
  /** The task definition as written (placeholders kept), pretty JSON. */
  taskDefinition: string;
  launches: LaunchChoice[];
}

export interface LaunchOverrides {
  launchType?: "EC2" | "FARGATE" | "EXTERNAL";
  agentVersion?: string;
  platformVersion?: string;
}

export interface RunEdits {
  /** Policy box id → the new document text (JSON). */
  policies?: Record<string, string>;
  /** A pasted task definition (JSON), replacing the scenario's. */
  taskDefinition?: string;
}

export interface RunRequest {
  scenario: string;
  /** Which of the scenario's launch contexts (default 0). */
  run?: number;
  launch?: LaunchOverrides;
  edits?: RunEdits;
}

/** The diagram's boxes, in pipeline order; `iam` is the decision on GetSecretValue, `start` the task's end. */
export const PIPELINE = ["register", "place", "assume-role", "iam", "credentials", "parse", "manifest", "pull", "start"] as const;
export type NodeId = (typeof PIPELINE)[number];
export type NodeStatus = "idle" | "running" | "ok" | "failed" | "skipped";

export interface NodeState {
  status: NodeStatus;
  detail?: string;
  durationMs?: number;
  container?: string;
  inferred?: boolean;
}

export interface Highlight {
  policy: string;
  title: string;
  statement: number;
  /** The document as it was in this run, and the statement's character range in it. */
  text: string;
  start: number;
  end: number;
}

export interface OutcomeView {
  label: string;
  result: string;
  exitCode: number;
  stoppedReason?: string;
  containers: { name: string; lastStatus?: string; reason?: string }[];
  registerError?: string;
  placement?: string;
  warnings: string[];
  diagnosis?: { step: string; failureCode: string; cause: string; fix: string; explanation?: string; decision?: string };
  highlight?: Highlight;
  nodes: Record<NodeId, NodeState>;
  /** Placeholder → value in this run's world (ARNs, the registry address; never a secret). */
  bindings: Record<string, string>;
  durationMs: number;
  /** What was edited relative to the catalogue scenario, in words. */
  edited: string[];
}

export type UiEvent =
  | { type: "run-start"; label: string }
  | { type: "step"; node: NodeId; state: NodeState }
  | { type: "layer"; container: string; id: string; status: string; current?: number; total?: number }
  | { type: "retry"; node: NodeId; container: string; attempt: number; maxAttempts: number; delayMs: number }
  | { type: "outcome"; outcome: OutcomeView }
  | { type: "error"; message: string }
  | { type: "end" };

export interface ApiError {
  error: string;
  issues?: string[];
}
