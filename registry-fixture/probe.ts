// Finding a free loopback port and waiting until a registry answers on it: shared by the native and container
// starters, which differ only in how the registry process comes to life.
import { get } from "node:http";
import { createServer } from "node:net";

export const LOOPBACK = "127.0.0.1";

/** A port that was free a moment ago (bind port 0, read it, close). The caller retries if someone takes it. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not read the bound port"))));
    });
  });
}

/** What `GET /v2/` says when a distribution registry is up: 401 with htpasswd auth, 200 without. */
export type ProbeResult = { up: true; status: number } | { up: false; reason: string };

/**
 * One `GET /v2/`. Only an answer carrying `Docker-Distribution-Api-Version: registry/2.0` counts, so that another
 * server which grabbed the port is not mistaken for our registry.
 */
export function probeRegistry(url: string, timeoutMs = 1000): Promise<ProbeResult> {
  // node:http, not fetch: a start polls this every 10-25 ms, and each fetch costs several times the CPU.
  return new Promise((resolve) => {
    const request = get(`${url}/v2/`, { timeout: timeoutMs, agent: false }, (response) => {
      response.resume();
      response.once("end", () => {
        if (response.headers["docker-distribution-api-version"] !== "registry/2.0") {
          resolve({ up: false, reason: `GET /v2/ answered ${response.statusCode} without Docker-Distribution-Api-Version: registry/2.0` });
        } else {
          resolve({ up: true, status: response.statusCode ?? 0 });
        }
      });
      response.once("error", (error) => resolve({ up: false, reason: error.message }));
    });
    request.once("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.once("error", (error: NodeJS.ErrnoException) => resolve({ up: false, reason: error.code ?? error.message }));
  });
}

export interface WaitOptions {
  url: string;
  /** Status GET /v2/ must return: 401 with auth, 200 anonymous. */
  expectStatus: number;
  timeoutMs: number;
  /** Stop waiting early (the process died): returns why, or undefined to keep waiting. */
  gaveUp?: () => string | undefined;
}

/** Polls `GET /v2/` until it answers as expected. Resolves undefined when ready, else the reason it is not. */
export async function waitForRegistry(options: WaitOptions): Promise<string | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let last = "no answer yet";
  // Every 10-25 ms: each probe is one loopback request, and a longer pause is time every world waits for nothing.
  for (let delay = 10; ; delay = Math.min(delay * 2, 25)) {
    const stop = options.gaveUp?.();
    if (stop) return stop;
    const result = await probeRegistry(options.url);
    if (result.up && result.status === options.expectStatus) return undefined;
    last = result.up ? `GET /v2/ answered ${result.status}, expected ${options.expectStatus}` : result.reason;
    if (Date.now() + delay > deadline) return `not ready after ${options.timeoutMs} ms (last: ${last})`;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
