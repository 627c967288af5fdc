#!/usr/bin/env bash
# Bootstraps a fresh machine (Node 20 + npm): pnpm from npm (corepack is unusable offline here),
# then the workspace's dependencies exactly as the lockfile pins them.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
want="10.34.9"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing pnpm@$want with npm" >&2
  npm install -g "pnpm@$want" >/dev/null
fi
if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile --reporter=append-only
else
  pnpm install --frozen-lockfile --reporter=silent || pnpm install --reporter=append-only
fi
