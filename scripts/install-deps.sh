#!/usr/bin/env bash
# Installs what the stack needs (MariaDB, PHP CLI + mysqli, WordPress, openssl, zip/unzip for the plugin zip,
# systemd-analyze for the unit file's check, Chromium for the admin screen's browser tests, node_modules);
# near-instant when present.
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }

missing=()
have mariadbd || missing+=(mariadbd)
have mariadb-install-db || missing+=(mariadb-install-db)
have php || missing+=(php)
have openssl || missing+=(openssl)
have zip || missing+=(zip)
have unzip || missing+=(unzip)
have systemd-analyze || missing+=(systemd-analyze)
[ -f /usr/share/wordpress/wp-load.php ] || missing+=(/usr/share/wordpress)
# Debian's Chromium: Playwright's own browser downloads are not reachable from these machines.
[ -x /usr/bin/chromium ] || missing+=(chromium)
if have php && ! php -m 2>/dev/null | grep -qx mysqli; then missing+=(php-mysql); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: missing ${missing[*]}; installing Debian packages" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q mariadb-server php-cli php-mysql wordpress openssl zip unzip systemd chromium
fi

# node_modules/.package-lock.json is npm's record of the last install; older than package-lock.json = stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-deps: installing node_modules" >&2
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
