#!/usr/bin/env bash
# npm packages at the versions package-lock.json records.
# `npm install` rather than `npm ci`: npm 11.19 refuses `npm ci` on any lock
# that holds platform-specific optional packages (it reports them "missing"
# even from a lock it has just written), while `npm install` with the lock
# present installs exactly the locked versions.
# onnxruntime-node (pulled by the optional MiniLM embedder) tries to download
# CUDA files when it sees nvcc: skip that.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error
fi
