#!/usr/bin/env bash
# Fails naming every C++ file that clang-format (the version scripts/install-deps.sh installs)
# would change; `make format` fixes them.
set -euo pipefail
cd "$1"
formatter=clang-format-16
command -v "$formatter" >/dev/null || { echo "$formatter is missing: run scripts/install-deps.sh"; exit 1; }
bad=()
while IFS= read -r file; do
  "$formatter" --dry-run --Werror "$file" >/dev/null 2>&1 || bad+=("$file")
done < <(git ls-files '*.cc' '*.h')
if [ "${#bad[@]}" -gt 0 ]; then
  printf 'not clang-formatted (run make format): %s\n' "${bad[@]}"
  exit 1
fi
echo "every C++ file is clang-formatted"
