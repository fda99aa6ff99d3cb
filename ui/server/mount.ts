// The teaching page in front of the emulator, loaded on first use: `ecs-pull serve` starts without the page's
// module graph (the scenario catalogue, the runner, the world builder), and an AWS call — a POST outside /ui —
// goes straight to the emulator's app, never through the page's router. Anything else (the page, `GET /` from a
// browser, which withUi redirects) loads ./index.ts once and goes through withUi as before.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { UiRouterOptions } from "./index.ts";

/** Where the page is served (index.ts re-exports it). */
export const UI_PATH = "/ui";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const isUiPath = (url: string) => url === UI_PATH || url.startsWith(`${UI_PATH}/`) || url.startsWith(`${UI_PATH}?`);

export function withLazyUi(app: Handler, options: UiRouterOptions = {}): Handler {
  let page: Promise<Handler> | undefined;
  return (req, res) => {
    const url = req.url ?? "/";
    if (!isUiPath(url) && (req.method !== "GET" || url !== "/")) {
      app(req, res);
      return;
    }
    page ??= import("./index.ts").then((m) => m.withUi(app as Parameters<typeof m.withUi>[0], options) as unknown as Handler);
    page.then(
      (handler) => handler(req, res),
      (error: unknown) => {
        console.error("ecs-pull ui:", error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "internal error" }));
      },
    );
  };
}
