#!/usr/bin/env bash
# Start or stop the local Chroma server (chromadb@3.0.3's `chroma run`, installed
# as the `chroma-server` package; newer server bindings need glibc 2.38+).
#   scripts/chroma.sh start [port] [data dir]   (defaults: 8000, ./data/chroma)
#   scripts/chroma.sh stop  [data dir]
set -euo pipefail
cd "$(dirname "$0")/.."
cmd="${1:-}"
case "$cmd" in
  start)
    port="${2:-8000}"
    dir="${3:-data/chroma}"
    mkdir -p "$dir"
    pidfile="$dir/chroma.pid"
    if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "chroma already running (pid $(cat "$pidfile"))"
      exit 0
    fi
    nohup node node_modules/chroma-server/dist/cli.mjs run --path "$dir" --host 127.0.0.1 --port "$port" \
      >"$dir/chroma.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 200); do
      if curl -fsS "http://127.0.0.1:$port/api/v2/heartbeat" >/dev/null 2>&1; then
        echo "chroma listening on http://127.0.0.1:$port (pid $(cat "$pidfile"), data $dir)"
        exit 0
      fi
      if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then break; fi
      sleep 0.1
    done
    echo "chroma did not start; see $dir/chroma.log" >&2
    tail -n 20 "$dir/chroma.log" >&2 || true
    exit 1
    ;;
  stop)
    dir="${2:-data/chroma}"
    pidfile="$dir/chroma.pid"
    [[ -f "$pidfile" ]] || { echo "no pidfile at $pidfile"; exit 0; }
    pid="$(cat "$pidfile")"
    # SIGINT lets Chroma flush; escalate only if it lingers.
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
    echo "chroma stopped"
    ;;
  *)
    echo "usage: $0 start [port] [dir] | stop [dir]" >&2
    exit 2
    ;;
esac
