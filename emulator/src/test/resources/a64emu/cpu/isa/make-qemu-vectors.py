#!/usr/bin/env python3
"""Builds qemu-vectors.txt: integer data-processing instructions executed by qemu-aarch64.

Random words from the "Data Processing -- Immediate" and "-- Register" groups (Rd, Rn,
Rm, Ra limited to X0-X7), kept if aarch64-linux-gnu-objdump decodes them and they are
not from an extension a64emu does not implement, are each run once in a static program
under qemu-aarch64 with random X0-X7 and NZCV. The file records the inputs and the
registers and flags qemu produced; DataProcessingQemuVectorsTest replays them.

Needs aarch64-linux-gnu-as/-ld/-objdump and qemu-aarch64. Usage:
    make-qemu-vectors.py SEED COUNT > qemu-vectors.txt
"""
import os
import random
import subprocess
import sys
import tempfile

# Extensions a64emu does not implement (FEAT_MTE, FEAT_FlagM, FEAT_CSSC, FEAT_PAuth).
SKIP = {'addg', 'subg', 'irg', 'gmi', 'subp', 'subps', 'cmpp', 'rmif', 'setf8', 'setf16',
        'cfinv', 'smax', 'smin', 'umax', 'umin', 'abs', 'cnt', 'ctz',
        'pacia', 'pacib', 'pacda', 'pacdb', 'autia', 'autib', 'autda', 'autdb',
        'paciza', 'pacizb', 'pacdza', 'pacdzb', 'autiza', 'autizb', 'autdza', 'autdzb',
        'xpaci', 'xpacd', 'pacga'}


def candidates(rng, count):
    words = []
    for _ in range(count):
        w = rng.getrandbits(32)
        if rng.randrange(2) == 0:
            w = (w & ~(0x7 << 26)) | (0x4 << 26)                     # op0 = 100x
        else:
            w = (w & ~(0xF << 25)) | (0x5 << 25) | (rng.randrange(2) << 28)  # op0 = x101
        w &= ~((3 << 3) | (3 << 8) | (3 << 19))                        # Rd, Rn, Rm < 8
        if ((w >> 24) & 0x1F) == 0x1B:
            w &= ~(3 << 13)                                           # Ra < 8
        words.append(w)
    return words


def value(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return rng.getrandbits(64)
    if kind == 1:
        return rng.choice([0, 1, 2**64 - 1, 2**63, 2**63 - 1, 2**31, 2**31 - 1, 2**32 - 1, 2**32])
    if kind == 2:
        return rng.getrandbits(32)
    if kind == 3:
        return rng.getrandbits(8)
    if kind == 4:
        return 2**64 - 1 - rng.getrandbits(16)
    return rng.getrandbits(64) & 0xFFFFFFFF80000000


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp()
    src = os.path.join(tmp, 'cand.s')
    with open(src, 'w') as f:
        f.writelines('.inst 0x%08x\n' % w for w in candidates(rng, count * 4))
    run(['aarch64-linux-gnu-as', src, '-o', src + '.o'])
    dis = run(['aarch64-linux-gnu-objdump', '-d', src + '.o'], text=True).stdout
    cases = []
    for line in dis.splitlines():
        parts = line.split('\t')
        if len(parts) < 3 or 'undefined' in line or not parts[0].strip().endswith(':'):
            continue
        mnemonic = parts[2].strip()
        if mnemonic in SKIP:
            continue
        text = (mnemonic + ' ' + (parts[3] if len(parts) > 3 else '')).strip()
        cases.append((int(parts[1].replace(' ', ''), 16), text.split(' <')[0]))
        if len(cases) == count:
            break
    inputs = [[value(rng) for _ in range(8)] + [rng.randrange(16) << 28] for _ in cases]

    asm = ['.global _start', '.text', '_start:', '  adr x20, inputs', '  adr x21, outputs']
    for w, _ in cases:
        asm += ['  ldp x0, x1, [x20], #16', '  ldp x2, x3, [x20], #16', '  ldp x4, x5, [x20], #16',
                '  ldp x6, x7, [x20], #16', '  ldr x9, [x20], #8', '  msr nzcv, x9',
                '  .inst 0x%08x' % w, '  mrs x9, nzcv',
                '  stp x0, x1, [x21], #16', '  stp x2, x3, [x21], #16', '  stp x4, x5, [x21], #16',
                '  stp x6, x7, [x21], #16', '  str x9, [x21], #8']
    asm += ['  mov x0, #1', '  adr x1, outputs', '  ldr x2, =%d' % (len(cases) * 72), '  mov x8, #64',
            '  svc #0', '  mov x0, #0', '  mov x8, #93', '  svc #0', '.ltorg', '.data', '.balign 16', 'inputs:']
    asm += ['  .quad ' + ', '.join('0x%x' % v for v in vals) for vals in inputs]
    asm += ['.bss', '.balign 16', 'outputs:', '  .skip %d' % (len(cases) * 72)]
    prog = os.path.join(tmp, 'prog')
    with open(prog + '.s', 'w') as f:
        f.write('\n'.join(asm) + '\n')
    run(['aarch64-linux-gnu-as', prog + '.s', '-o', prog + '.o'])
    run(['aarch64-linux-gnu-ld', '-static', '-Ttext=0x400000', prog + '.o', '-o', prog])
    out = run(['qemu-aarch64', prog]).stdout

    print('# Integer data-processing results from qemu-aarch64; made by make-qemu-vectors.py %d %d.' % (seed, count))
    print('# word | x0..x7 nzcv before | x0..x7 nzcv after | disassembly (the instruction is at PC 0x400020 + 52*i)')
    for i, ((w, text), vals) in enumerate(zip(cases, inputs)):
        after = [int.from_bytes(out[i * 72 + r * 8:i * 72 + r * 8 + 8], 'little') for r in range(9)]
        print('%08x | %s | %s | %s' % (w, ' '.join('%x' % v for v in vals), ' '.join('%x' % v for v in after), text))


if __name__ == '__main__':
    main()
