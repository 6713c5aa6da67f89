#!/usr/bin/env bash
# The main job: installs what is missing, builds, and plays the sample story on a local 4-validator
# testnet (testnet/demo). Usage: scripts/demo.sh [demo options]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec testnet/demo "$@"
