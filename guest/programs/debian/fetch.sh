#!/usr/bin/env bash
# Makes a scratch sysroot of unmodified Debian 12 arm64 binaries for the
# corpus test (tools/src/test/java/a64emu/tools/DebianCorpusTest.java): every
# package named in the file "packages" beside this script is fetched with
# 'apt-get download NAME:arm64' and unpacked with 'dpkg -x' into DIR. Nothing
# is installed on the host; the host's dpkg only learns that arm64 packages
# exist (dpkg --add-architecture arm64, then apt-get update), which needs root.
#
#   guest/programs/debian/fetch.sh DIR
#
# Running it again with the same package list does nothing: DIR/.packages
# records the list it was made from.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
root="$1"

mapfile -t packages < <(grep -v '^[[:space:]]*\(#\|$\)' "$here/packages")
if [ -f "$root/.packages" ] && [ "$(cat "$root/.packages")" = "${packages[*]} (merged /usr)" ]; then
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $sudo dpkg --add-architecture arm64
  $sudo apt-get update -q
elif ! apt-cache show coreutils:arm64 >/dev/null 2>&1; then
  $sudo apt-get update -q
fi

debs="$(mktemp -d)"
trap 'rm -rf "$debs"' EXIT
# apt-get download writes into the current directory, and as root warns that
# its sandbox user cannot: let it.
chmod 777 "$debs"
(cd "$debs" && apt-get download -q "${packages[@]/%/:arm64}")

rm -rf "$root"
mkdir -p "$root"
for deb in "$debs"/*.deb; do
  dpkg -x "$deb" "$root"
done
# Debian 12 installs with a merged /usr (/bin, /sbin and /lib are links into
# /usr), so /usr/bin/touch and /bin/touch are one file there; dpkg -x leaves
# the directories apart. Merge them as usrmerge does.
for d in bin sbin lib; do
  if [ -d "$root/$d" ] && [ ! -L "$root/$d" ]; then
    mkdir -p "$root/usr/$d"
    cp -a -n "$root/$d/." "$root/usr/$d/"
    rm -rf "${root:?}/$d"
    ln -s "usr/$d" "$root/$d"
  fi
done
echo "${packages[*]} (merged /usr)" > "$root/.packages"
echo "fetch.sh: ${#packages[@]} Debian arm64 packages unpacked into $root"
