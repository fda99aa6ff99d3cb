#!/usr/bin/env bash
# Installs the npm packages when node_modules is missing or older than package-lock.json (a fresh clone, a pull).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ecs-pull: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
