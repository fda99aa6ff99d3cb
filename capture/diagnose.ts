// `diagnose`: from a text ECS showed (a task's stoppedReason, a container's reason, a RunTask failure, a
// RegisterTaskDefinition error) to the catalogue entries that produce it, best first, with the cause, the fix and
// the command that reproduces it. Offline and pure: the catalogue is whatever scenarios/ holds at run time, every
// run of every scenario, every dialect it records (SDK v1 and v2 wrappers, Fargate's ResourceInitializationError,
// the 1.84+ pull prefixes). Ids, hosts, ARNs and names are compared as classes (text-tokens.ts), so a text from
// another account matches the template it came from.
import { REFINES } from "../agent-sim/index.ts";
import { expectationOf, type LoadedScenario } from "../scenarios/load.ts";
import { fillPlaceholders } from "../scenarios/placeholders.ts";
import { runLabel } from "../scenarios/runner.ts";
import { similarity, TokenWeights, tokenize } from "./text-tokens.ts";

/** Where in ECS's answer a text appears. */
export type TextField = "stoppedReason" | "container" | "placement" | "registerError";

/** One text the catalogue can produce, as its template (placeholders unfilled). */
export interface CatalogueText {
  /** The FAILURE-CATALOG id the diagnosis names (`cred-kms`). */
  failureCode: string;
  /** The scenario and run that produce it. */
  scenarioId: string;
  run: string;
  field: TextField;
  template: string;
}

/** Every text every run of every scenario expects (runs that end RUNNING have none). */
export function catalogueTexts(scenarios: readonly LoadedScenario[]): CatalogueText[] {
  const out: CatalogueText[] = [];
  for (const s of scenarios) {
    if (s.pending) continue;
    s.runs.forEach((_, i) => {
      const e = expectationOf(s, i);
      if (!e.failureCode) return;
      const add = (field: TextField, template: string | undefined) => {
        if (template) out.push({ failureCode: e.failureCode!, scenarioId: s.id, run: runLabel(s, i), field, template });
      };
      add("stoppedReason", e.stoppedReason);
      for (const reason of Object.values(e.containers ?? {})) add("container", reason);
      add("placement", e.placement);
      add("registerError", e.registerError);
    });
  }
  return out;
}

/** How an entry matched: the same text (ids aside), a close variant, or only the nearest we know. */
export type MatchKind = "exact" | "close" | "nearest";

export interface DiagnosisEntry {
  /** The catalogue id (FAILURE-CATALOG row). */
  id: string;
  title: string;
  situation: string;
  cause?: string;
  fix: string;
  /** The scenario and run whose text matched best, and the command that rebuilds it. */
  scenario: string;
  run: string;
  reproduce: string;
  match: MatchKind;
  /** 0..1; 1 for the same text. */
  score: number;
  /** The catalogue's text that matched (its template, placeholders unfilled). */
  template: string;
}

export interface TextDiagnosis {
  text: string;
  /** At least one entry produces this very text (ids, hosts and names aside). */
  known: boolean;
  /** Best first; entries sharing the top score are equally likely (the text alone cannot tell them apart). */
  entries: DiagnosisEntry[];
}

/** At or above: a variant of a catalogued text (another agent version's wording, a different wrapper). */
export const CLOSE_SCORE = 0.8;
const DEFAULT_LIMIT = 5;

interface IndexedText extends CatalogueText {
  tokens: string[];
}

/** The catalogue ready for matching; build once, diagnose many texts. */
export class Diagnoser {
  private readonly texts: IndexedText[];
  private readonly weights: TokenWeights;
  private readonly scenarios: Map<string, LoadedScenario>;

  constructor(scenarios: readonly LoadedScenario[]) {
    this.scenarios = new Map(scenarios.map((s) => [s.id, s]));
    this.texts = catalogueTexts(scenarios).map((t) => ({ ...t, tokens: tokenize(sampleText(t.template)) }));
    // One document per distinct (entry, text): a text many runs share is not made rarer or commoner by repetition.
    const seen = new Set<string>();
    const docs: string[][] = [];
    for (const t of this.texts) {
      const key = `${t.failureCode}\u0000${t.tokens.join(" ")}`;
      if (!seen.has(key)) {
        seen.add(key);
        docs.push(t.tokens);
      }
    }
    this.weights = new TokenWeights(docs);
  }

  /** The catalogue ids this diagnoser knows. */
  get ids(): string[] {
    return [...new Set(this.texts.map((t) => t.failureCode))].sort();
  }

  diagnose(text: string, limit = DEFAULT_LIMIT): TextDiagnosis {
    const tokens = tokenize(text);
    const best = new Map<string, { score: number; text: IndexedText }>();
    for (const t of this.texts) {
      const score = sameTokens(tokens, t.tokens) ? 1 : similarity(tokens, t.tokens, this.weights);
      const current = best.get(t.failureCode);
      if (!current || score > current.score) best.set(t.failureCode, { score, text: t });
    }
    // On a tie, a code before the codes that refine it (their texts are its texts), then by name.
    const refinement = (id: string) => ((REFINES as Record<string, string | undefined>)[id] !== undefined ? 1 : 0);
    const ranked = [...best.entries()].sort((a, b) => b[1].score - a[1].score || refinement(a[0]) - refinement(b[0]) || a[0].localeCompare(b[0]));
    const known = ranked.length > 0 && ranked[0]![1].score === 1;
    const top = ranked[0]?.[1].score ?? 0;
    // Every entry that ties the best is shown, even beyond the limit: dropping one would hide a possible cause.
    const shown = ranked.filter(([, m], i) => i < limit || (top > 0 && m.score === top));
    return { text, known, entries: shown.map(([id, m]) => this.entry(id, m.score, m.text)) };
  }

