#!/usr/bin/env bash
# Builds every guest test program in src/ into a static AArch64 ELF in bin/,
# and with --expected also records what each one does under qemu-aarch64
# (the oracle: a real Linux kernel underneath) into expected/.
#
#   guest/programs/build.sh              rebuild bin/ from src/
#   guest/programs/build.sh --expected   rebuild, then re-record expected/
#
# Needs Debian's gcc-aarch64-linux-gnu; --expected also needs qemu-user.
# Running it again gives the same files: gcc's output depends only on the
# sources and flags, and the recorded runs are deterministic.
#
# src/NAME.c is a glibc program (-static -O2). src/NAME.S is a bare program
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

record=false
case "${1:-}" in
  "") ;;
  --expected) record=true ;;
  *) echo "usage: $0 [--expected]" >&2; exit 2 ;;
esac

command -v "$CC" >/dev/null || { echo "build.sh: $CC not found (Debian: apt-get install gcc-aarch64-linux-gnu)" >&2; exit 1; }

mkdir -p bin expected
names=()
for src in src/*.c src/*.S; do
  [ -e "$src" ] || continue
  name="$(basename "${src%.*}")"
  case "$src" in
    *.c) "$CC" "${CFLAGS[@]}" -o "bin/$name" "$src" ;;
    *.S) "$CC" -static -nostdlib -Wall -o "bin/$name" "$src" ;;
  esac
  names+=("$name")
  echo "built bin/$name"
done

$record || exit 0

command -v "$QEMU" >/dev/null || { echo "build.sh: $QEMU not found (Debian: apt-get install qemu-user)" >&2; exit 1; }

for name in "${names[@]}"; do
  args=() envp=()
  [ -f "expected/$name.argv" ] && mapfile -t args < "expected/$name.argv"
  [ -f "expected/$name.envp" ] && mapfile -t envp < "expected/$name.envp"
  # The inner subshell reports the status; its own stderr (where bash would
  # announce "Segmentation fault") is discarded, the program's is kept.
  stdin=/dev/null
  [ -f "expected/$name.stdin" ] && stdin="expected/$name.stdin"
  status=$( (env -i "${envp[@]}" "$QEMU" "bin/$name" "${args[@]}" \
               > "expected/$name.stdout" 2> "expected/$name.stderr.raw" < "$stdin"
             echo $?) 2>/dev/null )
  echo "$status" > "expected/$name.status"
  grep -v '^qemu:' "expected/$name.stderr.raw" > "expected/$name.stderr" || true
  rm -f "expected/$name.stderr.raw"
  [ -s "expected/$name.stderr" ] || rm -f "expected/$name.stderr"
  echo "recorded expected/$name (status $status)"
done
