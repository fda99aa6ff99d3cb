// Runs the real `ecs-pull` command as a child process, the way a user or a CI job does, with a clean AWS env.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/ecs-pull.cjs", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** AWS_* variables of the developer's shell must not leak into the command under test. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
  return { ...env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", ...extra };
}

export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface StartedServe {
  url: string;
  child: ChildProcess;
  /** What the command printed so far (stdout, and stderr when asked). */
  output(): string;
  /** SIGTERM, resolved once the process closed. */
  stop(): Promise<void>;
}

/** Starts `ecs-pull serve --port 0 ...args` and resolves with its URL once it prints it; the caller stops it. */
export function startServe(args: string[], options: { captureStderr?: boolean } = {}): Promise<StartedServe> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`serve printed no URL: ${out}`))), 30_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child, output: () => out, stop: () => new Promise((done) => (child.once("close", () => done()), child.kill("SIGTERM"))) });
      }
    });
    if (options.captureStderr) child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
  });
}
