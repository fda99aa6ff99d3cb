#!/usr/bin/env bash
# `npm run demo`: sets up npm packages, a Docker engine and the registry, builds the teaching page, then runs
# `ecs-pull demo` (`npm run demo -- --web` serves the page instead of printing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/env.sh up >&2
eval "$(bash scripts/env.sh env)"
export DOCKER_HOST ECS_PULL_REGISTRY_MODE ECS_PULL_AWS_CLI
npx vite build --config ui/vite.config.ts >&2
exec node bin/ecs-pull.cjs demo "$@"
