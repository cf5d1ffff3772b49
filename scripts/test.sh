#!/usr/bin/env bash
# Fresh machine → the whole test suite: installs what is missing, then type
# checks, lints, and runs unit, integration, end-to-end, browser and fault tests.
# The suites start their own redis-server, Chroma and fake Ollama on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-system-deps.sh chromium
scripts/ensure-node-deps.sh
echo "== typecheck"; npx tsc --noEmit -p .
echo "== lint"; npx eslint . --max-warnings=0
echo "== format"; npx prettier --check . >/dev/null || { echo "run: npm run format"; exit 1; }
echo "== tests"; npx vitest run
echo "== browser tests"; npx vitest run --config vitest.browser.config.ts
echo "== end-to-end tests on a local 3-master Redis Cluster"
SI_TEST_REDIS=cluster npx vitest run test/e2e test/integration/api test/integration/auth test/integration/cache test/integration/limits test/integration/results test/integration/webhooks test/integration/workers/question-lifecycle.test.ts
echo "== fault tests"; npx vitest run --config vitest.faults.config.ts
echo "== fault tests on a local 3-master Redis Cluster"
SI_TEST_REDIS=cluster npx vitest run --config vitest.faults.config.ts \
  test/faults/worker-crash.fault.test.ts test/faults/redis-restart.fault.test.ts test/faults/data-store.fault.test.ts
