#!/usr/bin/env bash
# Builds the benchmarks' guest programs (src/*.c) into static AArch64 ELF
# files in bin/, which are committed so that the benchmarks need no cross
# compiler. Needs Debian's gcc-aarch64-linux-gnu (and libc6-dev-arm64-cross for
# the glibc programs).
#
#   bench/programs/build.sh               every program into bin/
#   bench/programs/build.sh --native DIR  the freestanding ones for this
#                                         x86_64 host into DIR (the speed
#                                         benchmark's native peer; bench/run
#                                         does this itself, nothing committed)
#
# Two kinds of program:
#   - freestanding (no C library: their own _start and raw system calls from
#     src/nolibc.h, which also has the x86_64 side): faultbench and the speed
#     benchmarks hash, sieve, sort, matmul, ptrchase, pagetouch, and startup;
#   - glibc, static: the speed benchmarks fp, neon (-O3, vectorised) and
#     syscall. They are listed in LIBC below.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

LIBC=(fp neon syscall)
declare -A LIBC_OPT=([fp]=-O2 [neon]=-O3 [syscall]=-O2)
# -fno-tree-loop-distribute-patterns: gcc would turn fill and copy loops into
# calls of memset/memcpy, which a program without a C library does not have.
FREESTANDING_FLAGS=(-static -nostdlib -ffreestanding -fno-builtin -fno-stack-protector
  -fno-tree-loop-distribute-patterns -O2 -Wall -Wextra -Wl,--build-id=none)

is_libc() {
  local p
  for p in "${LIBC[@]}"; do [ "$p" = "$1" ] && return 0; done
  return 1
}

if [ "${1:-}" = "--native" ]; then
  out="${2:?usage: build.sh --native DIR}"
  mkdir -p "$out"
  CC="${HOST_CC:-gcc}"
  [ "$(uname -m)" = x86_64 ] || { echo "build.sh: --native needs an x86_64 host" >&2; exit 1; }
  for src in src/*.c; do
    name="$(basename "${src%.c}")"
    is_libc "$name" && continue
    [ "$name" = faultbench ] && continue # AArch64 only: its system calls are in the file
    "$CC" "${FREESTANDING_FLAGS[@]}" -fno-pie -no-pie -o "$out/$name" "$src"
  done
  exit 0
fi

CC="${CC:-aarch64-linux-gnu-gcc}"
command -v "$CC" >/dev/null || { echo "build.sh: $CC not found (Debian: apt-get install gcc-aarch64-linux-gnu)" >&2; exit 1; }
mkdir -p bin
for src in src/*.c; do
  name="$(basename "${src%.c}")"
  if is_libc "$name"; then
    "$CC" -static "${LIBC_OPT[$name]}" -Wall -Wextra -Wl,--build-id=none -o "bin/$name" "$src" -lm
  elif [ "$name" = faultbench ]; then
    # As it was first built (no nolibc.h), so that the committed binary stays the same.
    "$CC" -static -nostdlib -ffreestanding -fno-builtin -fno-stack-protector -O2 -Wall -Wextra \
      -Wl,--build-id=none -o "bin/$name" "$src"
  else
    "$CC" "${FREESTANDING_FLAGS[@]}" -o "bin/$name" "$src"
  fi
done
