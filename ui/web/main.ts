// The teaching page: pick a scenario (or paste a task definition), choose a launch context, run it and watch
// the pipeline; edit the world and run again. A thin client: the server runs everything (ui/server).
import type { LaunchOverrides, OutcomeView, RunEdits, RunRequest, ScenarioSummary, ScenarioView, UiEvent } from "../protocol.ts";
import { getScenario, listScenarios, startRun } from "./api.ts";
import { resetDiagram, setLayer, setNode, setNodes } from "./diagram.ts";
import { byId, h } from "./dom.ts";
import { renderOutcomes } from "./outcome.ts";
import { decodeState, encodeState, type PageState } from "./permalink.ts";
import { renderWorld, TASK_DEFINITION_ID } from "./world.ts";

const state: PageState & { view?: ScenarioView; current?: OutcomeView; previous?: OutcomeView; running: boolean } = { ...decodeState(location.hash), running: false };

const scenarioSelect = byId<HTMLSelectElement>("scenario");
const launchSelect = byId<HTMLSelectElement>("launch");
const launchType = byId<HTMLSelectElement>("launch-type");
const agentVersion = byId<HTMLInputElement>("agent-version");
const platformVersion = byId<HTMLInputElement>("platform-version");
const runButton = byId<HTMLButtonElement>("run");

function showError(message: string | undefined): void {
  const el = byId("error");
  el.hidden = !message;
  el.textContent = message ?? "";
}

function textOf(id: string): string {
  const view = state.view!;
  if (id === TASK_DEFINITION_ID) return state.edits.taskDefinition ?? view.taskDefinition;
  const edited = state.edits.policies?.[id];
  if (edited !== undefined) return edited;
  const all = [...view.world.roles.flatMap((r) => r.policies), ...view.world.secrets.flatMap((s) => (s.resourcePolicy ? [s.resourcePolicy] : []))];
  return all.find((p) => p.id === id)?.text ?? "";
}

function onEdit(id: string, text: string): void {
  const view = state.view!;
  if (id === TASK_DEFINITION_ID) {
    if (text === view.taskDefinition) delete state.edits.taskDefinition;
    else state.edits.taskDefinition = text;
  } else {
    const policies = { ...state.edits.policies };
    const original = [...view.world.roles.flatMap((r) => r.policies), ...view.world.secrets.flatMap((s) => (s.resourcePolicy ? [s.resourcePolicy] : []))].find((p) => p.id === id)?.text;
    if (text === original) delete policies[id];
    else policies[id] = text;
    state.edits.policies = policies;
  }
  updatePermalink();
}

function editsSummary(): string {
  const n = Object.keys(state.edits.policies ?? {}).length + (state.edits.taskDefinition !== undefined ? 1 : 0);
  return n === 0 ? "No edits: the scenario as in the catalogue." : `${n} edited document(s); the permalink keeps them.`;
}

function updatePermalink(): void {
  const hash = encodeState({ ...(state.scenario !== undefined && { scenario: state.scenario }), run: state.run, launch: state.launch, edits: state.edits });
  history.replaceState(null, "", hash);
  byId<HTMLAnchorElement>("permalink").href = hash;
  byId("edited").textContent = editsSummary();
}

function renderWorldPanel(): void {
  if (!state.view) return;
  byId("world-body").replaceChildren(renderWorld(state.view, { textOf, onEdit }, state.current?.highlight));
}

function renderLaunch(): void {
  const choice = state.view?.launches[state.run] ?? state.view?.launches[0];
  launchType.value = state.launch.launchType ?? choice?.launchType ?? "EC2";
  agentVersion.value = state.launch.agentVersion ?? choice?.agentVersion ?? "";
  platformVersion.value = state.launch.platformVersion ?? choice?.platformVersion ?? "";
}

async function selectScenario(id: string, keepEdits: boolean): Promise<void> {
  showError(undefined);
  let view: ScenarioView;
  try {
    view = await getScenario(id);
  } catch (error) {
    showError((error as Error).message);
    return;
  }
  state.view = view;
  state.scenario = id;
  state.current = undefined;
  state.previous = undefined;
  if (!keepEdits) {
    state.edits = {};
    state.run = 0;
    state.launch = {};
  }
  if (state.run >= view.launches.length) state.run = 0;
  scenarioSelect.value = id;
  byId("situation").textContent = view.situation;
  launchSelect.replaceChildren(...view.launches.map((l) => h("option", { value: String(l.index) }, l.label + (l.engineAuthType ? ` (ECS_ENGINE_AUTH_TYPE=${l.engineAuthType})` : ""))));
  launchSelect.value = String(state.run);
  renderLaunch();
  resetDiagram();
  byId("compare").replaceChildren(...renderOutcomes(undefined, undefined));
  byId("status").textContent = "Ready. Press “Run task”.";
  renderWorldPanel();
  updatePermalink();
}

