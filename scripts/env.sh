#!/usr/bin/env bash
# Environment bootstrap for ecs-pull: a Docker engine, a registry (registry:2 image or the native binary) and the
# AWS CLI v2, on whatever machine runs the tests.
#
#   bash scripts/env.sh up       find or start everything; writes .runtime/env
#                                (up --browser: also Debian's chromium, for the teaching page's browser tests)
#   bash scripts/env.sh down     stop what `up` started (only the private dockerd and its containerd)
#   bash scripts/env.sh status   say what is up
#   bash scripts/env.sh env      print .runtime/env (KEY=value lines) for: eval "$(bash scripts/env.sh env)"
#
# An engine that already answers (DOCKER_HOST, /var/run/docker.sock, or our private one) is used as is. Only on a
# Debian/Ubuntu machine as root does it install anything (docker.io, docker-registry, awscli, docker-compose) and start a private
# dockerd whose files all live under .runtime/docker/, with host networking only (no bridge, no iptables).
# Messages for humans go to stderr; stdout carries one line per component (and, for `env`, only the env lines).
set -euo pipefail

PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNTIME_DIR="$PROJECT_ROOT/.runtime"
ENV_FILE="$RUNTIME_DIR/env"
LOCK_FILE="$RUNTIME_DIR/env.lock"
APT_LOG="$RUNTIME_DIR/apt.log"
DOCKER_DIR="$RUNTIME_DIR/docker"
PIDFILE="$DOCKER_DIR/dockerd.pid"
DOCKERD_LOG="$DOCKER_DIR/dockerd.log"
DRIVER_FILE="$DOCKER_DIR/storage-driver"

SYSTEM_SOCKET=/var/run/docker.sock
PING_TIMEOUT_S=3
DOCKERD_START_TIMEOUT_S=60
DOCKERD_STOP_TIMEOUT_S=30
LOCK_TIMEOUT_S=900
REGISTRY_IMAGE_NAME=registry
REGISTRY_IMAGE_TAG=2
# Docker Hub is often unreachable (CI, air-gapped boxes): a pull that cannot succeed must not hang the bootstrap.
REGISTRY_PULL_TIMEOUT_S=20
REGISTRY_BIN=/usr/bin/docker-registry
AWS_CLI_DEFAULT=/usr/bin/aws
CHROMIUM_BIN=/usr/bin/chromium

# dockerd and containerd live in sbin; a minimal root PATH (CI, cron) may lack it.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

