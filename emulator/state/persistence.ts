// `ecs-pull serve --state DIR`: the whole EmulatorStore kept across restarts. Every partition (Secrets Manager,
// IAM, KMS, ECS, STS sessions: whatever state object a service keeps in the store) is written as one snapshot,
// generically: V8's structured serializer (node:v8) takes the objects as they are — Maps, Sets, arrays, shared
// records (a secret reachable by name and by ARN stays one object) — so fields other issues add to the state
// classes are persisted without further work. On load each partition is restored into a fresh instance of its
// class, made by the service on first use (EmulatorStore.regional), so methods and prototypes come from the code.
//
// Why snapshots and not a journal or an embedded database: the state is small (kilobytes to a few megabytes), the
// request handlers mutate plain objects in place, and a journal would have to re-describe every mutation of every
// service (random version ids and ARN suffixes make replaying requests non-deterministic). better-sqlite3 would
// add a native module for what is one blob. A snapshot written to a temporary file, fsync'd, renamed over the
// previous one and the directory fsync'd is atomic on POSIX file systems: after kill -9 at any moment the file is
// the old snapshot or the new one, never a mix. Requests that change state are answered only after the snapshot
// that contains their change is durable; concurrent writes share one snapshot (group commit).
//
// File: `state.ecs-pull` = one header line of JSON {"format":1,"node":"<v8 serializer version>","bytes":N,
// "sha256":"…"} + "\n" + the serialized bytes. A format this code does not know, a checksum that does not match or
// bytes that do not deserialize are refused with a clear message (EnvironmentError, exit 1): never dropped.
// The file holds secret values and session keys: it is created 0600 in a directory the emulator makes 0700.
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, existsSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { EnvironmentError } from "../../agent-sim/client.ts";

export const STATE_FILE = "state.ecs-pull";
export const STATE_FORMAT = 1;
const TEMP_FILE = `${STATE_FILE}.tmp`;

export interface StateHeader {
  format: number;
  bytes: number;
  sha256: string;
  /** When the snapshot was written (ms since the epoch), for people reading the header. */
  written: number;
}

/** Partition key → the partition's own enumerable properties (what the snapshot holds). */
export type PartitionData = Map<string, Record<string, unknown>>;

/** Encodes a snapshot: header line + V8 bytes. Pure. */
export function encodeSnapshot(partitions: PartitionData, now: number): Buffer {
  const body = serialize(partitions);
  const header: StateHeader = { format: STATE_FORMAT, bytes: body.length, sha256: createHash("sha256").update(body).digest("hex"), written: now };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, "utf8"), body]);
}

/** Decodes a snapshot, or throws EnvironmentError saying what is wrong with it. Pure apart from the path in texts. */
export function decodeSnapshot(bytes: Buffer, path: string): PartitionData {
  const newline = bytes.indexOf(0x0a);
  let header: Partial<StateHeader> | undefined;
  try {
    header = newline < 0 || newline > 1024 ? undefined : (JSON.parse(bytes.subarray(0, newline).toString("utf8")) as Partial<StateHeader>);
  } catch {
    header = undefined;
  }
  if (header === undefined || typeof header.format !== "number") {
    throw new EnvironmentError(`${path} is not an ecs-pull state file (no header line); move it away or pass another --state directory`);
  }
  if (header.format !== STATE_FORMAT) {
    throw new EnvironmentError(
      header.format > STATE_FORMAT
        ? `${path} was written by a newer ecs-pull (state format ${header.format}; this one reads format ${STATE_FORMAT}): upgrade ecs-pull or pass another --state directory`
        : `${path} has state format ${header.format}, which this ecs-pull does not read (it reads format ${STATE_FORMAT})`,
    );
  }
  const body = bytes.subarray(newline + 1);
  const sum = createHash("sha256").update(body).digest("hex");
  if (body.length !== header.bytes || sum !== header.sha256) {
    throw new EnvironmentError(`${path} is damaged (${body.length} of ${String(header.bytes)} bytes, checksum ${sum === header.sha256 ? "matches" : "does not match"}): restore it from a copy or pass another --state directory`);
  }
  let data: unknown;
  try {
    data = deserialize(body);
  } catch (error) {
    throw new EnvironmentError(`${path} cannot be read by this Node.js (${(error as Error).message}): it was written by another Node.js version; use that one or pass another --state directory`);
  }
  if (!(data instanceof Map)) throw new EnvironmentError(`${path} is damaged (its contents are not a state snapshot)`);
  return data as PartitionData;
}

export interface StateDir {
  readonly path: string;
  /** The partitions read at start (empty for a new directory). */
  readonly loaded: PartitionData;
  /** Resolves once a snapshot taken after this call is durable. Concurrent calls share one write. */
  commit(): Promise<void>;
  /** Writes a last snapshot and releases the directory. */
  close(): Promise<void>;
}

/**
 * Opens (creating it 0700 if needed) a state directory, takes its lock and reads its snapshot. A second emulator on
 * the same directory is refused while the first one's process lives.
 */
export function openStateDir(dir: string, snapshot: () => PartitionData, now: () => number = Date.now): StateDir {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw new Error("not a directory");
  } catch (error) {
    throw new EnvironmentError(`--state ${dir}: cannot use it as a directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  takeLock(dir);
  const path = join(dir, STATE_FILE);
  // A temporary file is a write that kill -9 interrupted before its rename: the snapshot it was to replace is whole.
  rmSync(join(dir, TEMP_FILE), { force: true });
  const loaded = existsSync(path) ? decodeSnapshot(readFileSync(path), path) : new Map<string, Record<string, unknown>>();

  let writing: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  const write = async (): Promise<void> => {
    const bytes = encodeSnapshot(snapshot(), now());
    const temp = join(dir, TEMP_FILE);
    const handle = await open(temp, "w", 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    renameSync(temp, path);
    syncDir(dir);
  };
  const commit = (): Promise<void> => {
    // One write at a time; every commit that arrives while one runs joins the next, which snapshots after them.
    queued ??= writing.then(
      () => {
        queued = undefined;
        writing = write();
        return writing;
      },
      () => {
        queued = undefined;
        writing = write();
        return writing;
      },
    );
    return queued;
  };
  return {
    path: dir,
    loaded,
    commit,
    async close() {
      await commit();
      rmSync(join(dir, LOCK_FILE), { force: true });
    },
  };
}

function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const LOCK_FILE = "lock";

function takeLock(dir: string): void {
  const lock = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new EnvironmentError(`--state ${dir}: cannot create its lock file (${(error as NodeJS.ErrnoException).code})`);
      const pid = Number(readFileSync(lock, "utf8"));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new EnvironmentError(`--state ${dir} is in use by another ecs-pull serve (process ${pid})`);
      }
      // Left by a process that is gone (kill -9): take it over.
      rmSync(lock, { force: true });
    }
  }
  throw new EnvironmentError(`--state ${dir}: cannot take its lock file`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
