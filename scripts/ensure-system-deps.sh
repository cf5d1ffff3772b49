#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing.
# Usage: scripts/ensure-system-deps.sh [chromium]
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [[ "${1:-}" == "chromium" ]] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
if ((${#need[@]} > 0)); then
  echo "installing: ${need[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi
