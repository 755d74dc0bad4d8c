#!/usr/bin/env bash
# Installs what the tests need and runs every test: unit, component, integration (SQLite and a local
# PostgreSQL, Redis for the multi-node tests), browser (E2E) and the README's API examples (bash, curl, jq).
# Prints a final line "N passed, N failed, N skipped" computed from the test results.
set -uo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

# shellcheck source=scripts/lib.sh
source scripts/lib.sh
ensure_chromium || { echo "0 passed, 1 failed"; exit 1; }
ensure_fonts || { echo "0 passed, 1 failed"; exit 1; }
ensure_jq || { echo "0 passed, 1 failed"; exit 1; }

log "Starting PostgreSQL and Redis"
bash scripts/servers.sh start || { echo "0 passed, 1 failed"; exit 1; }

log "Restoring tools and building"
dotnet tool restore >/dev/null || exit 1
dotnet build AgentConsole.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

log "Generating the idempotent SQL Server script"
NO_BUILD=1 bash scripts/sqlserver-script.sh artifacts/sql/sqlserver-idempotent-cli.sql || { echo "0 passed, 1 failed"; exit 1; }

results="artifacts/test-results"
rm -rf "$results"
log "Running the tests"
dotnet test AgentConsole.Tests/AgentConsole.Tests.csproj -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1500000
status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${t:-0} - ${x:-0}))
done

# Name each failed test and the start of its message again at the end, where a truncated log still shows it.
if [ "$failed" -gt 0 ]; then
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    perl -0777 -ne 'while (/<UnitTestResult [^>]*?testName="([^"]*)"[^>]*?outcome="Failed"[^>]*>(.*?)<\/UnitTestResult>/sg) {
      my ($name, $body) = ($1, $2); my ($msg) = $body =~ /<Message>(.*?)<\/Message>/s; $msg //= "";
      my ($trace) = $body =~ /<StackTrace>(.*?)<\/StackTrace>/s; $trace //= "";
      for ($name, $msg, $trace) { s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/\x27/g; s/&#xD;//g; s/&#xA;/\n/g; s/&amp;/&/g; }
      my @m = (split(/\n/, $msg))[0..11]; my @t = (split(/\n/, $trace))[0..7];
      print "FAILED $name\n", map({ defined $_ ? "    $_\n" : () } @m, @t);
    }' "$trx"
  done
fi

if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
  echo "No test results were written." >&2
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
