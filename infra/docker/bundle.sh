#!/bin/sh
# Assembles the production bundle that the image runs (Dockerfile, build stage)
# and that infra/test/production-start.int.test.ts starts the same way:
#
#   OUT/package.json, OUT/node_modules   @chat/server's production dependencies
#                                        only (pnpm deploy --prod): what the
#                                        compiled server imports at run time
#   OUT/dist/main.js (+ .map)            the server compiled to one file, with the
#   OUT/dist/migrations                  workspace packages inlined and the
#                                        database migrations beside it
#                                        (apps/server/build.ts)
#   OUT/web                              the built SPA (apps/web/dist)
#
# Run after `pnpm install --frozen-lockfile` and `pnpm build`. OUT must not exist
# or be empty. The image copies OUT to /app and runs
# `node --enable-source-maps dist/main.js`: plain node, no TypeScript at run time.
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
# Compiled into the bundle itself (not copied from apps/server/dist), so it can
# never be a stale build; its imports resolve from OUT/node_modules.
rm -rf "$out/dist"
(cd apps/server && node --import tsx build.ts "$out/dist")
cp -R apps/web/dist "$out/web"
echo "bundle.sh: production bundle in $out"
