#!/usr/bin/env bash
# Builds dist/fluent-community-webhooks.zip (Plugins → Add New → Upload): wp-plugin/ as fluent-community-webhooks/,
# generated contracts, the built admin screen (scripts/build-admin.sh) and readme.txt included, dotfiles and editor
# leftovers left out. FCWH_DIST=DIR writes elsewhere. Reproducible: names sorted, times set to SOURCE_DATE_EPOCH
# (default: the last commit's time).
set -euo pipefail
cd "$(dirname "$0")/.."

slug=fluent-community-webhooks
out_dir=$(mkdir -p "${FCWH_DIST:-dist}" && cd "${FCWH_DIST:-dist}" && pwd)
out="$out_dir/$slug.zip"

fail() { echo "build-plugin: $*" >&2; exit 1; }
command -v zip >/dev/null 2>&1 || fail "the zip command is missing: run \`npm run setup\` (Debian package zip)"
bash scripts/build-admin.sh
node --import tsx scripts/generate-php.ts --check >/dev/null ||
  fail "wp-plugin/generated/contracts.php is stale: run \`npm run generate\` and commit it"
for file in "$slug.php" readme.txt uninstall.php generated/contracts.php build/admin.asset.php build/admin.js; do
  [ -f "wp-plugin/$file" ] || fail "wp-plugin/$file is missing"
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$slug"
cp -R wp-plugin/. "$stage/$slug/"
find "$stage/$slug" -mindepth 1 \( -name '.*' -o -name '*~' -o -name '*.swp' -o -name '*.orig' -o -name '*.rej' \) \
  -prune -exec rm -rf {} +
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
find "$stage/$slug" -exec touch -h -d "@$epoch" {} +
find "$stage/$slug" -type d -exec chmod 755 {} + -o -type f -exec chmod 644 {} +

rm -f "$out"
(cd "$stage" && find "$slug" -print | LC_ALL=C sort | TZ=UTC zip -X -q -D -@ "$out")
echo "build-plugin: $out ($(unzip -Z1 "$out" | wc -l) files, $(wc -c <"$out") bytes)"
