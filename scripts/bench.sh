#!/usr/bin/env bash
# Runs the benchmarks (not part of the test run) and writes artifacts/bench/results.md.
# Usage: bash scripts/bench.sh [--quick] [--only abcd]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
prepare_release_run
dotnet tools/AgentConsole.Bench/bin/Release/net10.0/AgentConsole.Bench.dll bench "$@"
