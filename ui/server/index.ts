// The teaching page's server: JSON routes over the scenario catalogue and the runner, a server-sent event stream
// per run, and the built static assets (ui/dist). Mounted under /ui by `ecs-pull serve` in front of the
// emulator. Bad input gets a 4xx JSON error ({error, issues?}), never a 500; nothing sent holds a secret value.
import { fileURLToPath } from "node:url";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { CATALOGUE_DIR, loadCatalogue, type LoadedScenario } from "../../scenarios/load.ts";
import { redactPasswords } from "../../agent-sim/index.ts";
import type { ApiError, UiEvent } from "../protocol.ts";
import { PageBuildError, ensurePageBuilt } from "./build-page.ts";
import { applyRequest, parseRunRequest, RequestError } from "./edits.ts";
import { RunManager } from "./runs.ts";
import { policyBoxes, scenarioView, secretTextsOf, summaryOf } from "./views.ts";

export const UI_DIST_DIR = fileURLToPath(new URL("../dist/", import.meta.url));
export { UI_PATH } from "./mount.ts";
import { UI_PATH } from "./mount.ts";

export interface UiRouterOptions {
  catalogueDir?: string;
  distDir?: string;
  runs?: RunManager;
  /** Told when the page has to be built first (a clone's first start). */
  buildLog?: (line: string) => void;
}

export function createUiRouter(options: UiRouterOptions = {}): Router {
  const catalogueDir = options.catalogueDir ?? CATALOGUE_DIR;
  const distDir = options.distDir ?? UI_DIST_DIR;
  const runs = options.runs ?? new RunManager();
  let catalogue: LoadedScenario[] | undefined;
  const scenarios = () => (catalogue ??= loadCatalogue(catalogueDir));
  const find = (id: string) => {
    const s = scenarios().find((x) => x.id === id);
    if (!s) throw new RequestError(404, `no scenario "${id}" in the catalogue`);
    return s;
  };
  const allSecrets = () => [...new Set(scenarios().flatMap(secretTextsOf))];
  const send = (res: Response, status: number, body: unknown) => res.status(status).json(redactPasswords(body, allSecrets()));

  const router = express.Router();
  router.use("/api", express.json({ limit: "256kb" }));
  router.get("/api/scenarios", (_req, res) => send(res, 200, scenarios().map(summaryOf)));
  router.get("/api/scenarios/:id", (req, res) => send(res, 200, scenarioView(find(String(req.params.id)))));
  router.post("/api/runs", (req, res) => {
    const request = parseRunRequest(req.body);
    const base = find(request.scenario);
    const { scenario, edited } = applyRequest(base, request);
    const run = runs.start({ scenario, boxes: policyBoxes(scenario), edited, secrets: [...new Set([...secretTextsOf(base), ...allSecrets()])] });
    send(res, 202, { id: run.id, events: `${UI_PATH}/api/runs/${run.id}/events` });
  });
  router.get("/api/runs/:id/events", (req, res) => {
    const run = runs.get(String(req.params.id));
    if (!run) throw new RequestError(404, `no run "${String(req.params.id)}"`);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const write = (e: UiEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    run.events.forEach(write);
    if (run.done) return void res.end();
    const listener = (e: UiEvent) => {
      write(e);
      if (e.type === "end") res.end();
    };
    run.listeners.add(listener);
    req.on("close", () => run.listeners.delete(listener));
  });
  router.use("/api", (req) => {
    throw new RequestError(404, `no route ${req.method} ${UI_PATH}/api${req.path}`);
  });
  // From a clone the page is built on first use (build-page.ts), never a 503.
  router.use((_req, _res, next) => void ensurePageBuilt(distDir, options.buildLog ? { log: options.buildLog } : {}).then(() => next(), next));
  router.use(express.static(distDir, { index: "index.html", fallthrough: true }));
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const body: ApiError = error instanceof RequestError
      ? { error: error.message, ...(error.issues.length && { issues: error.issues }) }
      : isBodyError(error)
        ? { error: `request body: ${(error as Error).message}` }
        : error instanceof PageBuildError
          ? { error: error.message }
          : { error: "internal error" };
    const status = error instanceof RequestError ? error.status : isBodyError(error) ? (error as { status: number }).status : 500;
    if (status === 500) console.error("ecs-pull ui:", error);
    send(res, status, body);
  });
  return router;
}

function isBodyError(error: unknown): boolean {
  const s = (error as { status?: unknown; type?: unknown } | null)?.status;
  return typeof s === "number" && s >= 400 && s < 500 && typeof (error as { type?: unknown }).type === "string";
}

/** The page in front of another app (the emulator): /ui/... here, `GET /` from a browser redirected to it. */
export function withUi(app: express.Handler, options: UiRouterOptions = {}): express.Express {
  const outer = express();
  outer.disable("x-powered-by");
  outer.use(UI_PATH, createUiRouter(options));
  outer.get("/", (req, res, next) => (req.accepts(["html", "json"]) === "html" && !req.get("x-amz-target") ? res.redirect(302, `${UI_PATH}/`) : next()));
  outer.use(app);
  return outer;
}
