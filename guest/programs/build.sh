#!/usr/bin/env bash
# Builds every guest test program in src/ into a static AArch64 ELF in bin/,
# and with --expected also records what each one does under its oracle into
# expected/. The oracle is qemu-aarch64 (a real Linux kernel underneath)
# unless the file "oracles" names the program with "native": then the same
# source is compiled for this machine with the native gcc (-static -O2 as
# well) and run on this machine's real kernel, because qemu-aarch64 emulates
# memory management itself and is not exact there (the project's oracle
# notes, reference/oracles.md). Only architecture-neutral programs can use the
# native oracle. A program the file names "reasoned" has no oracle that can
# run it (the memory-pressure programs need a machine with little RAM and a
# zram0 swap device): its expected files are written by hand from the kernel
# source, and --expected builds it but never touches them.
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
# src/dyn_NAME.c is a dynamically linked glibc program: built without -static,
# with the DT_RUNPATH $ORIGIN/../lib, and src/lib/libNAME.c is a shared library
# (-shared -fPIC) built into lib/libNAME.so, where those programs find it with
# dlopen(3). Both run against Debian's cross libc (libc6-arm64-cross) in
# $SYSROOT (default /usr/aarch64-linux-gnu): the oracle runs them with
# "qemu-aarch64 -L $SYSROOT", a64emu finds it by its default lookup.
#
# src/NAME.c is a glibc program (-static -O2, plus its line in the file
# "cflags" when it has one: -O3, -lm, -pthread, -march=...); src/*.h are headers the
# programs share (vmtest.h for the vm_/proc_/sig_ programs, mptest.h for the
# mp_ ones, fstest.h for the fs_/fs2_ ones). src/NAME.S is a bare program with
# its own _start (-nostdlib).
# For expected/: NAME.argv and NAME.envp, when present, give the arguments and
# the whole environment (one per line) of the recorded run, and NAME.stdin its
# standard input (else it is empty); the tests pass the same ones. The run
# writes NAME.stdout, NAME.status (the status as a shell reports it, 128+signal for
# a signal) and NAME.stderr (only when the program itself wrote to stderr;
# qemu's own "qemu:" lines are left out).
#
# NAME.options, when present, holds the options of "a64emu run" for the
# program, one argument a line, put before PROGRAM ("--ram=16M", "--zram=64M",
# "--swappiness=0"): the machine the expected output is for. The tests pass
# them; the oracles ignore them (qemu and this machine's kernel are the
# machine they are, and --expected says so). A program may be run more than
# once, on different machines: each further run is named NAME.VARIANT and has
# its own expected/NAME.VARIANT.options, .argv, .envp, .stdin, .stdout and
# .status (mp_swappiness.swappiness200: the same binary at --swappiness=200).
# Only a reasoned program has variants (an oracle, ignoring the options,
# would print the same for each), and --expected prints the a64emu command of
# each of its runs, for comparing by hand.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

CC="${CC:-aarch64-linux-gnu-gcc}"
QEMU="${QEMU:-qemu-aarch64}"
CFLAGS=(-static -O2 -Wall -Wextra)
DYN_CFLAGS=(-O2 -Wall -Wextra '-Wl,-rpath,$ORIGIN/../lib')
LIB_CFLAGS=(-shared -fPIC -O2 -Wall -Wextra)
SYSROOT="${SYSROOT:-/usr/aarch64-linux-gnu}"

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

mkdir -p bin lib expected
for src in src/lib/lib*.c; do
  [ -e "$src" ] || continue
  lib="$(basename "${src%.c}").so"
  "$CC" "${LIB_CFLAGS[@]}" -o "lib/$lib" "$src"
  echo "built lib/$lib"
done
names=()
for src in src/*.c src/*.S; do
  [ -e "$src" ] || continue
  name="$(basename "${src%.*}")"
  if [ ${#only[@]} -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; then continue; fi
  case "$src" in
    src/dyn_*.c) read -r -a extra <<< "$(extra_cflags "$name")"
         "$CC" "${DYN_CFLAGS[@]}" -o "bin/$name" "$src" ${extra[@]+"${extra[@]}"} ;;
    *.c) read -r -a extra <<< "$(extra_cflags "$name")"
         "$CC" "${CFLAGS[@]}" -o "bin/$name" "$src" ${extra[@]+"${extra[@]}"} ;;
    *.S) "$CC" -static -nostdlib -Wall -o "bin/$name" "$src" ;;
  esac
  names+=("$name")
  echo "built bin/$name"
done

$record || exit 0

command -v "$QEMU" >/dev/null || { echo "build.sh: $QEMU not found (Debian: apt-get install qemu-user)" >&2; exit 1; }

# oracle NAME: "native", "qemu" or "reasoned", from the file "oracles" (lines "NAME ORACLE", # comments).
oracle() {
  local o
  o="$(awk -v n="$1" '$1 == n { print $2 }' oracles 2>/dev/null)"
  echo "${o:-qemu}"
}
# options RUN: the a64emu options of a run (expected/RUN.options, one a line), on one line.
options() {
  [ -f "expected/$1.options" ] || return 0
  grep -v '^[[:space:]]*$' "expected/$1.options" | tr '\n' ' ' | sed 's/ $//'
}
# runs NAME: NAME, then its variant runs NAME.VARIANT (from expected/NAME.VARIANT.options).
runs() {
  local f
  echo "$1"
  for f in expected/"$1".*.options; do
    [ -e "$f" ] || continue
    f="${f#expected/}"
    echo "${f%.options}"
  done
}
native_dir="$(mktemp -d)"
trap 'rm -rf "$native_dir"' EXIT

for name in "${names[@]}"; do
  if [ "$(oracle "$name")" = reasoned ]; then
    # Written by hand from the kernel source: kept as they are.
    for run in $(runs "$name"); do
      echo "kept expected/$run (reasoned); check it with: ./a64emu run $(options "$run") guest/programs/bin/$name"
    done
    continue
  fi
  if [ -n "$(options "$name")" ]; then
    echo "expected/$name.options ($(options "$name")) is for a64emu; the oracle runs on this machine"
  fi
  # The native build keeps the program's name, so /proc/self/comm and the
  # like read the same as for bin/NAME.
  runner=("$QEMU" "bin/$name")
  case "$name" in dyn_*) runner=("$QEMU" -L "$SYSROOT" "bin/$name") ;; esac
  if [ "$(oracle "$name")" = native ]; then
    native_flags=("${CFLAGS[@]}")
    case "$name" in dyn_*) native_flags=("${DYN_CFLAGS[@]}") ;; esac
    "${NATIVE_CC:-gcc}" "${native_flags[@]}" -o "$native_dir/$name" "src/$name.c"
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
