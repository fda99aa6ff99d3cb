// How `ecs-pull` reports a failure that ends a command before it has an outcome of its own (usage, environment,
// internal): a line on stderr, or — when `--json` was given to any command — exactly one JSON document on stdout,
//   {"error":{"code":"USAGE","message":"…","exitCode":2}}
// where code is the key of cli/exit-codes.ts's EXIT for the exit code. Commands and cli/main.ts use only this module
// to print such failures, so the shape lives in one place (README "Exit codes", EXIT_CODE_HELP).
import { EXIT, type ExitCode } from "./exit-codes.ts";

export type ExitKey = keyof typeof EXIT;

export interface ErrorDocument {
  error: { code: ExitKey; message: string; exitCode: ExitCode };
}

/** True when `--json` is among the arguments (before a `--` that ends the options), whatever the command. */
export function jsonRequested(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === "--") return false;
    if (arg === "--json") return true;
  }
  return false;
}

/** The EXIT key for an exit code (ENVIRONMENT for a code that is not one of ours). */
export function exitKey(exitCode: number): ExitKey {
  const found = (Object.keys(EXIT) as ExitKey[]).find((key) => EXIT[key] === exitCode);
  return found ?? "ENVIRONMENT";
}

export function errorDocument(exitCode: ExitCode, message: string): ErrorDocument {
  return { error: { code: exitKey(exitCode), message, exitCode } };
}

export interface ErrorSink {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processSink: ErrorSink = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/**
 * Prints one failure: `ecs-pull: <message>` on stderr, or with json the error document alone on stdout (nothing on
 * stderr, so a caller that parses stdout gets one document). Returns the exit code.
 */
export function reportError(exitCode: ExitCode, message: string, json: boolean, sink: ErrorSink = processSink): ExitCode {
  if (json) sink.stdout(JSON.stringify(errorDocument(exitCode, message)) + "\n");
  else sink.stderr(`ecs-pull: ${message}\n`);
  return exitCode;
}
