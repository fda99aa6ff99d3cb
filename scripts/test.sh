#!/usr/bin/env bash
# `npm test`: everything the tests need (npm packages, a Docker engine, the registry, the AWS CLI, Chromium), the
# teaching page's static assets, then type-check, lint, and every test under test/ with Node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/env.sh up --browser >&2
eval "$(bash scripts/env.sh env)"
export DOCKER_HOST ECS_PULL_REGISTRY_MODE ECS_PULL_AWS_CLI
echo "ecs-pull: build the teaching page (vite)" >&2
npx vite build --config ui/vite.config.ts >&2
echo "ecs-pull: type-check" >&2
npx tsc --noEmit -p tsconfig.json
npx tsc --noEmit -p ui/web/tsconfig.json
echo "ecs-pull: lint" >&2
npx eslint .
exec node scripts/run-tests.mjs "$@"
