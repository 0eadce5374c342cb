#!/usr/bin/env bash
# The gateway's end-to-end tests run the official openai npm client from a Node script
# (tests/MetaModel.Gateway.Tests/node). Installs Node.js and npm where the machine lacks them, then the
# script's one pinned package (it has no dependencies, so no lock file is needed).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "installing nodejs and npm from the distribution's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq nodejs npm >/dev/null
fi
node --version

folder=tests/MetaModel.Gateway.Tests/node
if [ ! -f "$folder/node_modules/openai/package.json" ]; then
    (cd "$folder" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error)
fi
