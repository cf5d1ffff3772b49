#!/usr/bin/env bash
# Fresh machine → running service on the embedded defaults:
# installs redis-server and npm packages if missing, starts Redis (AOF on) and
# Chroma under ./data, loads the demo shops, starts the API and every worker,
# then asks one question through the queue and prints a ready-to-paste example.
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/ensure-system-deps.sh
scripts/ensure-node-deps.sh

export PORT=${PORT:-3000}
export REDIS_PORT=${REDIS_PORT:-6390}
export CHROMA_PORT=${CHROMA_PORT:-8010}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}
export CHROMA_URL=${CHROMA_URL-http://127.0.0.1:$CHROMA_PORT}
export DATA_DIR=${DATA_DIR:-$root/data/store}
mkdir -p data/redis data/chroma data/logs "$DATA_DIR"

pids=()
cleanup() {
  trap - EXIT INT TERM
  echo "stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n "${started_chroma:-}" ]] && scripts/chroma.sh stop "$root/data/chroma" || true
  [[ -n "${started_redis:-}" ]] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$root/data/redis" \
    --pidfile "$root/data/redis/redis.pid" --appendonly yes --appendfsync everysec \
    --maxmemory-policy noeviction --daemonize yes --logfile "$root/data/logs/redis.log"
  started_redis=1
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

if [[ -n "$CHROMA_URL" && -x scripts/chroma.sh ]]; then
  if scripts/chroma.sh start "$CHROMA_PORT" "$root/data/chroma"; then started_chroma=1; else
    echo "chroma did not start; Tier 3 runs without retrieval"; export CHROMA_URL=""; fi
fi

npm run -s cli -- seed-demo --if-empty

for proc in web worker-kpi worker-llm worker-rag worker-webhooks worker-ingest; do
  cmd=$(grep "^$proc:" Procfile | cut -d: -f2-)
  # shellcheck disable=SC2086
  $cmd >"data/logs/$proc.log" 2>&1 &
  pids+=($!)
done

for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done

example="curl -s -X POST http://127.0.0.1:$PORT/api/ask -H 'content-type: application/json' \\
  -d '{\"shop_id\": 1, \"question\": \"How many orders did shop 1 get last month?\", \"wait_ms\": 5000}'"
echo
echo "shop-insights is running on http://127.0.0.1:$PORT  (docs: /docs, queues: /admin/queues, logs: data/logs/)"
echo "Try:"
echo "$example"
echo
curl -s -X POST "http://127.0.0.1:$PORT/api/ask" -H 'content-type: application/json' \
  -d '{"shop_id": 1, "question": "How many orders did shop 1 get last month?", "wait_ms": 5000}'
echo
echo
echo "Ctrl-C stops the service."
wait
