#!/usr/bin/env python3
"""Builds the qemu-*-vectors.txt files here: instructions executed by qemu-aarch64 -cpu max
(an oracle no one here wrote), which has the v8.x features a64emu implements (LSE, FP16,
FHM, RDM, DotProd, FCMA, JSCVT, FlagM, FRINTTS, SHA3/SHA512, ...), so both the added
instructions and, at random, every Advanced SIMD and FP encoding are checked against it.

Words are drawn from the a64emu encodings whose names match the regular expressions
given on the command line (fixed bits of the pattern, the rest random, so reserved
sizes occur too). Register and FPCR inputs are as in ../fpsimd/make-qemu-fpsimd-vectors.py
(what the two share is in ../qemu_recorder.py), FPCR sometimes with FZ16/AHP as well;
for the memory forms, Rn points into a 8 KiB buffer at 0x200000 filled with a
per-case pattern (sometimes misaligned), and Rs sometimes holds the memory value so
that compare-and-swap succeeds. The file records the inputs, every register qemu
changed, NZCV, FPSR and the changed memory bytes, or UNDEF (SIGILL) / SIGBUS.
QemuExtensionVectorsTest replays them.

Needs aarch64-linux-gnu-gcc/-as/-objdump and qemu-aarch64. Usage:
    make-qemu-ext-vectors.py [--frintts] SEED COUNT NAME_REGEX... > qemu-NAME-vectors.txt
--frintts draws FP_DP1 words from the FEAT_FRINTTS opcodes only. The first line of each
committed qemu-*-vectors.txt records the arguments that made it, e.g.
    make-qemu-ext-vectors.py 1 600 'LD(ADD|CLR|EOR|SET|SMAX|SMIN|UMAX|UMIN)' SWP 'CAS.*' > qemu-lse-vectors.txt
"""
import os
import random
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.dont_write_bytecode = True  # no __pycache__ among the test resources
import qemu_recorder as rec  # noqa: E402

MEMORY = {'LDADD', 'LDCLR', 'LDEOR', 'LDSET', 'LDSMAX', 'LDSMIN', 'LDUMAX', 'LDUMIN', 'SWP', 'CAS', 'CASP'}
GPR = rec.GPR | MEMORY | {'CFINV', 'RMIF', 'SETF8', 'SETF16', 'AXFLAG', 'XAFLAG', 'FJCVTZS'}
# SIMD&FP loads and stores: Rn (and Rm) are general registers, Rt/Rt2 vector registers.
MEMORY_SIMD = {'LDR_STR_SIMD_UIMM', 'LDUR_STUR_SIMD', 'LDR_STR_SIMD_POST', 'LDR_STR_SIMD_PRE',
               'LDR_STR_SIMD_REG', 'LDNP_STNP_SIMD', 'LDP_STP_SIMD_POST', 'LDP_STP_SIMD_OFF',
               'LDP_STP_SIMD_PRE', 'LDST_MULTIPLE', 'LDST_MULTIPLE_POST', 'LDST_SINGLE', 'LDST_SINGLE_POST'}

# The shared harness, changed to keep the buffer after each case and the signal number.
HARNESS_C = rec.HARNESS_C.replace(
    'static void onill(int s) { (void)s; siglongjmp(jb, 1); }',
    'static volatile int sig;\nstatic void onill(int s) { sig = s; siglongjmp(jb, 1); }'
).replace(
    'uint8_t *status = calloc(n, 1);',
    'uint8_t *status = calloc(n, 1); uint8_t *mem = malloc(n * 8192);'
).replace(
    'if (sigsetjmp(jb, 1)) { status[i] = 1; __asm__ volatile("msr fpcr, xzr"); continue; }',
    'if (sigsetjmp(jb, 1)) { status[i] = sig == SIGILL ? 1 : sig == SIGBUS ? 2 : 3; __asm__ volatile("msr fpcr, xzr"); continue; }'
).replace(
    'memcpy(st + i * SS + 760, &h, 8);',
    'memcpy(st + i * SS + 760, &h, 8); memcpy(mem + i * 8192, buf, 8192);'
).replace(
    'fwrite(status, 1, n, fo);',
    'fwrite(status, 1, n, fo); fwrite(mem, 8192, n, fo);')
assert HARNESS_C.count('sig == SIGBUS') == 1 and HARNESS_C.count('fwrite(mem') == 1


def patterns(regexes):
    return [(name, pattern) for _, name, pattern in rec.encodings()
            if any(re.fullmatch(r, name) for r in regexes)]


