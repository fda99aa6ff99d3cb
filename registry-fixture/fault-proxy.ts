// An HTTP proxy on 127.0.0.1 that stands in front of the registry (or the AWS emulator) and carries out a fault
// plan (fault-plan.ts): answer 429/5xx/404, delay, hang, trickle or cut a body, destroy the connection, or refuse
// connections outright by closing its listener. Clients are pointed at the proxy's address instead of the target's.
//
//   await using proxy = await FaultProxy.start({ target: registry.url, faults: [faults.rateLimited()] });
//   docker pull `${proxy.address}/team/app:v1`   → toomanyrequests
//
// Everything is bounded: every timer has a cap (MAX_FAULT_MS) and stop() destroys every socket and timer.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { randomUUID } from "node:crypto";
import { AWS_JSON_1_1 } from "./fault-bodies.ts";
import { FaultPlan, type FaultAction, type FaultRule, type RuleStats } from "./fault-plan.ts";
import { LOOPBACK } from "./probe.ts";

export { faults, FaultPlanError, MAX_FAULT_MS } from "./fault-plan.ts";
export type { FaultAction, FaultMatch, FaultRule, RuleStats } from "./fault-plan.ts";

export interface FaultProxyOptions {
  /** `http://127.0.0.1:<port>` of the registry or emulator. */
  target: string;
  faults?: readonly FaultRule[];
  /** Start with the listener closed: connections are refused (ECONNREFUSED) until reopen(). */
  refuseConnections?: boolean;
  /** Fixed port (e.g. to reopen after a restart); default a free one. */
  port?: number;
}

/** One request as the proxy saw it, for assertions and failure messages. */
export interface ProxyLogEntry {
  method: string;
  path: string;
  /** The rule applied, or "forward". */
  fault: string;
  /** Status sent to the client, when one was sent. */
  status?: number;
}

export interface FaultProxyStats {
  requests: number;
  /** Connections accepted (refused ones never reach us). */
  connections: number;
  rules: RuleStats[];
  log: ProxyLogEntry[];
}

const LOG_LIMIT = 500;

