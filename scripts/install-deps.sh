#!/usr/bin/env bash
# The one list of Debian packages Vantus needs to build, test, benchmark and demo.
# Idempotent; quiet when everything is present; works as root or through sudo.
# --no-npm skips Node.js and the npm packages: only `make test` needs them (`make demo` does not).
set -euo pipefail

with_npm=1
for arg in "$@"; do
  case "$arg" in
    --no-npm) with_npm=0 ;;
    *) echo "usage: $0 [--no-npm]" >&2; exit 2 ;;
  esac
done

PACKAGES=(
  build-essential cmake pkg-config git
  libssl-dev libsqlite3-dev libgit2-dev libctemplate-dev libcpp-httplib-dev
  libyaml-cpp-dev libfmt-dev nlohmann-json3-dev libcli11-dev libargon2-dev
  libsystemd-dev doctest-dev libpsl-dev publicsuffix libcurl4-openssl-dev python3-aiosmtpd
  nginx-light openssh-client curl sqlite3 wrk hyperfine clang-format-16
)
# Node.js and npm run the OpenAPI linter in `make test`; a machine may already have them.
if [ "$with_npm" = 1 ] && ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi
# The browser tests of `make test` drive Debian's Chromium.
if [ "$with_npm" = 1 ]; then
  PACKAGES+=(chromium)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
install_debian_packages() {
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null; then
    SUDO=(sudo)
  else
    echo "install-deps: missing packages (${missing[*]}) and not root; install them or run as root" >&2
    exit 1
  fi

  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  # Debian starts the packaged nginx on install; Vantus runs its own instances, so keep it off.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${SUDO[@]}" chmod 755 /usr/sbin/policy-rc.d
    trap '"${SUDO[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
[ ${#missing[@]} -eq 0 ] || install_debian_packages

# npm packages (the OpenAPI linter and the response contract checker), pinned by
# tools/api-lint/package-lock.json. A machine that has an older set (redocly but not ajv)
# gets the whole set again.
root="$(cd "$(dirname "$0")/.." && pwd)"
api_lint="$root/tools/api-lint"
if [ "$with_npm" = 0 ]; then
  :
elif [ ! -x "$api_lint/node_modules/.bin/redocly" ] || [ ! -f "$api_lint/node_modules/ajv/package.json" ] ||
  [ ! -f "$api_lint/node_modules/ajv-formats/package.json" ] ||
  [ ! -f "$api_lint/node_modules/yaml/package.json" ]; then
  echo "install-deps: installing npm packages in tools/api-lint"
  npm ci --prefix "$api_lint" --no-audit --no-fund --loglevel=error >/dev/null
fi
# playwright-core and axe-core for the browser tests, pinned by tests/browser/package-lock.json;
# playwright-core drives the Debian chromium above and downloads no browser of its own.
browser_tests="$root/tests/browser"
if [ "$with_npm" = 1 ] && { [ ! -f "$browser_tests/node_modules/playwright-core/package.json" ] ||
  [ ! -f "$browser_tests/node_modules/axe-core/package.json" ]; }; then
  echo "install-deps: installing npm packages in tests/browser"
  npm ci --prefix "$browser_tests" --no-audit --no-fund --loglevel=error >/dev/null
fi
