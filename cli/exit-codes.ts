// The documented exit codes of `ecs-pull`, in one place: --help, the README and the code read them from here.

export const EXIT = {
  RUNNING: 0,
  ENVIRONMENT: 1,
  USAGE: 2,
  REJECTED: 3,
  NOT_PLACED: 4,
  CREDENTIALS: 5,
  PULL: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODE_HELP = `Exit codes:
  0  the task is RUNNING (every image pulled)
  1  the tool's own environment failed (no Docker engine, an endpoint unreachable or not an AWS service)
  2  usage error (unknown flag, bad value, a file that cannot be read: missing, a directory, no permission)
  3  rejected at registration: the task definition is empty, not JSON, or RegisterTaskDefinition would refuse it
  4  not placed (no container instance or platform version meets the task's requirements, or the definition does not support the launch type)
  5  the task STOPPED in the credentials stage (Secrets Manager, IAM, the secret's value)
  6  the task STOPPED in the pull stage (manifest or image pull)
With --json, a failure that ends the command before an outcome (codes 1 and 2) is one JSON document on stdout:
  {"error":{"code":"USAGE","message":"…","exitCode":2}}   (code: ENVIRONMENT for 1, USAGE for 2)`;

/** explain's codes: run's, but 0 means everything up to the pull would pass, and 6 cannot happen (nothing is pulled). */
export const EXPLAIN_EXIT_CODE_HELP = EXIT_CODE_HELP.split("\n")
  .filter((line) => !line.startsWith("  6  "))
  .map((line) => (line.startsWith("  0  ") ? "  0  everything up to the pull would pass (registration, placement, execution role, secrets); nothing is pulled" : line))
  .join("\n");

/** A usage problem the user can fix by changing the command line: printed without a stack trace, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