function launchOverrides(): LaunchOverrides {
  const choice = state.view?.launches[state.run];
  const out: LaunchOverrides = {};
  if (launchType.value !== (choice?.launchType ?? "EC2")) out.launchType = launchType.value as LaunchOverrides["launchType"];
  if (agentVersion.value.trim() && agentVersion.value.trim() !== (choice?.agentVersion ?? "")) out.agentVersion = agentVersion.value.trim();
  if (platformVersion.value.trim() && platformVersion.value.trim() !== (choice?.platformVersion ?? "")) out.platformVersion = platformVersion.value.trim();
  return out;
}

function onRunEvent(e: UiEvent): void {
  switch (e.type) {
    case "run-start":
      byId("status").textContent = `Running: ${e.label}…`;
      break;
    case "step":
      setNode(e.node, e.state);
      break;
    case "layer":
      setLayer(e.container, e.id, e.status, e.current, e.total);
      break;
    case "retry":
      byId("status").textContent = `${e.node}: retry ${e.attempt}/${e.maxAttempts} in ${e.delayMs} ms`;
      break;
    case "outcome":
      state.previous = state.current;
      state.current = e.outcome;
      setNodes(e.outcome.nodes);
      byId("status").textContent = `Done: ${e.outcome.result} (exit ${e.outcome.exitCode}).`;
      byId("compare").replaceChildren(...renderOutcomes(state.current, state.previous));
      renderWorldPanel();
      break;
    case "error":
      showError(e.message);
      byId("status").textContent = "The run could not finish.";
      break;
    case "end":
      break;
  }
}

async function run(): Promise<void> {
  if (!state.scenario || state.running) return;
  state.launch = launchOverrides();
  updatePermalink();
  const edits: RunEdits = { ...(state.edits.policies && Object.keys(state.edits.policies).length && { policies: state.edits.policies }), ...(state.edits.taskDefinition !== undefined && { taskDefinition: state.edits.taskDefinition }) };
  const request: RunRequest = { scenario: state.scenario, run: state.run, launch: state.launch, edits };
  showError(undefined);
  state.running = true;
  runButton.disabled = true;
  runButton.textContent = "Running…";
  resetDiagram();
  renderWorldPanel();
  byId("status").textContent = "Building the world (emulator, registry, secrets, roles)…";
  try {
    await startRun(request, onRunEvent);
  } catch (error) {
    showError((error as Error).message);
    byId("status").textContent = "The run was refused.";
  } finally {
    state.running = false;
    runButton.disabled = false;
    runButton.textContent = "Run task";
  }
}

async function init(): Promise<void> {
  let scenarios: ScenarioSummary[];
  try {
    scenarios = await listScenarios();
  } catch (error) {
    showError(`Could not load the catalogue: ${(error as Error).message}`);
    return;
  }
  const sections = [...new Set(scenarios.map((s) => s.section))];
  scenarioSelect.replaceChildren(...sections.map((section) => h("optgroup", { label: section }, ...scenarios.filter((s) => s.section === section).map((s) => h("option", { value: s.id }, `${s.id} — ${s.title}`)))));
  scenarioSelect.addEventListener("change", () => void selectScenario(scenarioSelect.value, false));
  launchSelect.addEventListener("change", () => {
    state.run = Number(launchSelect.value) || 0;
    state.launch = {};
    renderLaunch();
    updatePermalink();
  });
  for (const input of [launchType, agentVersion, platformVersion]) input.addEventListener("change", () => {
    state.launch = launchOverrides();
    updatePermalink();
  });
  runButton.addEventListener("click", () => void run());
  byId("reset").addEventListener("click", () => {
    state.edits = {};
    renderWorldPanel();
    updatePermalink();
  });
  const first = state.scenario && scenarios.some((s) => s.id === state.scenario) ? state.scenario : scenarios.find((s) => s.id === "cred-missing-suffix")?.id ?? scenarios[0]?.id;
  if (first) await selectScenario(first, first === state.scenario);
  document.body.dataset.ready = "true";
}

void init();
