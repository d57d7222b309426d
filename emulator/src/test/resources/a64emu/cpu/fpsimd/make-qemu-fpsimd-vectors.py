#!/usr/bin/env python3
"""Builds qemu-fpsimd-vectors.txt: scalar FP and Advanced SIMD data-processing
instructions executed by qemu-aarch64 -cpu cortex-a53 (an oracle no one here wrote).

Random words are drawn from the non-memory encodings of a64emu's own tables
(FloatingPoint.java, AdvSimd*.java: the fixed bits of each pattern, the rest random, so
reserved sizes and arrangements occur too). Each runs once in a static program with
random values in the registers its fields name (all others zero), a random NZCV and an
FPCR with a random rounding mode and sometimes DN/FZ. The file records the inputs, every
register qemu changed, NZCV and FPSR, or UNDEF when qemu raised SIGILL.
QemuFpSimdVectorsTest replays them. What this and ../ext/make-qemu-ext-vectors.py share is in
../qemu_recorder.py.

Needs aarch64-linux-gnu-gcc/-as/-objdump and qemu-aarch64. Usage:
    make-qemu-fpsimd-vectors.py SEED COUNT > qemu-fpsimd-vectors.txt
"""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.dont_write_bytecode = True  # no __pycache__ among the test resources
import qemu_recorder as rec  # noqa: E402


def patterns():
    return [(name, pattern) for file, name, pattern in rec.encodings()
            if file.startswith('FloatingPoint') or file.startswith('AdvSimd')]


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    pats = patterns()
    cases = []
    for _ in range(count):
        name, pattern = rng.choice(pats)
        w = rec.make_word(rng, name, pattern)
        regs = sorted({(w >> s) & 31 for s in (0, 5, 10, 16)})
        # TBL/TBX read up to four table registers from Rn on.
        vregs = sorted(set(regs) | {((w >> 5) + k) & 31 for k in range(4) if name == 'TBL_TBX'})
        xs = {r: rec.x_value(rng) for r in regs if r < 27 and name in rec.GPR}
        vs = {r: rec.v_value(rng) for r in vregs}
        nzcv = rng.getrandbits(4) << 28
        fpcr = rec.random_fpcr(rng)
        cases.append((w, xs, vs, nzcv, fpcr))

    out, text = rec.run(cases, rec.HARNESS_C, 'cortex-a53')

    print('# Scalar FP / Advanced SIMD results from qemu-aarch64 -cpu cortex-a53; made by'
          ' make-qemu-fpsimd-vectors.py %d %d.' % (seed, count))
    print('# word fpcr nzcv | inputs (all other X/V registers 0) | changed registers, nzcv, fpsr, or UNDEF | disassembly')
    for i, case in enumerate(cases):
        _, xs, vs, _, _ = case
        if rec.status(out, count, i):
            result = 'UNDEF'
        else:
            result = ' '.join(rec.changed_registers(out, i, xs, vs) + rec.flags(out, i))
        print(rec.record_line(case, result, text[i]))


if __name__ == '__main__':
    main()