  private entry(id: string, score: number, text: IndexedText): DiagnosisEntry {
    const own = this.scenarios.get(id) ?? this.scenarios.get(text.scenarioId)!;
    return {
      id,
      title: own.title,
      situation: own.situation,
      ...(own.cause !== undefined && { cause: own.cause }),
      fix: own.fix,
      scenario: text.scenarioId,
      run: text.run,
      reproduce: `ecs-pull scenario run ${text.scenarioId}`,
      match: score === 1 ? "exact" : score >= CLOSE_SCORE ? "close" : "nearest",
      score: Math.round(score * 1000) / 1000,
      template: text.template,
    };
  }
}

/** Any value for any placeholder, shaped like the real thing: the tokens only see its class (an ARN, a host). */
class SampleBindings extends Map<string, string> {
  override get(key: string): string {
    const [kind, arg = "x"] = [key.slice(0, key.indexOf(":") < 0 ? key.length : key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
    switch (kind) {
      case "registry":
        return "registry.example.com:5000";
      case "account":
        return "123456789012";
      case "region":
        return "us-east-1";
      case "taskId":
        return "0123456789abcdef0123456789abcdef";
      case "secretArn":
        return `arn:aws:secretsmanager:us-east-1:123456789012:secret:${arg}-AbCdEf`;
      case "roleArn":
        return `arn:aws:iam::123456789012:role/${arg}`;
      case "keyArn":
        return "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000";
      default:
        return "x";
    }
  }
}

/** A template with every placeholder filled by a sample of its kind ({requestId} by a UUID). */
export function sampleText(template: string): string {
  return fillPlaceholders(template, new SampleBindings()).replace(/\{requestId\}/g, "00000000-0000-0000-0000-000000000000");
}

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** What a diagnose input held: plain text, or the texts of a DescribeTasks document. */
export interface DiagnoseInput {
  kind: "text" | "describe-tasks";
  texts: { task?: string; field: TextField | "text"; text: string }[];
}

export class NotDescribeTasksError extends Error {
  override readonly name = "NotDescribeTasksError";
}

/** ECS's own summary when an essential container stopped: the container's reason says why. */
const ESSENTIAL_EXITED = "Essential container in task exited";

/**
 * Reads a DescribeTasks answer (`aws ecs describe-tasks` output, or its `tasks` list): each task's stoppedReason,
 * and its containers' reasons (the reason that counts when the task only says an essential container exited).
 */
export function describeTasksTexts(document: unknown): DiagnoseInput {
  const doc = document as { tasks?: unknown; failures?: unknown } | null;
  const tasks = Array.isArray(document) ? document : doc && typeof doc === "object" && Array.isArray(doc.tasks) ? doc.tasks : undefined;
  if (!tasks) throw new NotDescribeTasksError("not a DescribeTasks document: it has no \"tasks\" list (aws ecs describe-tasks --cluster C --tasks ARN > tasks.json)");
  const texts: DiagnoseInput["texts"] = [];
  for (const raw of tasks) {
    if (!raw || typeof raw !== "object" || typeof (raw as { taskArn?: unknown }).taskArn !== "string") {
      throw new NotDescribeTasksError("not a DescribeTasks document: an entry of \"tasks\" has no taskArn");
    }
    const task = raw as { taskArn: string; stoppedReason?: unknown; containers?: unknown };
    const reasons: string[] = [];
    for (const c of Array.isArray(task.containers) ? task.containers : []) {
      const reason = (c as { reason?: unknown } | null)?.reason;
      if (typeof reason === "string" && reason && !reasons.includes(reason)) reasons.push(reason);
    }
    const stopped = typeof task.stoppedReason === "string" ? task.stoppedReason : undefined;
    if (stopped && !(stopped.startsWith(ESSENTIAL_EXITED) && reasons.length)) texts.push({ task: task.taskArn, field: "stoppedReason", text: stopped });
    for (const reason of reasons) if (reason !== stopped) texts.push({ task: task.taskArn, field: "container", text: reason });
  }
  if (!texts.length) {
    const failures = Array.isArray(doc?.failures) ? (doc!.failures as { arn?: string; reason?: string }[]) : [];
    const why = failures.length ? `: ${failures.map((f) => `${f.arn ?? "?"} ${f.reason ?? ""}`.trim()).join(", ")}` : "";
    throw new NotDescribeTasksError(`the DescribeTasks document has no stoppedReason and no container reason (no task stopped with a reason)${why}`);
  }
  return { kind: "describe-tasks", texts };
}

/** Text or a DescribeTasks JSON document, as pasted or read from a file. */
export function readDiagnoseInput(content: string): DiagnoseInput {
  const trimmed = content.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new NotDescribeTasksError("not a DescribeTasks document: the text starts like JSON but is not valid JSON");
    }
    return describeTasksTexts(parsed);
  }
  if (!trimmed) throw new NotDescribeTasksError("no text to diagnose (empty input)");
  return { kind: "text", texts: [{ field: "text", text: trimmed }] };
}
