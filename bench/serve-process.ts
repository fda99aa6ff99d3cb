// `ecs-pull serve` as the product runs it (bin/ecs-pull.cjs, its own process), for the fuzz and load benches:
// its URL, and its resident memory and open file descriptors read from /proc (Linux). 127.0.0.1 only.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/ecs-pull.cjs", import.meta.url));

export interface ServeProcess {
  url: string;
  pid: number;
  /** Resident set size in MB. */
  rssMb(): number;
  /** Open file descriptors (sockets included). */
  fds(): number;
  stop(): Promise<void>;
}

export function startServe(args: string[] = []): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, "serve", "--port", "0", "--no-ui", "--log", "off", ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`serve printed no URL: ${out}`))), 60_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      const pid = child.pid!;
      resolve({
        url: m[1]!,
        pid,
        rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024,
        fds: () => readdirSync(`/proc/${pid}/fd`).length,
        stop: () => new Promise<void>((done) => (child.once("close", () => done()), child.kill("SIGTERM"))),
      });
    });
    child.on("error", reject);
  });
}
