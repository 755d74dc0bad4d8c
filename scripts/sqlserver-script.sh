#!/usr/bin/env bash
# Writes the idempotent SQL Server script of the domain migrations (safe to run on any older schema).
# Usage: bash scripts/sqlserver-script.sh [output]   (default deploy/sqlserver/AgentConsole.sql)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-deploy/sqlserver/AgentConsole.sql}"
mkdir -p "$(dirname "$out")"
dotnet tool restore >/dev/null
dotnet ef migrations script --idempotent --project AgentConsole.Domain --context SqlServerAgentConsoleDbContext \
  --configuration "${CONFIGURATION:-Release}" ${NO_BUILD:+--no-build} --output "$out" >/dev/null
echo "SQL Server script written to $out"
