// Listens with the emulator on a loopback port. `port: 0` picks a free one; `close()` (or `await using`) stops it,
// dropping kept-alive connections so that tests end promptly.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Emulator, type EmulatorOptions, createEmulator } from "./app.ts";
import { hostCheck, withHostCheck } from "./host-check.ts";
import { fullCollection, idleCollector } from "./idle-collect.ts";

export interface StartEmulatorOptions extends EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Host header names answered besides localhost, 127.0.0.1, [::1] and the bound address (`--allowed-host`), e.g.
   * the compose service name. Others get 421 (host-check.ts).
   */
  allowedHosts?: readonly string[];
  /** Puts another handler in front of the emulator's app (`ecs-pull serve`: the teaching page, ui). */
  wrap?: (app: Emulator["app"]) => (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * Runs a full garbage collection once no request came for this many ms after one did (idle-collect.ts), so that
   * the heap a burst of calls grew goes back. For a process that is the server (`ecs-pull serve`); off by default.
   */
  collectWhenIdleMs?: number;
}

export interface StartedEmulator {
  url: string;
  port: number;
  host: string;
  emulator: Emulator;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Pending connections the kernel queues for the server (bench/load.ts: 1,000 clients at once). */
export const LISTEN_BACKLOG = 4096;

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<StartedEmulator> {
  const { port = 0, host = "127.0.0.1", wrap, allowedHosts = [], collectWhenIdleMs, ...emulatorOptions } = options;
  const emulator = createEmulator(emulatorOptions);
  const next = wrap ? wrap(emulator.app) : emulator.app;
  // AWS calls (`POST /`) go straight to the emulator's node:http handler; the page and the rest to `next`.
  const idle = collectWhenIdleMs === undefined ? undefined : idleCollector(fullCollection(), collectWhenIdleMs);
  const handler = idle
    ? (req: IncomingMessage, res: ServerResponse) => {
        idle.touch();
        emulator.handler(req, res, next);
      }
    : (req: IncomingMessage, res: ServerResponse) => emulator.handler(req, res, next);
  // The check runs in front of everything, the teaching page included.
  const server = createServer(withHostCheck(hostCheck(host, allowedHosts), handler));
  // SDK clients keep connections alive; a short idle timeout keeps a forgotten client from pinning the process.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A backlog above Node's default 511, so that 1,000 clients connecting at once are queued, not dropped (their
    // SYNs retried for seconds); the kernel caps it at net.core.somaxconn.
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  const close = () => {
    idle?.stop();
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return closing;
  };
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: address.address,
    emulator,
    close,
    [Symbol.asyncDispose]: close,
  };
}