def main():
    frintts_only = '--frintts' in sys.argv
    args = [a for a in sys.argv[1:] if a != '--frintts']
    seed, count, regexes = int(args[0]), int(args[1]), args[2:]
    rng = random.Random(seed)
    pats = patterns(regexes)
    assert pats, 'no encodings match'
    cases = []
    for i in range(count):
        name, pattern = rng.choice(pats)
        w = rec.make_word(rng, name, pattern)
        if name == 'FP_DP1' and frintts_only:
            # Only the FEAT_FRINTTS opcodes (FRINT32Z/32X/64Z/64X) of the one-source group are
            # new here; ftype 11 would be FEAT_FP16, which qemu -cpu max has and a64emu not.
            w = (w & ~(0x3f << 15) & ~(3 << 22)) | ((0b010000 | rng.randrange(4)) << 15) | (rng.choice([0, 1, 2]) << 22)
        if name in GPR:
            # The harness keeps X0-X26; Rt may also be XZR. CASP also uses Rs+1 and Rt+1.
            limit = 26 if name == 'CASP' else 27
            for shift in (0, 5, 16):
                r = (w >> shift) & 31
                if pattern[31 - shift] in '01-':
                    continue  # fixed bits, not a register field
                if r >= limit and not (shift == 0 and r == 31 and name != 'CASP'):
                    w = (w & ~(31 << shift)) | (rng.randrange(limit) << shift)
        if name in MEMORY_SIMD:
            n = (w >> 5) & 31
            if n >= 27:
                w = (w & ~(31 << 5)) | (rng.randrange(27) << 5)
            if name in ('LDR_STR_SIMD_REG', 'LDST_MULTIPLE_POST', 'LDST_SINGLE_POST'):
                m = (w >> 16) & 31
                if m >= 27 and m != 31:
                    w = (w & ~(31 << 16)) | (rng.choice([31, rng.randrange(27)]) << 16)
            if name == 'LDR_STR_SIMD_UIMM':
                w = (w & ~(0xfff << 10)) | (rng.randrange(64) << 10)
        regs = sorted({(w >> s) & 31 for s in (0, 5, 10, 16)} | ({((w >> 16) + 1) & 31, (w + 1) & 31} if name == 'CASP' else set()))
        vregs = sorted(set(regs) | {((w >> 5) + k) & 31 for k in range(4) if name == 'TBL_TBX'}
                       | {(w + k) & 31 for k in range(4) if name.startswith('LDST_')})
        xs = {r: rec.x_value(rng) for r in regs if r < 27 and name in GPR}
        if name in MEMORY:
            n = (w >> 5) & 31
            off = 16 * rng.randrange(rec.BUFLEN // 16 - 2)
            if rng.random() < 0.1:
                off += rng.randrange(1, 16)
            xs[n] = rec.BUF + off
            s = (w >> 16) & 31
            if name.startswith('CAS') and rng.random() < 0.5 and s < 26 and s != n and s + 1 != n:
                mem = rec.initial_buffer(i)
                size = 8 if name == 'CASP' and (w >> 30) & 1 == 0 else (16 if name == 'CASP' else 1 << (w >> 30))
                word_bytes = mem[off:off + size]
                if name == 'CASP':
                    half = size // 2
                    xs[s] = int.from_bytes(word_bytes[:half], 'little') | (rng.getrandbits(32) << 32 if half == 4 else 0)
                    xs[s + 1] = int.from_bytes(word_bytes[half:], 'little')
                else:
                    xs[s] = int.from_bytes(word_bytes, 'little') | (rng.getrandbits(64 - 8 * size) << (8 * size) if size < 8 else 0)
        if name in MEMORY_SIMD:
            n, m = (w >> 5) & 31, (w >> 16) & 31
            xs = {n: rec.BUF + 2048 + 16 * rng.randrange(256) + (rng.randrange(16) if rng.random() < 0.3 else 0)}
            if name in ('LDR_STR_SIMD_REG', 'LDST_MULTIPLE_POST', 'LDST_SINGLE_POST') and m < 27 and m != n:
                xs[m] = rng.randrange(256)
        vs = {r: rec.v_value(rng) for r in vregs}
        nzcv = rng.getrandbits(4) << 28
        fpcr = rec.random_fpcr(rng, half_precision=True)
        cases.append((w, xs, vs, nzcv, fpcr))

    out, text = rec.run(cases, HARNESS_C, 'max,sve=off,pauth=off',
                        arch='.arch armv8.5-a+crypto+sha3+sm4+fp16+dotprod+rcpc\n',
                        objdump_options=('-M', 'no-aliases'))

    print('# Results from qemu-aarch64 -cpu max,sve=off,pauth=off; made by make-qemu-ext-vectors.py %s %d %s.'
          % ('--frintts ' * frintts_only + str(seed), count, ' '.join(regexes)))
    print('# word fpcr nzcv | inputs (all other X/V registers 0) | changed registers, nzcv, fpsr,'
          ' mOFFSET=changed bytes of the buffer at 0x200000, or UNDEF/SIGBUS/SIGSEGV | disassembly')
    mem_base = count * rec.STATE + count
    for i, case in enumerate(cases):
        _, xs, vs, _, _ = case
        status = rec.status(out, count, i)
        if status:
            result = {1: 'UNDEF', 2: 'SIGBUS', 3: 'SIGSEGV'}[status]
        else:
            changes = rec.changed_registers(out, i, xs, vs)
            before = rec.initial_buffer(i)
            after = out[mem_base + i * rec.BUFLEN: mem_base + (i + 1) * rec.BUFLEN]
            k = 0
            while k < rec.BUFLEN:
                if before[k] != after[k]:
                    j = k
                    while j < rec.BUFLEN and before[j] != after[j]:
                        j += 1
                    changes.append('m%x=%s' % (k, after[k:j].hex()))
                    k = j
                else:
                    k += 1
            result = ' '.join(changes + rec.flags(out, i))
        print(rec.record_line(case, result, text[i]))


if __name__ == '__main__':
    main()
