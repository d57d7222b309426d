#!/bin/sh
# Rebuilds the process/thread/signal test program the guest kernel's tests run.
# Needs the cross toolchain (Debian: gcc-aarch64-linux-gnu); the output is committed.
set -e
cd "$(dirname "$0")"
aarch64-linux-gnu-gcc -O1 -static -pthread -Wl,--build-id=none -o procs procs.c
