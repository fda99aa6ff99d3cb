// The top-level folders form a one-way graph (docs/architecture.md): every non-test .ts import is mapped to the
// folder it leaves and the folder it enters; an edge not in ALLOWED, a cycle between folders, or an import into
// agent-sim past its entries fails. Imports are read with TypeScript's own pre-processor (static, dynamic and
// type-only imports and re-exports alike), not with a regex.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ROOT_FOLDER = "(root)";

/** Which top-level folders each one may import; a folder not listed imports nothing outside itself. */
export const ALLOWED: Record<string, readonly string[]> = {
  // The bottom layer: the IAM policy engine and the AWS service texts and defaults.
  aws: [],
  "registry-fixture": ["aws"],
  "agent-sim": ["aws"],
  emulator: ["aws", "agent-sim"],
  stack: ["aws", "agent-sim", "emulator", "registry-fixture"],
  scenarios: ["aws", "agent-sim", "emulator", "registry-fixture"],
  // Bring your own failure: capture from AWS, diagnose a text, replay; reads the catalogue and the agent's texts.
  capture: ["aws", "agent-sim", "registry-fixture", "scenarios"],
  ui: ["aws", "agent-sim", "scenarios"],
  cli: ["aws", "agent-sim", "emulator", "registry-fixture", "scenarios", "stack", "ui", "capture"],
  [ROOT_FOLDER]: ["aws", "agent-sim", "emulator", "registry-fixture", "scenarios", "stack", "ui", "capture", "cli"],
  bench: ["aws", "agent-sim", "emulator", "registry-fixture", "scenarios", "stack", "ui", "capture", "cli"],
};

/**
 * The only agent-sim modules other folders may import. index.ts is the agent's API; client.ts is the light entry
 * for a client of an agent that runs elsewhere (`ecs-pull run --via-server` and its input parsing, the scenario
 * schema's duration parser): it loads no AWS SDK client, dockerode, zod or express, which keeps the thin client
 * and its bundle chunk small (test/unit/cli-run-via-server-thin.test.ts).
 */
export const AGENT_SIM_ENTRIES = ["agent-sim/index.ts", "agent-sim/client.ts"];

export interface ImportEdge {
  from: string;
  to: string;
  specifier: string;
}

const SKIP_DIRS = new Set(["node_modules", "dist", ".runtime", ".scratch", ".git", "test", "test-artifacts"]);

function sourceFiles(dir = ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) files.push(...sourceFiles(join(dir, entry.name)));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts")) {
      files.push(relative(ROOT, join(dir, entry.name)).split(sep).join("/"));
    }
  }
  return files;
}

/** Every relative import of the project's non-test sources, as project-relative paths. */
export function projectImports(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles()) {
    const info = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
    for (const { fileName: specifier } of info.importedFiles) {
      if (!specifier.startsWith(".")) continue;
      const to = normalize(join(dirname(file), specifier)).split(sep).join("/");
      edges.push({ from: file, to, specifier });
    }
  }
  return edges;
}

export const folderOf = (path: string) => (path.includes("/") ? path.slice(0, path.indexOf("/")) : ROOT_FOLDER);

/** What is wrong with a set of imports: forbidden folder edges, deep imports into agent-sim, cycles between folders. */
export function layoutViolations(edges: ImportEdge[]): string[] {
  const problems: string[] = [];
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (from === to) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)!.add(to);
    if (!(ALLOWED[from] ?? []).includes(to)) problems.push(`${edge.from} imports ${edge.specifier}: ${from} -> ${to} is not an allowed edge`);
    if (to === "agent-sim" && !AGENT_SIM_ENTRIES.includes(edge.to)) {
      problems.push(`${edge.from} imports ${edge.specifier}: outside agent-sim, import ${AGENT_SIM_ENTRIES.join(" or ")}`);
    }
  }
  // Depth-first search for a cycle between folders.
  const state = new Map<string, "open" | "done">();
  const visit = (folder: string, path: string[]) => {
    if (state.get(folder) === "done") return;
    if (state.get(folder) === "open") {
      problems.push(`import cycle between folders: ${[...path.slice(path.indexOf(folder)), folder].join(" -> ")}`);
      return;
    }
    state.set(folder, "open");
    for (const next of graph.get(folder) ?? []) visit(next, [...path, folder]);
    state.set(folder, "done");
  };
  for (const folder of [...graph.keys()].sort()) visit(folder, []);
  return problems;
}

describe("layout: the top-level folders form a one-way graph", () => {
  it("the project's imports break no rule", () => {
    const edges = projectImports();
    assert.ok(edges.some((e) => e.from === "agent-sim/index.ts"), "the reader found no imports");
    assert.deepEqual(layoutViolations(edges), []);
  });

  it("the allowed edges themselves have no cycle", () => {
    const edges = Object.entries(ALLOWED).flatMap(([from, tos]) =>
      tos.map((to) => ({ from: from === ROOT_FOLDER ? "x.ts" : `${from}/x.ts`, to: to === "agent-sim" ? "agent-sim/index.ts" : `${to}/x.ts`, specifier: "" })),
    );
    assert.deepEqual(layoutViolations(edges), []);
  });

  it("fails on a forbidden edge, a deep import into agent-sim and a cycle", () => {
    const edge = (from: string, to: string): ImportEdge => ({ from, to, specifier: `./${to}` });
    assert.deepEqual(layoutViolations([edge("agent-sim/steps/pull.ts", "emulator/index.ts")]), [
      "agent-sim/steps/pull.ts imports ./emulator/index.ts: agent-sim -> emulator is not an allowed edge",
    ]);
    assert.deepEqual(layoutViolations([edge("registry-fixture/fault-bodies.ts", "emulator/index.ts")]), [
      "registry-fixture/fault-bodies.ts imports ./emulator/index.ts: registry-fixture -> emulator is not an allowed edge",
    ]);
    assert.deepEqual(layoutViolations([edge("aws/texts.ts", "agent-sim/index.ts")]), [
      "aws/texts.ts imports ./agent-sim/index.ts: aws -> agent-sim is not an allowed edge",
    ]);
    assert.deepEqual(layoutViolations([edge("emulator/app.ts", "ui/server/index.ts")]), [
      "emulator/app.ts imports ./ui/server/index.ts: emulator -> ui is not an allowed edge",
    ]);
    assert.deepEqual(layoutViolations([edge("cli/commands/run.ts", "agent-sim/steps/run-task.ts")]), [
      "cli/commands/run.ts imports ./agent-sim/steps/run-task.ts: outside agent-sim, import agent-sim/index.ts or agent-sim/client.ts",
    ]);
    const cycle = layoutViolations([edge("emulator/app.ts", "agent-sim/index.ts"), edge("agent-sim/steps/pull.ts", "emulator/index.ts")]);
    assert.ok(cycle.includes("import cycle between folders: agent-sim -> emulator -> agent-sim"), cycle.join("\n"));
  });
});
