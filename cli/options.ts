// Parsing of command-line values that commander leaves as strings; bad values are UsageErrors (exit 2).
import { UsageError } from "./exit-codes.ts";

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${value}"`);
  return port;
}
