#!/usr/bin/env bash
# Measures a newcomer's first start: a fresh clone of the committed tree, an empty NuGet cache (as on a
# new machine; --warm keeps this machine's cache), the README's start command; then the time to the first
# HTTP answer and to the first pending decision an operator can see. Writes artifacts/first-start/results.md.
# Usage: bash scripts/first-start.sh [--warm] [--port 5180]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
warm=0
port=5180
while [ $# -gt 0 ]; do
  case "$1" in
    --warm) warm=1 ;;
    --port) port="$2"; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

work=$(mktemp -d /tmp/agentconsole-first-start.XXXXXX)
app=""
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null && wait "$app" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

git clone -q "$root" "$work/clone"
cd "$work/clone"
[ "$warm" = 1 ] || export NUGET_PACKAGES="$work/nuget"
url="http://127.0.0.1:$port"
now() { date +%s.%N; }
since() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }

start=$(now)
# `dotnet run` builds first; the build is timed on its own, then the console is started from it.
dotnet build AgentConsole.Web -nologo -v q -clp:ErrorsOnly >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
build=$(since "$start")

launched=$(now)
dotnet run --project AgentConsole.Web --no-build --urls "$url" >"$work/console.log" 2>&1 &
app=$!
until curl -sf -o /dev/null "$url/health/live"; do
  kill -0 "$app" 2>/dev/null || { cat "$work/console.log"; exit 1; }
  sleep 0.1
done
http=$(since "$launched")
answered=$(now)

# Sign in as the operator (the demo form carries an antiforgery token) and wait for a pending decision.
jar="$work/cookies"
token=$(curl -sf -c "$jar" "$url/account/login" | sed -n 's/.*name="__RequestVerificationToken" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -sf -o /dev/null -b "$jar" -c "$jar" --data-urlencode "userName=operator" --data-urlencode "password=demo" \
  --data-urlencode "__RequestVerificationToken=$token" "$url/account/login"
until curl -sf -b "$jar" "$url/api/queues" | grep -q '"pending":[1-9]'; do
  sleep 0.1
done
decision=$(since "$answered")

cache=$([ "$warm" = 1 ] && echo "this machine's NuGet cache" || echo "an empty NuGet cache")
mkdir -p "$root/artifacts/first-start"
{
  echo "| Step | Seconds |"
  echo "|---|---|"
  echo "| Build (\`dotnet run\` builds first; fresh clone, $cache) | $build |"
  echo "| Start to the first HTTP answer | $http |"
  echo "| First HTTP answer to the first pending decision in an operator's queues | $decision |"
} | tee "$root/artifacts/first-start/results.md"
