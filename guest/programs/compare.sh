#!/usr/bin/env bash
# Runs one AArch64 program (static, or dynamic against /usr/aarch64-linux-gnu) under qemu-aarch64 (the oracle: a real Linux
# kernel underneath) and under a64emu, and compares what they print and the
# exit status. A C source is compiled first, as build.sh compiles src/*.c.
#
#   guest/programs/compare.sh PROGRAM|SOURCE.c [ARGS...]
#
# Exit status 0 when stdout and the status agree, 1 otherwise. The programs
# get the same environment and an empty stdin. Lines that a64emu or qemu
# write on stderr about themselves ("a64emu: ...", "qemu: ...") are left out
# of the stderr comparison, which is reported but does not decide the result.
# Needs qemu-user, and gcc-aarch64-linux-gnu for a C source.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 PROGRAM|SOURCE.c [ARGS...]" >&2; exit 2; }
program="$1"; shift

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ "$program" == *.c ]]; then
  "${CC:-aarch64-linux-gnu-gcc}" -static -O2 -o "$work/program" "$program" -lm
  program="$work/program"
fi

run() {  # run NAME COMMAND...: stdout, stderr and status into $work/NAME.*
  local name="$1"; shift
  local status
  status=$( ("$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null; echo $?) 2>/dev/null )
  echo "$status" > "$work/$name.status"
  grep -v -e '^a64emu: ' -e '^qemu: ' "$work/$name.err" > "$work/$name.guest-err" || true
}

# -L: a dynamically linked program's interpreter and libraries (a64emu's default lookup).
run qemu "${QEMU:-qemu-aarch64}" -L "${A64EMU_LD_PREFIX:-/usr/aarch64-linux-gnu}" "$program" "$@"
run a64emu "$repo/a64emu" run "$program" "$@"

same=true
if cmp -s "$work/qemu.out" "$work/a64emu.out"; then
  echo "stdout: same ($(wc -c < "$work/qemu.out") bytes)"
else
  echo "stdout: DIFFERENT"; diff "$work/qemu.out" "$work/a64emu.out" | head -40 || true
  same=false
fi
if [ "$(cat "$work/qemu.status")" = "$(cat "$work/a64emu.status")" ]; then
  echo "status: same ($(cat "$work/qemu.status"))"
else
  echo "status: DIFFERENT (qemu-aarch64 $(cat "$work/qemu.status"), a64emu $(cat "$work/a64emu.status"))"
  same=false
fi
if cmp -s "$work/qemu.guest-err" "$work/a64emu.guest-err"; then
  echo "stderr: same"
else
  echo "stderr: different (not decisive)"; diff "$work/qemu.guest-err" "$work/a64emu.guest-err" | head -20 || true
fi
grep -e '^a64emu: ' "$work/a64emu.err" || true
$same
