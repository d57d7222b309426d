#!/usr/bin/env bash
# Builds the benchmark's guest programs (src/*.c, no C library) into static
# AArch64 ELF files in bin/, which are committed so that the benchmark needs
# no cross compiler. Needs Debian's gcc-aarch64-linux-gnu.
#
#   bench/programs/build.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
CC="${CC:-aarch64-linux-gnu-gcc}"
command -v "$CC" >/dev/null || { echo "build.sh: $CC not found (Debian: apt-get install gcc-aarch64-linux-gnu)" >&2; exit 1; }
mkdir -p bin
for src in src/*.c; do
  name="$(basename "${src%.c}")"
  "$CC" -static -nostdlib -ffreestanding -fno-builtin -fno-stack-protector -O2 -Wall -Wextra \
    -Wl,--build-id=none -o "bin/$name" "$src"
done
