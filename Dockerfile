# The ecs-pull emulator (Secrets Manager, IAM, STS, KMS) as an image: `ecs-pull serve` on $ECS_PULL_HOST:$ECS_PULL_PORT,
# healthy when GET /_ecs-pull/health answers. Sources run through tsx as in development (no build step).
#
#   docker build -t ecs-pull/emulator .
#   docker run --rm -p 127.0.0.1:4566:4566 ecs-pull/emulator
#
# Inside the container the server binds 0.0.0.0 (the port is published on 127.0.0.1 only), so it opts in with
# --allow-remote; ECS_PULL_ALLOWED_HOST names one more Host it answers (the compose service name), and
# ECS_PULL_ADMIN_KEY=ID:SECRET replaces the public test/test admin key.
#
# BASE: any image with node >= 20.18 and /bin/sh. NPM_INSTALL=0 skips `npm ci` and uses the node_modules of the
# build context instead (for machines without a registry; .dockerignore normally leaves node_modules out).
ARG BASE=node:20-bookworm-slim
FROM ${BASE}
ARG NPM_INSTALL=1
ENV NODE_ENV=production \
    ECS_PULL_HOST=0.0.0.0 \
    ECS_PULL_PORT=4566 \
    ECS_PULL_REGION=us-east-1 \
    ECS_PULL_ALLOWED_HOST= \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
WORKDIR /opt/ecs-pull
COPY package.json package-lock.json ./
COPY . .
RUN if [ "$NPM_INSTALL" = 1 ]; then npm ci --omit=dev --no-audit --no-fund && npm cache clean --force; fi
EXPOSE 4566
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=5 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.ECS_PULL_PORT}/_ecs-pull/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["sh", "-c", "exec node bin/ecs-pull.cjs serve --host \"$ECS_PULL_HOST\" --port \"$ECS_PULL_PORT\" --region \"$ECS_PULL_REGION\" --allow-remote ${ECS_PULL_ALLOWED_HOST:+--allowed-host \"$ECS_PULL_ALLOWED_HOST\"}"]
