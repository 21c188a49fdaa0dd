#!/usr/bin/env bash
# Builds the wp-admin screen (admin/ → wp-plugin/build/) with @wordpress/scripts when the build is missing or older
# than its sources (admin/, the shared/ contracts it imports, package-lock.json); near-instant otherwise.
# FCWH_ADMIN_BUILD=force rebuilds regardless.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=wp-plugin/build/admin.asset.php
if [ "${FCWH_ADMIN_BUILD:-}" != force ] && [ -f "$stamp" ] &&
  [ -z "$(find admin shared package-lock.json -newer "$stamp" -type f -not -path '*/node_modules/*' -print -quit)" ]; then
  exit 0
fi
echo "build-admin: building the admin screen into wp-plugin/build/" >&2
rm -rf wp-plugin/build
(cd admin && NODE_ENV=production ../node_modules/.bin/wp-scripts build --config webpack.config.js --no-color >/dev/null) || {
  echo "build-admin: the build failed; rerun \`cd admin && npx wp-scripts build --config webpack.config.js\` to see why" >&2
  exit 1
}
[ -f "$stamp" ] || { echo "build-admin: $stamp was not written" >&2; exit 1; }
