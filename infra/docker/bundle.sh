#!/bin/sh
# Assembles the production bundle that the image runs (Dockerfile, build stage)
# and that infra/test/production-start.int.test.ts starts the same way:
#
#   OUT/package.json, OUT/src, OUT/node_modules   @chat/server and its production
#                                                 dependencies only (pnpm deploy; the
#                                                 workspace packages are copied in)
#   OUT/web                                       the built SPA (apps/web/dist)
#
# Run after `pnpm install --frozen-lockfile` and `pnpm build`. OUT must not exist
# or be empty. The image copies OUT to /app and runs `node --import tsx src/main.ts`.
set -eu

out="${1:?usage: infra/docker/bundle.sh OUT_DIR}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ ! -f apps/web/dist/index.html ]; then
  echo "bundle.sh: apps/web/dist/index.html is missing; run \`pnpm build\` first" >&2
  exit 1
fi

# inject-workspace-packages: deploy from the shared lockfile (pnpm 10 refuses
# otherwise), so the bundle gets exactly the versions the lockfile pins.
pnpm --config.inject-workspace-packages=true --filter @chat/server deploy --prod "$out"
cp -R apps/web/dist "$out/web"
echo "bundle.sh: production bundle in $out"
