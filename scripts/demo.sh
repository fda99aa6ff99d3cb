#!/usr/bin/env bash
# `npm run demo`: sets up npm packages, a Docker engine and the registry, then runs `ecs-pull demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/env.sh up >&2
eval "$(bash scripts/env.sh env)"
export DOCKER_HOST ECS_PULL_REGISTRY_MODE ECS_PULL_AWS_CLI
exec node bin/ecs-pull.mjs demo "$@"
