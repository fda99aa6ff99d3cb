// One line per request the emulator answered, for `ecs-pull serve`: who called what, how it ended, and — for a
// refusal — the precise reason AWS's terse error text leaves out (a policy's bad field, the statement that denied).
// Built from EmulatorLogEntry, which never carries a secret value or a key.
import type { EmulatorLogEntry } from "../../emulator/index.ts";

export type RequestLogLevel = "all" | "errors" | "off";

export function requestLogLine(entry: EmulatorLogEntry, now: Date = new Date()): string {
  const time = now.toISOString().slice(11, 23);
  const call = entry.service && entry.operation ? `${entry.service}.${entry.operation}` : "(unrouted)";
  const who = entry.principal ? ` ${entry.principal}` : "";
  const where = entry.region ? ` ${entry.region}` : "";
  const outcome = entry.errorCode ? `${entry.status} ${entry.errorCode}` : String(entry.status);
  const detail = entry.detail ? `\n    ${entry.detail}` : "";
  return `${time} ${call}${where}${who} → ${outcome} (${entry.ms} ms)${detail}`;
}

export function requestLogger(level: RequestLogLevel, write: (line: string) => void): ((entry: EmulatorLogEntry) => void) | undefined {
  if (level === "off") return undefined;
  return (entry) => {
    if (level === "errors" && entry.status < 400) return;
    write(requestLogLine(entry));
  };
}
