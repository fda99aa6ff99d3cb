// Calls to the page's server (ui/server): the catalogue, a scenario's view, starting a run and following
// its server-sent events. Errors come back as the server's {error, issues} JSON, turned into one message.
import type { ApiError, RunRequest, ScenarioSummary, ScenarioView, UiEvent } from "../protocol.ts";

const BASE = new URL("./api/", document.baseURI);

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(new URL(path, BASE), init);
  const body = (await res.json().catch(() => ({ error: `HTTP ${res.status}` }))) as T | ApiError;
  if (!res.ok) {
    const e = body as ApiError;
    throw new Error([e.error, ...(e.issues ?? [])].join("\n"));
  }
  return body as T;
}

export const listScenarios = () => call<ScenarioSummary[]>("scenarios");
export const getScenario = (id: string) => call<ScenarioView>(`scenarios/${encodeURIComponent(id)}`);

/** Starts a run and calls `onEvent` for each of its events until the stream ends. */
export async function startRun(request: RunRequest, onEvent: (e: UiEvent) => void): Promise<void> {
  const { events } = await call<{ id: string; events: string }>("runs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
  await new Promise<void>((resolve) => {
    const source = new EventSource(new URL(events, document.baseURI));
    const types: UiEvent["type"][] = ["run-start", "step", "layer", "retry", "outcome", "error", "end"];
    for (const t of types) {
      source.addEventListener(t, (m) => {
        const e = JSON.parse((m as MessageEvent<string>).data) as UiEvent;
        onEvent(e);
        if (e.type === "end") {
          source.close();
          resolve();
        }
      });
    }
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        onEvent({ type: "error", message: "The event stream closed before the run ended." });
        resolve();
      }
    };
  });
}