log() { printf 'ecs-pull env: %s\n' "$*" >&2; }
die() { printf 'ecs-pull env: error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# --- where the private engine lives -------------------------------------------------------------------------

# A unix socket path must fit in sun_path (108 bytes), and dockerd's exec-root holds containerd's sockets
# (<exec-root>/containerd/containerd-debug.sock, 35 more bytes). A deep checkout therefore keeps its sockets under
# /run, in a folder named after a hash of the project path so that two checkouts never share an engine.
private_run_dir() {
  local candidate="$DOCKER_DIR/run"
  if (( ${#candidate} + 40 <= 100 )); then
    printf '%s\n' "$candidate"
  else
    printf '/run/ecs-pull-%s\n' "$(printf '%s' "$PROJECT_ROOT" | sha256sum | cut -c1-12)"
  fi
}
PRIVATE_RUN_DIR=$(private_run_dir)
PRIVATE_SOCKET="$PRIVATE_RUN_DIR/docker.sock"
PRIVATE_HOST="unix://$PRIVATE_SOCKET"
PRIVATE_EXEC_ROOT="$PRIVATE_RUN_DIR/exec"

# --- talking to an engine -----------------------------------------------------------------------------------

# engine_http METHOD HOST PATH MAX_SECONDS: the response body on stdout; succeeds only on HTTP 2xx.
# HOST is a DOCKER_HOST value (unix:///path or tcp://host:port). curl when present, else Node (always here).
engine_http() {
  local method=$1 host=$2 path=$3 max=$4
  if have curl; then
    case $host in
      unix://*) curl -sS --fail --max-time "$max" -X "$method" --unix-socket "${host#unix://}" "http://localhost$path" ;;
      tcp://* | http://*) curl -sS --fail --max-time "$max" -X "$method" "http://${host#*://}$path" ;;
      *) return 2 ;;
    esac
  else
    node -e '
      const http = require("node:http");
      const [method, host, path, max] = process.argv.slice(1);
      const opts = { method, path };
      if (host.startsWith("unix://")) opts.socketPath = host.slice("unix://".length);
      else { const u = new URL("http://" + host.replace(/^[a-z]+:\/\//, "")); opts.host = u.hostname; opts.port = u.port || 2375; }
      setTimeout(() => process.exit(28), Number(max) * 1000).unref();
      const req = http.request(opts, (res) => {
        res.pipe(process.stdout);
        res.on("end", () => process.exit(res.statusCode >= 200 && res.statusCode < 300 ? 0 : 22));
      });
      req.on("error", (e) => { process.stderr.write(String(e.message) + "\n"); process.exit(7); });
      req.end();
    ' "$method" "$host" "$path" "$max"
  fi
}

# An engine "answers" when GET /_ping says OK.
engine_answers() {
  local host=$1 body
  if [[ $host == unix://* ]] && [[ ! -S ${host#unix://} ]]; then return 1; fi
  body=$(engine_http GET "$host" /_ping "$PING_TIMEOUT_S" 2>/dev/null) || return 1
  [[ $body == OK ]]
}

# The first engine that answers, in the documented order; prints its DOCKER_HOST value.
find_engine() {
  local candidate
  for candidate in "${DOCKER_HOST:-}" "unix://$SYSTEM_SOCKET" "$PRIVATE_HOST"; do
    [[ -n $candidate ]] || continue
    if engine_answers "$candidate"; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  if [[ -n ${DOCKER_HOST:-} && ${DOCKER_HOST} != "$PRIVATE_HOST" ]]; then
    log "DOCKER_HOST=$DOCKER_HOST does not answer; looking further"
  fi
  return 1
}

engine_version() {
  engine_http GET "$1" /version "$PING_TIMEOUT_S" 2>/dev/null | sed -n 's/.*"Version":"\([^"]*\)".*/\1/p' | head -n1
}

# --- the private dockerd ------------------------------------------------------------------------------------

# pid_is PIDFILE NAME: prints the pid when the file names a live process called NAME (guards against pid reuse).
pid_is() {
  local file=$1 name=$2 pid
  [[ -f $file ]] || return 1
  pid=$(tr -dc '0-9' <"$file")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$name" ]] || return 1
  printf '%s\n' "$pid"
}

private_dockerd_pid() { pid_is "$PIDFILE" dockerd; }

# launch_dockerd DRIVER: starts dockerd in its own session so that it outlives this script and its terminal.
launch_dockerd() {
  local driver=$1
  mkdir -p "$DOCKER_DIR/data" "$PRIVATE_EXEC_ROOT"
  # Its own (empty) config file: a machine's /etc/docker/daemon.json must not add or contradict flags.
  [[ -f $DOCKER_DIR/daemon.json ]] || printf '{}\n' >"$DOCKER_DIR/daemon.json"
  rm -f "$PIDFILE"
  printf '\n--- %s: starting dockerd (storage driver %s)\n' "$(date -u +%FT%TZ)" "$driver" >>"$DOCKERD_LOG"
  setsid nohup dockerd \
    --host "$PRIVATE_HOST" \
    --config-file "$DOCKER_DIR/daemon.json" \
    --data-root "$DOCKER_DIR/data" \
    --exec-root "$PRIVATE_EXEC_ROOT" \
    --pidfile "$PIDFILE" \
    --bridge=none --iptables=false --ip-masq=false \
    --storage-driver "$driver" \
    >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
  # (9>&-: the bootstrap's lock fd must not be inherited, or dockerd would hold the lock for its whole life.)
  printf '%s\n' "$!"
}

# wait_for_dockerd PID: until the socket answers (success), the process dies or the time is up (failure).
wait_for_dockerd() {
  local pid=$1 deadline=$((SECONDS + DOCKERD_START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    engine_answers "$PRIVATE_HOST" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

# stop_process PID NAME: TERM, then wait (bounded), then KILL; dockerd needs time to stop its containers.
stop_process() {
  local pid=$1 name=$2 deadline=$((SECONDS + DOCKERD_STOP_TIMEOUT_S))
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop within ${DOCKERD_STOP_TIMEOUT_S}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
}

# dockerd starts its own containerd (unless a system one runs); it normally stops it on exit, but a killed
# dockerd can leave it behind.
stop_private_containerd() {
  local pid
  if pid=$(pid_is "$PRIVATE_EXEC_ROOT/containerd/containerd.pid" containerd); then
    stop_process "$pid" containerd
  fi
}

# dockerd bind-mounts its data-root onto itself; a clean exit undoes it, a failed start (unsupported storage
# driver) or a kill may not, and the stale mount then blocks deleting the checkout.
# Its exec-root also keeps the host network namespace mounted at netns/default (host networking), which outlives
# dockerd in the same way.
release_data_root_mount() {
  local mount_point
  for mount_point in "$DOCKER_DIR/data" "$PRIVATE_EXEC_ROOT/netns/default"; do
    if grep -qF " $mount_point " /proc/self/mountinfo 2>/dev/null; then
      umount "$mount_point" 2>/dev/null || log "could not unmount $mount_point (still in use?)"
    fi
  done
}

# Starts the private dockerd, overlay2 first and vfs when overlay2 cannot work here (e.g. on an overlay root);
# the driver that worked is remembered so the next start goes straight to it.
start_private_dockerd() {
  local drivers driver pid
  # ECS_PULL_DOCKERD_STORAGE_DRIVERS (space-separated) overrides the order, e.g. "vfs" on a filesystem where
  # overlay2 starts but misbehaves.
  read -r -a drivers <<<"${ECS_PULL_DOCKERD_STORAGE_DRIVERS:-overlay2 vfs}"
  if [[ -z ${ECS_PULL_DOCKERD_STORAGE_DRIVERS:-} && -f $DRIVER_FILE ]]; then drivers=("$(cat "$DRIVER_FILE")"); fi
  have dockerd || die "dockerd is not installed (Debian: apt-get install docker.io)"
  for driver in "${drivers[@]}"; do
    log "starting a private dockerd (storage driver $driver; log: $DOCKERD_LOG)"
    pid=$(launch_dockerd "$driver")
    if wait_for_dockerd "$pid"; then
      printf '%s\n' "$driver" >"$DRIVER_FILE"
      return 0
    fi
    log "dockerd with storage driver $driver did not come up; last log lines:"
    tail -n 5 "$DOCKERD_LOG" >&2 || true
    stop_process "$pid" dockerd
    stop_private_containerd
    release_data_root_mount
  done
  die "the private dockerd did not start; see $DOCKERD_LOG"
}

# --- installing with apt --------------------------------------------------------------------------------------

can_apt() { [[ $(id -u) == 0 ]] && have apt-get && have dpkg; }

# Package postinst scripts try to start services (dockerd with a bridge and iptables, a registry on :5000).
# policy-rc.d exit 101 tells invoke-rc.d / deb-systemd-invoke not to, for as long as we install.
block_service_starts() {
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# temporary, from ecs-pull scripts/env.sh: no service starts during install\nexit 101\n' \
      >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
}

# A previous install interrupted mid-way (or a postinst that failed) leaves dpkg half-configured, which makes
# every later apt-get install fail until it is finished.
finish_interrupted_dpkg() {
  if [[ -n $(dpkg --audit 2>/dev/null) ]]; then
    log "finishing an interrupted package installation (dpkg --configure -a)"
    dpkg --configure -a >>"$APT_LOG" 2>&1 || true
  fi
}

# apt_install PACKAGE...: one update, one install; other users of apt on the machine are waited for.
apt_install() {
  local apt_opts=(-o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  export DEBIAN_FRONTEND=noninteractive
  block_service_starts
  finish_interrupted_dpkg
  log "installing with apt: $* (log: $APT_LOG)"
  apt-get "${apt_opts[@]}" update >>"$APT_LOG" 2>&1 || { tail -n 20 "$APT_LOG" >&2; die "apt-get update failed"; }
  if ! apt-get "${apt_opts[@]}" install -y --no-install-recommends "$@" >>"$APT_LOG" 2>&1; then
    # The usual cause on a box without systemd is a postinst that fails to start its service; the files are in
    # place, so configure what is left and judge by the binaries below.
    log "apt-get install reported a failure; finishing configuration and checking the binaries"
    dpkg --configure -a >>"$APT_LOG" 2>&1 || true
  fi
}

# Stops with a message that says exactly what this machine lacks (used where we may not install).
explain_missing() {
  local -a what=("$@")
  {
    printf 'ecs-pull env: error: this machine lacks what the tests need, and can only install it itself on\n'
    printf 'Debian/Ubuntu as root. Please provide:\n'
    printf '  - %s\n' "${what[@]}"
  } >&2
  exit 1
}

# --- registry and AWS CLI choices ---------------------------------------------------------------------------

registry_image_present() {
  engine_http GET "$1" "/images/$REGISTRY_IMAGE_NAME:$REGISTRY_IMAGE_TAG/json" "$PING_TIMEOUT_S" >/dev/null 2>&1
}

try_pull_registry_image() {
  log "trying to pull $REGISTRY_IMAGE_NAME:$REGISTRY_IMAGE_TAG (at most ${REGISTRY_PULL_TIMEOUT_S}s)"
  engine_http POST "$1" "/images/create?fromImage=$REGISTRY_IMAGE_NAME&tag=$REGISTRY_IMAGE_TAG" \
    "$REGISTRY_PULL_TIMEOUT_S" >/dev/null 2>&1 || true
  registry_image_present "$1"
}

recorded() { [[ -f $ENV_FILE ]] && sed -n "s/^$1=//p" "$ENV_FILE" | head -n1; }

# decide_registry_mode HOST: container when the engine has (or can pull) registry:2, else native. A native choice
# made before is kept without a new pull attempt, so that a second `up` stays fast. ECS_PULL_REGISTRY_MODE in the
# environment forces a mode.
decide_registry_mode() {
  local host=$1
  case ${ECS_PULL_REGISTRY_MODE:-} in
    container)
      registry_image_present "$host" || try_pull_registry_image "$host" ||
        die "ECS_PULL_REGISTRY_MODE=container but the engine neither has nor can pull $REGISTRY_IMAGE_NAME:$REGISTRY_IMAGE_TAG"
      echo container; return ;;
    native) echo native; return ;;
  esac
  if registry_image_present "$host"; then echo container; return; fi
  if [[ $(recorded ECS_PULL_REGISTRY_MODE) == native ]]; then echo native; return; fi
  if try_pull_registry_image "$host"; then echo container; return; fi
  echo native
}

# The AWS CLI v2 the tests drive: ECS_PULL_AWS_CLI when set, else Debian's awscli package.
aws_cli_path() {
  if [[ -n ${ECS_PULL_AWS_CLI:-} ]]; then printf '%s\n' "$ECS_PULL_AWS_CLI"; else printf '%s\n' "$AWS_CLI_DEFAULT"; fi
}

aws_cli_works() { [[ -x $1 ]] && "$1" --version >/dev/null 2>&1; }

# --- the env file -------------------------------------------------------------------------------------------

write_env_file() {
  local host=$1 mode=$2 aws=$3 tmp
  mkdir -p "$RUNTIME_DIR"
  tmp=$(mktemp "$RUNTIME_DIR/env.XXXXXX")
  {
    printf 'DOCKER_HOST=%q\n' "$host"
    printf 'ECS_PULL_REGISTRY_MODE=%q\n' "$mode"
    if [[ $mode == native ]]; then
      printf 'ECS_PULL_REGISTRY_BIN=%q\n' "$REGISTRY_BIN"
    else
      printf 'ECS_PULL_REGISTRY_IMAGE=%q\n' "$REGISTRY_IMAGE_NAME:$REGISTRY_IMAGE_TAG"
    fi
    printf 'ECS_PULL_AWS_CLI=%q\n' "$aws"
  } >"$tmp"
  chmod 644 "$tmp"
  # Readers (eval, the TypeScript side) never see a half-written file.
  mv -f "$tmp" "$ENV_FILE"
}

describe_engine() {
  local host=$1 how=$2 pid
  if [[ $host == "$PRIVATE_HOST" ]] && pid=$(private_dockerd_pid); then
    printf 'docker engine: %s private dockerd %s at %s (pid %s, storage %s)\n' \
      "$how" "$(engine_version "$host")" "$host" "$pid" "$(cat "$DRIVER_FILE" 2>/dev/null || echo '?')"
  else
    printf 'docker engine: %s Docker %s at %s\n' "$how" "$(engine_version "$host")" "$host"
  fi
}

# --- commands -----------------------------------------------------------------------------------------------

with_lock() {
  mkdir -p "$RUNTIME_DIR"
  exec 9>"$LOCK_FILE"
  # Two `up`s at once (npm test and npm run demo in parallel) would start two dockerds on one socket.
  flock -w "$LOCK_TIMEOUT_S" 9 || die "another scripts/env.sh is still running (lock: $LOCK_FILE)"
  "$@"
}

cmd_up() {
  local host="" how="using" aws mode="" packages=() missing=() browser=0
  [[ ${1:-} == --browser ]] && browser=1
  aws=$(aws_cli_path)

  host=$(find_engine) || host=""
  # Our own dockerd may be installed but stopped (after `down`): start it before deciding what to install.
  if [[ -z $host ]] && have dockerd && [[ $(id -u) == 0 ]]; then
    start_private_dockerd
    host=$PRIVATE_HOST how="started"
  fi

  if [[ -z $host ]]; then
    missing+=("a running Docker engine: set DOCKER_HOST, or start Docker so that $SYSTEM_SOCKET answers")
    packages+=(docker.io)
    # A brand-new engine has no registry:2 image and usually no Docker Hub to pull it from.
    [[ -x $REGISTRY_BIN ]] || packages+=(docker-registry)
  else
    mode=$(decide_registry_mode "$host")
    if [[ $mode == native && ! -x $REGISTRY_BIN ]]; then
      missing+=("the registry: the image $REGISTRY_IMAGE_NAME:$REGISTRY_IMAGE_TAG in the engine, or $REGISTRY_BIN (Debian package docker-registry)")
      packages+=(docker-registry)
    fi
  fi
  if ! aws_cli_works "$aws"; then
    if [[ $aws != "$AWS_CLI_DEFAULT" ]]; then die "ECS_PULL_AWS_CLI=$aws does not run"; fi
    missing+=("the AWS CLI v2 at $AWS_CLI_DEFAULT (Debian package awscli), or set ECS_PULL_AWS_CLI to its path")
    packages+=(awscli)
  fi

  # docker-compose (Debian's v1) only checks docker-compose.yml in a test: installed along with the rest when we
  # may use apt, never a reason to stop (the compose test skips without it).
  if ! have docker-compose && can_apt; then packages+=(docker-compose); fi
  if ((browser)) && [[ ! -x $CHROMIUM_BIN ]]; then
    missing+=("Chromium at $CHROMIUM_BIN (Debian package chromium), for the teaching page's browser tests")
    packages+=(chromium)
  fi

  if ((${#missing[@]} > 0)); then
    can_apt || explain_missing "${missing[@]}"
  fi
  if ((${#packages[@]} > 0)); then
    apt_install "${packages[@]}"
  fi

  if [[ -z $host ]]; then
    have dockerd || die "docker.io was installed but dockerd is missing; see $APT_LOG"
    start_private_dockerd
    host=$PRIVATE_HOST how="installed and started"
    mode=$(decide_registry_mode "$host")
  fi
  if [[ $mode == native && ! -x $REGISTRY_BIN ]]; then die "$REGISTRY_BIN is missing; see $APT_LOG"; fi
  aws_cli_works "$aws" || die "$aws does not run; see $APT_LOG"
  if ((browser)) && [[ ! -x $CHROMIUM_BIN ]]; then die "$CHROMIUM_BIN is missing; see $APT_LOG"; fi

  write_env_file "$host" "$mode" "$aws"
  describe_engine "$host" "$how"
  if [[ $mode == container ]]; then
    printf 'registry: container (%s:%s)\n' "$REGISTRY_IMAGE_NAME" "$REGISTRY_IMAGE_TAG"
  else
    printf 'registry: native (%s)\n' "$REGISTRY_BIN"
  fi
  printf 'aws cli: %s (%s)\n' "$aws" "$("$aws" --version 2>&1 | head -n1)"
  if have docker-compose; then printf 'docker-compose: %s\n' "$(command -v docker-compose)"; else printf 'docker-compose: missing (optional)\n'; fi
  if ((browser)); then printf 'browser: %s\n' "$CHROMIUM_BIN"; fi
}

cmd_down() {
  local pid
  if pid=$(private_dockerd_pid); then
    stop_process "$pid" dockerd
    stop_private_containerd
    release_data_root_mount
    rm -f "$PIDFILE"
    printf 'docker engine: private dockerd stopped (was pid %s)\n' "$pid"
  else
    stop_private_containerd
    release_data_root_mount
    printf 'docker engine: private dockerd not running (nothing to stop)\n'
  fi
}

cmd_status() {
  local host pid rc=0 mode aws
  if pid=$(private_dockerd_pid); then
    if engine_answers "$PRIVATE_HOST"; then
      printf 'private dockerd: up at %s (pid %s)\n' "$PRIVATE_HOST" "$pid"
    else
      printf 'private dockerd: running (pid %s) but %s does not answer\n' "$pid" "$PRIVATE_HOST"
      rc=1
    fi
  else
    printf 'private dockerd: not running\n'
  fi
  if host=$(find_engine 2>/dev/null); then
    describe_engine "$host" "up:"
  else
    printf 'docker engine: none answers (run: bash scripts/env.sh up)\n'
    rc=1
  fi
  mode=$(recorded ECS_PULL_REGISTRY_MODE || true)
  case $mode in
    container) printf 'registry: container (%s:%s)\n' "$REGISTRY_IMAGE_NAME" "$REGISTRY_IMAGE_TAG" ;;
    native) printf 'registry: native (%s%s)\n' "$REGISTRY_BIN" "$([[ -x $REGISTRY_BIN ]] || echo ', MISSING')" ;;
    *) printf 'registry: not chosen yet (run: bash scripts/env.sh up)\n'; rc=1 ;;
  esac
  aws=$(recorded ECS_PULL_AWS_CLI || true)
  aws=${aws:-$(aws_cli_path)}
  if aws_cli_works "$aws"; then printf 'aws cli: %s\n' "$aws"; else printf 'aws cli: %s missing\n' "$aws"; rc=1; fi
  return "$rc"
}

cmd_env() {
  [[ -f $ENV_FILE ]] || die "$ENV_FILE does not exist yet: run \`bash scripts/env.sh up\` first"
  cat "$ENV_FILE"
}

main() {
  case ${1:-} in
    up) with_lock cmd_up "${@:2}" ;;
    down) with_lock cmd_down ;;
    status) cmd_status ;;
    env) cmd_env ;;
    *)
      printf 'usage: bash scripts/env.sh up [--browser]|down|status|env\n' >&2
      exit 2
      ;;
  esac
}

main "$@"
