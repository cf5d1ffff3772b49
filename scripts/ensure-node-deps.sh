#!/usr/bin/env bash
# npm packages, exactly as locked. onnxruntime-node (pulled by the optional
# MiniLM embedder) tries to download CUDA files when it sees nvcc: skip that.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
fi
