#!/usr/bin/env bash
# Install the Debian packages listed in the file given as $1 that are missing.
# Needs root (or sudo); says what to run when it cannot install them itself.
set -euo pipefail
mapfile -t wanted < <(grep -v '^\s*#' "$1" | grep -v '^\s*$')
# A package that another installed package provides is there too (NodeSource's
# nodejs provides npm; installing Debian's npm would replace that nodejs).
provided=$(dpkg-query -W -f='${db:Status-Abbrev}|${Provides}\n' | awk -F'|' '$1 ~ /^ii/ {print $2}' |
  tr ',' '\n' | sed 's/(.*)//; s/[[:space:]]//g')
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" ||
    grep -qx "$package" <<<"$provided" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "Missing Debian packages: ${missing[*]}. Install them as root:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
