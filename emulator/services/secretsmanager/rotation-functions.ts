// Rotation functions: what RotateSecret invokes under a RotationLambdaARN. In AWS a Lambda function; here one of
//   - a local command (run through /bin/sh, the event as JSON on stdin, AWS_ENDPOINT_URL and the secret account's
//     admin key in its environment), success = exit 0;
//   - an http(s) URL that gets the event as a JSON POST, success = a 2xx answer;
//   - a built-in function (registry-rotation.ts), run in-process.
// They are registered only when the emulator starts (`serve --rotation-function ARN=COMMAND|URL`, or the library's
// `rotationFunctions` option), never through an API call: no request can make the server run a command.
// Each step is bounded in time; the event carries no secret value, and a failure's text never carries output.
import { spawn } from "node:child_process";
import type { RequestContext } from "../../context.ts";

/** The event AWS sends a rotation Lambda (Secrets Manager user guide, "Rotation function"). */
export interface RotationEvent {
  Step: RotationStep;
  /** The secret's ARN. */
  SecretId: string;
  /** The version id of the new (AWSPENDING) version. */
  ClientRequestToken: string;
}

export type RotationStep = "createSecret" | "setSecret" | "testSecret" | "finishSecret";

export const ROTATION_STEPS: readonly RotationStep[] = ["createSecret", "setSecret", "testSecret", "finishSecret"];

/** What a rotation step is run with besides the event. */
export interface RotationInvocation {
  /** The request context of the RotateSecret call (account and region of the secret). */
  ctx: RequestContext;
  /** The emulator's own URL, for functions that call back (undefined until a request has come in). */
  endpoint: string | undefined;
  /** The secret account's admin key, for functions that call back. */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

export interface RotationFunction {
  /** What `serve` prints and errors name: never a secret. */
  readonly description: string;
  /** Resolves when the step succeeded; rejects with an Error whose message says why (no secret values). */
  invoke(event: RotationEvent, invocation: RotationInvocation): Promise<void>;
}

/** How long one step may take (a Lambda rotation function's usual timeout). */
export const STEP_TIMEOUT_MS = 30_000;

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/;

/** A command run through /bin/sh for each step. */
export function commandFunction(command: string): RotationFunction {
  return {
    description: `command ${command}`,
    invoke: (event, { ctx, endpoint, credentials }) =>
      new Promise<void>((resolve, reject) => {
        const env: NodeJS.ProcessEnv = { ...process.env, AWS_REGION: ctx.region, AWS_DEFAULT_REGION: ctx.region, ECS_PULL_ROTATION_STEP: event.Step };
        if (endpoint !== undefined) env.AWS_ENDPOINT_URL = endpoint;
        if (credentials !== undefined) {
          env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
          env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
          delete env.AWS_SESSION_TOKEN;
        }
        const child = spawn("/bin/sh", ["-c", command], { env, stdio: ["pipe", "ignore", "ignore"] });
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`timed out after ${STEP_TIMEOUT_MS / 1000} s`));
        }, STEP_TIMEOUT_MS);
        child.on("error", (error) => {
          clearTimeout(timer);
          reject(new Error(`could not start: ${error.message}`));
        });
        child.on("exit", (code, signal) => {
          clearTimeout(timer);
          if (code === 0) resolve();
          else reject(new Error(signal !== null ? `killed by ${signal}` : `exited with code ${code}`));
        });
        child.stdin.on("error", () => undefined);
        child.stdin.end(JSON.stringify(event));
      }),
  };
}

/** An HTTP endpoint POSTed the event for each step. */
export function urlFunction(url: string): RotationFunction {
  return {
    description: `URL ${url}`,
    invoke: async (event) => {
      let response: Response;
      try {
        response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(event), signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
      } catch (error) {
        throw new Error(`could not be reached: ${(error as Error).name === "TimeoutError" ? "timed out" : "connection failed"}`);
      }
      await response.body?.cancel();
      if (response.status < 200 || response.status > 299) throw new Error(`answered HTTP ${response.status}`);
    },
  };
}

export class RotationFunctionSpecError extends Error {
  override readonly name = "RotationFunctionSpecError";
}

/**
 * `ARN=COMMAND` or `ARN=URL` (http:// or https://) → the registry of rotation functions. Built-in functions are
 * named `builtin:<name>` and looked up in `builtins`.
 */
export function parseRotationFunctions(specs: readonly string[], builtins: Readonly<Record<string, RotationFunction>> = {}): Map<string, RotationFunction> {
  const out = new Map<string, RotationFunction>();
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    const arn = eq < 0 ? "" : spec.slice(0, eq);
    const target = eq < 0 ? "" : spec.slice(eq + 1).trim();
    if (!LAMBDA_ARN.test(arn) || target === "") {
      throw new RotationFunctionSpecError(`--rotation-function must be LAMBDA_ARN=COMMAND, LAMBDA_ARN=URL or LAMBDA_ARN=builtin:NAME, e.g. arn:aws:lambda:us-east-1:000000000000:function:rotate=./rotate.sh, got "${spec}"`);
    }
    if (out.has(arn)) throw new RotationFunctionSpecError(`--rotation-function: ${arn} is registered twice`);
    if (target.startsWith("builtin:")) {
      const builtin = builtins[target.slice("builtin:".length)];
      if (builtin === undefined) throw new RotationFunctionSpecError(`--rotation-function: no built-in function "${target}" (built-in: ${Object.keys(builtins).map((k) => `builtin:${k}`).join(", ") || "none"})`);
      out.set(arn, builtin);
    } else if (/^https?:\/\//.test(target)) {
      out.set(arn, urlFunction(target));
    } else {
      out.set(arn, commandFunction(target));
    }
  }
  return out;
}