export class FaultProxy implements AsyncDisposable {
  readonly host = LOOPBACK;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: ProxyLogEntry[] = [];
  private requests = 0;
  private connections = 0;
  private listening = false;
  private stopped = false;
  private readonly targetUrl: URL;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private plan: FaultPlan,
    target: string,
  ) {
    this.targetUrl = new URL(target);
  }

  /** Starts on a free 127.0.0.1 port (or options.port). */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const target = new URL(options.target);
    if (target.protocol !== "http:") throw new TypeError(`fault proxy: target must be http://, got ${options.target}`);
    const plan = new FaultPlan(options.faults ?? []);
    const server = createServer();
    // Keep-alive sockets must not outlive stop(); the daemon keeps connections open between requests.
    server.keepAliveTimeout = 5_000;
    const port = await listen(server, options.port ?? 0);
    const proxy = new FaultProxy(server, port, plan, options.target);
    proxy.listening = true;
    server.on("connection", (socket: Socket) => proxy.onConnection(socket));
    server.on("request", (req: IncomingMessage, res: ServerResponse) => proxy.onRequest(req, res));
    if (options.refuseConnections) await proxy.refuse();
    return proxy;
  }

  /** `127.0.0.1:<port>`: the registry part of an image reference that goes through the proxy. */
  get address(): string {
    return `${LOOPBACK}:${this.port}`;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://${this.address}`;
  }

  /** `127.0.0.1:<port>/<repository>:<tag>` */
  imageReference(repository: string, tag: string): string {
    return `${this.address}/${repository}:${tag}`;
  }

  stats(): FaultProxyStats {
    return { requests: this.requests, connections: this.connections, rules: this.plan.stats(), log: [...this.log] };
  }

  /** Replaces the plan (e.g. `[]`: the registry recovers); counters start again. */
  setFaults(rules: readonly FaultRule[]): void {
    this.plan = new FaultPlan(rules);
  }

  /** Destroys every open connection (requests in flight fail; clients reconnect). */
  dropConnections(): void {
    this.destroySockets();
  }

  /** Closes the listener (new connections: ECONNREFUSED) and drops open connections. The port stays ours to reopen. */
  async refuse(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.destroySockets();
    await closed;
  }

  /** Listens again on the same port (a refused registry coming back). */
  async reopen(): Promise<void> {
    if (this.listening || this.stopped) return;
    await listen(this.server, this.port);
    this.listening = true;
  }

  /** Closes the listener, every connection and every pending timer. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.refuse();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  private onConnection(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    socket.on("error", () => undefined);
  }

  private destroySockets(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private record(entry: ProxyLogEntry): ProxyLogEntry {
    if (this.log.length < LOG_LIMIT) this.log.push(entry);
    return entry;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const decision = this.plan.decide(method, path);
    const entry = this.record({ method, path, fault: decision?.rule ?? "forward" });
    res.on("error", () => undefined);
    if (!decision) return this.forward(req, res, entry, undefined);
    this.apply(decision.action, req, res, entry);
  }

  private apply(action: FaultAction, req: IncomingMessage, res: ServerResponse, entry: ProxyLogEntry): void {
    switch (action.kind) {
      case "destroy":
        req.socket.destroy();
        return;
      case "hang":
        // Read and discard the body so the client finishes sending, then say nothing until the cap.
        req.resume();
        this.after(action.maxMs, () => req.socket.destroy());
        return;
      case "delay":
        this.after(action.ms, () => this.forward(req, res, entry, undefined));
        return;
      case "respond":
        req.resume();
        entry.status = action.status;
        res.writeHead(action.status, withRequestId(action.headers));
        res.end(req.method === "HEAD" ? undefined : action.body);
        return;
      case "slow-body":
      case "reset-after":
        this.forward(req, res, entry, action);
        return;
    }
  }

  /** Sends the request to the target and streams the answer back, shaped by a body fault if given. */
  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    entry: ProxyLogEntry,
    bodyFault: Extract<FaultAction, { kind: "slow-body" | "reset-after" }> | undefined,
  ): void {
    if (this.stopped) {
      req.socket.destroy();
      return;
    }
    const upstream = httpRequest(
      {
        host: this.targetUrl.hostname,
        port: this.targetUrl.port,
        method: req.method,
        path: req.url,
        // The Host header is kept: the registry builds Location URLs from it, and they must point at the proxy.
        headers: req.headers,
      },
      (answer) => {
        entry.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        if (!bodyFault) {
          answer.pipe(res);
          return;
        }
        if (bodyFault.kind === "reset-after") this.cutAfter(answer, res, req.socket, bodyFault.bytes);
        else this.trickle(answer, res, bodyFault.chunkBytes, bodyFault.delayMs);
      },
    );
    upstream.on("error", () => {
      // The target is down or cut us off: the client sees its connection dropped, as it would without us.
      req.socket.destroy();
    });
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  }

  private cutAfter(answer: IncomingMessage, res: ServerResponse, client: Socket, bytes: number): void {
    let sent = 0;
    const cut = () => {
      answer.destroy();
      client.destroy();
    };
    if (bytes === 0) {
      // Headers out first, so the client sees a started transfer rather than no answer.
      res.flushHeaders();
      this.after(10, cut);
      return;
    }
    answer.on("data", (chunk: Buffer) => {
      if (sent >= bytes) return;
      const room = bytes - sent;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      sent += part.length;
      res.write(part);
      if (sent >= bytes) this.after(10, cut);
    });
    answer.on("end", () => res.end());
  }

  private trickle(answer: IncomingMessage, res: ServerResponse, chunkBytes: number, delayMs: number): void {
    const queue: Buffer[] = [];
    let ended = false;
    let sending = false;
    const pump = () => {
      if (sending || res.destroyed) return;
      const head = queue[0];
      if (!head) {
        if (ended) res.end();
        else answer.resume();
        return;
      }
      sending = true;
      this.after(delayMs, () => {
        sending = false;
        const part = head.subarray(0, chunkBytes);
        if (head.length > chunkBytes) queue[0] = head.subarray(chunkBytes);
        else queue.shift();
        if (!res.destroyed) res.write(part);
        pump();
      });
    };
    answer.on("data", (chunk: Buffer) => {
      queue.push(chunk);
      answer.pause();
      pump();
    });
    answer.on("end", () => {
      ended = true;
      pump();
    });
  }
}

function withRequestId(headers: Record<string, string>): Record<string, string> {
  // AWS puts a request id on every answer; the SDK reads it into $metadata.requestId and the agent's texts show it.
  return headers["content-type"] === AWS_JSON_1_1 ? { "x-amzn-requestid": randomUUID(), ...headers } : headers;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, LOOPBACK, () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}
