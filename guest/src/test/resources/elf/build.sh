#!/bin/sh
# Rebuilds the tiny static test programs the guest kernel's tests run.
# Needs the cross toolchain (Debian: gcc-aarch64-linux-gnu); the outputs are committed.
set -e
cd "$(dirname "$0")"
for src in *.S; do
    aarch64-linux-gnu-gcc -nostdlib -static -Wl,--build-id=none -o "${src%.S}" "$src"
done
