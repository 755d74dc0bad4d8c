#!/usr/bin/env bash
# Helpers shared by the scripts: root commands, Debian packages, chromium for the browser tests and benchmarks, fonts for
# the certificates' PDF, jq for the README examples.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Debian chromium for the browser tests"
    install_packages chromium
  fi
  command -v chromium >/dev/null 2>&1 || { echo "chromium could not be installed; the browser tests need it" >&2; return 1; }
}

# Certificates (PDF) are set in DejaVu Sans, else Liberation Sans, from the system's fonts.
ensure_fonts() {
  if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ ! -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ]; then
    echo "Installing fonts-dejavu-core for the certificates' PDF"
    install_packages fonts-dejavu-core
  fi
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || [ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] \
    || { echo "No DejaVu or Liberation font could be installed; certificates need one" >&2; return 1; }
}

ensure_jq() {
  if ! command -v jq >/dev/null 2>&1; then
    echo "Installing jq for the README's API examples"
    install_packages jq
  fi
  command -v jq >/dev/null 2>&1 || { echo "jq could not be installed; the README's API examples need it" >&2; return 1; }
}

# What the benchmarks and drills need: chromium, the local PostgreSQL and Redis, a Release build.
prepare_release_run() {
  ensure_chromium || return 1
  bash scripts/servers.sh start || return 1
  dotnet tool restore >/dev/null || return 1
  dotnet build AgentConsole.sln -c Release -nologo -clp:ErrorsOnly
}
