#!/usr/bin/env bash
# Builds a64emu's vDSO image, guest/src/main/resources/a64emu/guest/loader/vdso.so, from
# vdso.S and vdso.lds (linker script with the version script) in this directory, with the
# flags of Linux 6.1's arch/arm64/kernel/vdso/Makefile, then strips it as Linux strips
# vdso.so.dbg (objcopy -S). The image is committed, so building a64emu needs no cross
# compiler; rerun this script (Debian's gcc-aarch64-linux-gnu) after editing the sources:
#
#   guest/src/main/vdso/build.sh
#
# The output depends only on the sources and flags (the build id is a hash of them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../resources/a64emu/guest/loader/vdso.so
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
aarch64-linux-gnu-gcc -nostdlib -shared -fPIC -o "$tmp/vdso.so.dbg" "$here/vdso.S" \
    -Wl,-T,"$here/vdso.lds" -Wl,-soname=linux-vdso.so.1 -Wl,--hash-style=sysv \
    -Wl,--build-id=sha1 -Wl,-Bsymbolic -Wl,--no-undefined -Wl,-n -Wl,--eh-frame-hdr \
    -Wl,-z,max-page-size=4096 -Wl,-z,common-page-size=4096
aarch64-linux-gnu-objcopy -S "$tmp/vdso.so.dbg" "$out"
