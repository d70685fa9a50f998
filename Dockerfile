# The team chat: the SPA, the API, WebSocket and SSE on one port (3000).
# docker compose up builds it; infra/opentofu/scripts/push-image.sh pushes it to ECR.
# Operator guide: docs/deployment.md.

# ---- build: install from the lockfile, build the SPA and the server, assemble the bundle ----
FROM node:24-bookworm-slim AS build
ENV CI=true
WORKDIR /src
# pnpm at the version package.json's "packageManager" names (corepack is not used).
COPY package.json ./
RUN npm install -g "pnpm@$(node -p "require('./package.json').packageManager.split('@')[1].split('+')[0]")"
# Download every package the lockfile names; this layer is reused until the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
# patches/: fixes applied to dependencies at install (README, "Patched dependencies").
COPY patches/ patches/
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline
RUN pnpm build
RUN sh infra/docker/bundle.sh /out

# ---- runtime: the bundle only, as the unprivileged `node` user ----
FROM node:24-bookworm-slim AS runtime
# tini as PID 1: forwards SIGTERM to node and reaps zombies.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  PORT=3000 \
  HOST=0.0.0.0 \
  DATA_DIR=/app/data \
  WEB_DIST=/app/web
WORKDIR /app
# The code stays owned by root (read-only to the app); only DATA_DIR is writable.
COPY --from=build /out/ /app/
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# On SIGTERM the server tells WebSocket clients to reconnect, finishes in-flight
# requests and exits 0 (within 10 s at most; compose and ECS wait 15 s and 30 s).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# The server compiled to JavaScript (apps/server/build.ts): no TypeScript at start-up;
# stack traces name the .ts lines through the source map. The same flags as
# apps/server's `start`: a 32 MiB young generation (docs/event-stream.md, "Long-polling").
CMD ["node", "--enable-source-maps", "--max-semi-space-size=32", "dist/main.js"]
