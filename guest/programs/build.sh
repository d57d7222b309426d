#!/usr/bin/env bash
# Builds every guest test program in src/ into a static AArch64 ELF in bin/,
# and with --expected also records what each one does under its oracle into
# expected/. The oracle is qemu-aarch64 (a real Linux kernel underneath)
# unless the file "oracles" names the program with "native": then the same
# source is compiled for this machine with the native gcc (-static -O2 as
# well) and run on this machine's real kernel, because qemu-aarch64 emulates
# memory management itself and is not exact there (the project's oracle
# notes, reference/oracles.md). Only architecture-neutral programs can use the
# native oracle.
#
#   guest/programs/build.sh                       rebuild bin/ from src/
#   guest/programs/build.sh --expected            rebuild, then re-record expected/
#   guest/programs/build.sh [--expected] NAME...  the same for the named programs only
#
# Needs Debian's gcc-aarch64-linux-gnu; --expected also needs qemu-user, and
# gcc with a static libc (libc6-dev) for the native oracle.
# Running it again gives the same files: gcc's output depends only on the
# sources and flags, and the recorded runs are deterministic.
#
# src/NAME.c is a glibc program (-static -O2, plus its line in the file
# "cflags" when it has one: -O3, -lm, -pthread, -march=...); src/*.h are headers the
# programs share (vmtest.h for the vm_/proc_/sig_ programs). src/NAME.S is a bare program
# with its own _start (-nostdlib). For expected/: NAME.argv and NAME.envp,
# when present, give the arguments and the whole environment (one per line)
# of the recorded run, and NAME.stdin its standard input (else it is empty);
# the tests pass the same ones. The run writes
# NAME.stdout, NAME.status (the status as a shell reports it, 128+signal for
# a signal) and NAME.stderr (only when the program itself wrote to stderr;
# qemu's own "qemu:" lines are left out).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

CC="${CC:-aarch64-linux-gnu-gcc}"
QEMU="${QEMU:-qemu-aarch64}"
CFLAGS=(-static -O2 -Wall -Wextra)

# extra_cflags NAME: the flags the file "cflags" adds for NAME (lines "NAME FLAGS...", # comments).
# They come after the source, so libraries (-lm) link and a later -O3 wins.
extra_cflags() {
  awk -v n="$1" '$1 == n { $1 = ""; print }' cflags 2>/dev/null
}

record=false
if [ "${1:-}" = --expected ]; then record=true; shift; fi
case "${1:-}" in
  -*) echo "usage: $0 [--expected] [NAME...]" >&2; exit 2 ;;
esac
only=("$@")

command -v "$CC" >/dev/null || { echo "build.sh: $CC not found (Debian: apt-get install gcc-aarch64-linux-gnu)" >&2; exit 1; }

mkdir -p bin expected
names=()
for src in src/*.c src/*.S; do
  [ -e "$src" ] || continue
  name="$(basename "${src%.*}")"
  if [ ${#only[@]} -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; then continue; fi
  case "$src" in
    *.c) read -r -a extra <<< "$(extra_cflags "$name")"
         "$CC" "${CFLAGS[@]}" -o "bin/$name" "$src" ${extra[@]+"${extra[@]}"} ;;
    *.S) "$CC" -static -nostdlib -Wall -o "bin/$name" "$src" ;;
  esac
  names+=("$name")
  echo "built bin/$name"
done

$record || exit 0

command -v "$QEMU" >/dev/null || { echo "build.sh: $QEMU not found (Debian: apt-get install qemu-user)" >&2; exit 1; }

# oracle NAME: "native" or "qemu", from the file "oracles" (lines "NAME ORACLE", # comments).
oracle() {
  local o
  o="$(awk -v n="$1" '$1 == n { print $2 }' oracles 2>/dev/null)"
  echo "${o:-qemu}"
}
native_dir="$(mktemp -d)"
trap 'rm -rf "$native_dir"' EXIT

for name in "${names[@]}"; do
  # The native build keeps the program's name, so /proc/self/comm and the
  # like read the same as for bin/NAME.
  runner=("$QEMU" "bin/$name")
  if [ "$(oracle "$name")" = native ]; then
    "${NATIVE_CC:-gcc}" "${CFLAGS[@]}" -o "$native_dir/$name" "src/$name.c"
    runner=("$native_dir/$name")
  fi
  args=() envp=()
  [ -f "expected/$name.argv" ] && mapfile -t args < "expected/$name.argv"
  [ -f "expected/$name.envp" ] && mapfile -t envp < "expected/$name.envp"
  # The inner subshell reports the status; its own stderr (where bash would
  # announce "Segmentation fault") is discarded, the program's is kept.
  stdin=/dev/null
  [ -f "expected/$name.stdin" ] && stdin="expected/$name.stdin"
  status=$( (env -i "${envp[@]}" "${runner[@]}" "${args[@]}" \
               > "expected/$name.stdout" 2> "expected/$name.stderr.raw" < "$stdin"
             echo $?) 2>/dev/null )
  echo "$status" > "expected/$name.status"
  grep -v '^qemu:' "expected/$name.stderr.raw" > "expected/$name.stderr" || true
  rm -f "expected/$name.stderr.raw"
  [ -s "expected/$name.stderr" ] || rm -f "expected/$name.stderr"
  echo "recorded expected/$name (status $status, oracle $(oracle "$name"))"
done
