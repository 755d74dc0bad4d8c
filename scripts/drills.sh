#!/usr/bin/env bash
# Runs the fault drills against a scaled-out installation on this machine and writes artifacts/drills/results.md.
# It stops and restarts the local PostgreSQL and Redis. Usage: bash scripts/drills.sh [kill-worker|postgres-down|redis-down|all] [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
prepare_release_run
dotnet tools/AgentConsole.Bench/bin/Release/net10.0/AgentConsole.Bench.dll drill "${@:-all}"
