#!/usr/bin/env bash
# `php -l` over every PHP file of the plugin and the test plugins; exits non-zero when any fails.
set -euo pipefail
cd "$(dirname "$0")/.."

dirs=(wp-plugin)
[ -d test/wp-plugins ] && dirs+=(test/wp-plugins)

failed=0
count=0
while IFS= read -r -d '' file; do
  count=$((count + 1))
  if ! out=$(php -d display_errors=1 -l "$file" 2>&1); then
    echo "$out" >&2
    failed=$((failed + 1))
  fi
done < <(find "${dirs[@]}" -type f -name '*.php' -print0 | sort -z)

if [ "$count" -eq 0 ]; then
  echo "php-lint: no PHP files under ${dirs[*]}" >&2
  exit 1
fi
if [ "$failed" -gt 0 ]; then
  echo "php-lint: $failed of $count files have errors" >&2
  exit 1
fi
echo "php-lint: $count files OK"
