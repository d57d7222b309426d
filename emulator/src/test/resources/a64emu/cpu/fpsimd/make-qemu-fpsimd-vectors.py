#!/usr/bin/env python3
"""Builds qemu-fpsimd-vectors.txt: scalar FP and Advanced SIMD data-processing
instructions executed by qemu-aarch64 -cpu cortex-a53 (an oracle no one here wrote).

Random words are drawn from the non-memory encodings of a64emu's own tables
(FloatingPoint.java, AdvSimd*.java: the fixed bits of each pattern, the rest random, so
reserved sizes and arrangements occur too). Each runs once in a static program with
random values in the registers its fields name (all others zero), a random NZCV and an
FPCR with a random rounding mode and sometimes DN/FZ. The file records the inputs, every
register qemu changed, NZCV and FPSR, or UNDEF when qemu raised SIGILL.
QemuFpSimdVectorsTest replays them.

Needs aarch64-linux-gnu-gcc/-as/-objdump and qemu-aarch64. Usage:
    make-qemu-fpsimd-vectors.py SEED COUNT > qemu-fpsimd-vectors.txt
"""
import glob
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ISA = os.path.join(HERE, '../../../../../main/java/a64emu/cpu/isa')
GPR = {'FP_INT_CONVERT', 'FP_FIXED_CONVERT', 'DUP_GENERAL', 'SMOV', 'UMOV', 'INS_GENERAL'}
STATE = 768  # X0-X26 @0, V0-V31 @224, NZCV @736, FPCR @744, FPSR @752

HARNESS_C = r"""#include <signal.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#define SS 768
extern void run_case(uint8_t *state, void (*stub)(void));
static sigjmp_buf jb;
static void onill(int s) { (void)s; siglongjmp(jb, 1); }
int main(int argc, char **argv) {
    FILE *fw = fopen(argv[1], "rb"), *fs = fopen(argv[2], "rb");
    fseek(fw, 0, SEEK_END); long n = ftell(fw) / 4; rewind(fw);
    uint32_t *words = malloc(n * 4); fread(words, 4, n, fw);
    uint8_t *st = malloc(n * SS); fread(st, SS, n, fs);
    uint8_t *status = calloc(n, 1);
    uint32_t *stub = mmap(0, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
    struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = onill; sa.sa_flags = SA_NODEFER;
    sigaction(SIGILL, &sa, 0);
    sigaction(SIGSEGV, &sa, 0);
    sigaction(SIGBUS, &sa, 0);
    uint8_t *buf = mmap((void*)0x200000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0);
    if (buf != (void*)0x200000) { perror("mmap"); return 1; }
    for (long i = 0; i < n; i++) {
        stub[0] = words[i]; stub[1] = 0xd65f03c0;
        __builtin___clear_cache((char*)stub, (char*)(stub + 2));
        for (int k = 0; k < 8192; k++) buf[k] = (uint8_t)(k * 131 + i * 7 + (k >> 8));
        if (sigsetjmp(jb, 1)) { status[i] = 1; __asm__ volatile("msr fpcr, xzr"); continue; }
        run_case(st + i * SS, (void(*)(void))stub);
        uint64_t h = 1469598103934665603ULL;
        for (int k = 0; k < 8192; k++) { h ^= buf[k]; h *= 1099511628211ULL; }
        memcpy(st + i * SS + 760, &h, 8);
    }
    FILE *fo = fopen(argv[3], "wb"); fwrite(st, SS, n, fo); fwrite(status, 1, n, fo); fclose(fo);
    return 0;
}
"""
RUN_CASE_S = r"""    .text
    .global run_case
// x0 = state block (768 bytes: X0-X26 @0, V0-V31 @224, NZCV @736, FPCR @744, FPSR @752), x1 = stub
run_case:
    stp x29, x30, [sp, #-192]!
    stp x19, x20, [sp, #16]
    stp x21, x22, [sp, #32]
    stp x23, x24, [sp, #48]
    stp x25, x26, [sp, #64]
    stp x27, x28, [sp, #80]
    stp d8, d9, [sp, #96]
    stp d10, d11, [sp, #112]
    stp d12, d13, [sp, #128]
    stp d14, d15, [sp, #144]
    str x0, [sp, #160]
    mov x30, x1
    mov x28, x0
    add x27, x28, #224
    ldp q0, q1, [x27, #0]
    ldp q2, q3, [x27, #32]
    ldp q4, q5, [x27, #64]
    ldp q6, q7, [x27, #96]
    ldp q8, q9, [x27, #128]
    ldp q10, q11, [x27, #160]
    ldp q12, q13, [x27, #192]
    ldp q14, q15, [x27, #224]
    ldp q16, q17, [x27, #256]
    ldp q18, q19, [x27, #288]
    ldp q20, q21, [x27, #320]
    ldp q22, q23, [x27, #352]
    ldp q24, q25, [x27, #384]
    ldp q26, q27, [x27, #416]
    ldp q28, q29, [x27, #448]
    ldp q30, q31, [x27, #480]
    ldr x0, [x28, #736]
    msr nzcv, x0
    ldr x0, [x28, #744]
    msr fpcr, x0
    msr fpsr, xzr
    ldp x0, x1, [x28, #0]
    ldp x2, x3, [x28, #16]
    ldp x4, x5, [x28, #32]
    ldp x6, x7, [x28, #48]
    ldp x8, x9, [x28, #64]
    ldp x10, x11, [x28, #80]
    ldp x12, x13, [x28, #96]
    ldp x14, x15, [x28, #112]
    ldp x16, x17, [x28, #128]
    ldp x18, x19, [x28, #144]
    ldp x20, x21, [x28, #160]
    ldp x22, x23, [x28, #176]
    ldp x24, x25, [x28, #192]
    ldr x26, [x28, #208]
    blr x30
    ldr x28, [sp, #160]
    stp x0, x1, [x28, #0]
    stp x2, x3, [x28, #16]
    stp x4, x5, [x28, #32]
    stp x6, x7, [x28, #48]
    stp x8, x9, [x28, #64]
    stp x10, x11, [x28, #80]
    stp x12, x13, [x28, #96]
    stp x14, x15, [x28, #112]
    stp x16, x17, [x28, #128]
    stp x18, x19, [x28, #144]
    stp x20, x21, [x28, #160]
    stp x22, x23, [x28, #176]
    stp x24, x25, [x28, #192]
    str x26, [x28, #208]
    add x27, x28, #224
    stp q0, q1, [x27, #0]
    stp q2, q3, [x27, #32]
    stp q4, q5, [x27, #64]
    stp q6, q7, [x27, #96]
    stp q8, q9, [x27, #128]
    stp q10, q11, [x27, #160]
    stp q12, q13, [x27, #192]
    stp q14, q15, [x27, #224]
    stp q16, q17, [x27, #256]
    stp q18, q19, [x27, #288]
    stp q20, q21, [x27, #320]
    stp q22, q23, [x27, #352]
    stp q24, q25, [x27, #384]
    stp q26, q27, [x27, #416]
    stp q28, q29, [x27, #448]
    stp q30, q31, [x27, #480]
    mrs x0, nzcv
    str x0, [x28, #736]
    mrs x0, fpsr
    str x0, [x28, #752]
    msr fpcr, xzr
    ldp x19, x20, [sp, #16]
    ldp x21, x22, [sp, #32]
    ldp x23, x24, [sp, #48]
    ldp x25, x26, [sp, #64]
    ldp x27, x28, [sp, #80]
    ldp d8, d9, [sp, #96]
    ldp d10, d11, [sp, #112]
    ldp d12, d13, [sp, #128]
    ldp d14, d15, [sp, #144]
    ldp x29, x30, [sp], #192
    ret
"""


def patterns():
    pats = []
    for path in sorted(glob.glob(os.path.join(ISA, '*.java'))):
        name = os.path.basename(path)
        if not (name.startswith('FloatingPoint') or name.startswith('AdvSimd')):
            continue
        for m in re.finditer(r'Encoding\.of\("(\w+)",\s*"([01a-zA-Z-]{32})"', open(path).read()):
            pats.append((m.group(1), m.group(2)))
    return pats


def make_word(rng, name, pattern):
    w = 0
    for i, c in enumerate(pattern):
        if c == '1' or (c not in '01' and rng.random() < 0.5):
            w |= 1 << (31 - i)
    if name in GPR:
        for shift in (0, 5, 16):
            if (w >> shift) & 31 > 26:
                w = (w & ~(31 << shift)) | (rng.randrange(27) << shift)
    if name.startswith('FP_') or name in ('FCCMP', 'FCSEL', 'FMOV_IMM'):
        w = (w & ~(3 << 22)) | (rng.choice([0, 1, 0, 1, 3, 2]) << 22)
    if name == 'FP_COMPARE':
        w &= ~7
    return w


DOUBLES = [0.0, -0.0, 1.0, -1.0, 1.5, 2.5, -2.5, 0.5, 3.14159, 1e300, -1e300, 1e-310, 2.0 ** 63,
           2.0 ** 64, -2.0 ** 63, 2.0 ** 31, 4294967296.0, 1e10, 0.1, 2.0 ** -1022]
FLOATS = [0.0, -0.0, 1.0, -1.0, 1.5, 2.5, -2.5, 0.5, 3.14159, 3e38, -3e38, 1e-40, 2.0 ** 31,
          2.0 ** 32, -2.0 ** 31, 1e10, 0.1, 65504.0, 2.0 ** -126]


def d64(rng):
    r = rng.random()
    if r < 0.4:
        return struct.unpack('<Q', struct.pack('<d', rng.choice(DOUBLES)))[0]
    if r < 0.5:
        return rng.choice([0x7ff8000000000000, 0x7ff0000000000001, 0xfff4000000000123,
                           0x7ff0000000000000, 0xfff0000000000000])
    if r < 0.6:
        return rng.choice([0, 1, 2 ** 63, 2 ** 64 - 1, 2 ** 63 - 1, 0x80000000, 0xffffffff])
    if r < 0.75:
        return struct.unpack('<Q', struct.pack('<d', rng.uniform(-1e6, 1e6)))[0]
    return rng.getrandbits(64)


def s32(rng):
    r = rng.random()
    if r < 0.4:
        return struct.unpack('<I', struct.pack('<f', rng.choice(FLOATS)))[0]
    if r < 0.5:
        return rng.choice([0x7fc00000, 0x7f800001, 0xffa00123, 0x7f800000, 0xff800000])
    if r < 0.75:
        return struct.unpack('<I', struct.pack('<f', rng.uniform(-1e4, 1e4)))[0]
    return rng.getrandbits(32)


def lane64(rng):
    r = rng.random()
    if r < 0.4:
        return d64(rng)
    if r < 0.7:
        return s32(rng) | (s32(rng) << 32)
    if r < 0.85:
        return int.from_bytes(bytes(rng.choice([0, 0x61, 0xff, 0x80, 0x7f, 1]) for _ in range(8)), 'little')
    return rng.getrandbits(64)


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    pats = patterns()
    cases = []
    for _ in range(count):
        name, pattern = rng.choice(pats)
        w = make_word(rng, name, pattern)
        regs = sorted({(w >> s) & 31 for s in (0, 5, 10, 16)})
        # TBL/TBX read up to four table registers from Rn on.
        vregs = sorted(set(regs) | {((w >> 5) + k) & 31 for k in range(4) if name == 'TBL_TBX'})
        xs = {r: rng.choice([d64(rng), s32(rng), rng.getrandbits(64), rng.getrandbits(8)])
              for r in regs if r < 27 and name in GPR}
        vs = {r: (lane64(rng), lane64(rng)) for r in vregs}
        nzcv = rng.getrandbits(4) << 28
        fpcr = 0
        if rng.random() < 0.3:
            fpcr |= rng.getrandbits(2) << 22
        if rng.random() < 0.1:
            fpcr |= 1 << 25
        if rng.random() < 0.1:
            fpcr |= 1 << 24
        cases.append((w, xs, vs, nzcv, fpcr))

    with tempfile.TemporaryDirectory() as tmp:
        def p(f):
            return os.path.join(tmp, f)
        open(p('harness.c'), 'w').write(HARNESS_C)
        open(p('run_case.S'), 'w').write(RUN_CASE_S)
        subprocess.run(['aarch64-linux-gnu-gcc', '-static', '-O2', '-o', p('harness'),
                        p('harness.c'), p('run_case.S')], check=True)
        with open(p('words.bin'), 'wb') as fw, open(p('states.bin'), 'wb') as fs:
            for w, xs, vs, nzcv, fpcr in cases:
                fw.write(struct.pack('<I', w))
                st = bytearray(STATE)
                for r, v in xs.items():
                    struct.pack_into('<Q', st, 8 * r, v)
                for r, (lo, hi) in vs.items():
                    struct.pack_into('<QQ', st, 224 + 16 * r, lo, hi)
                struct.pack_into('<QQ', st, 736, nzcv, fpcr)
                fs.write(bytes(st))
        subprocess.run(['qemu-aarch64', '-cpu', 'cortex-a53', p('harness'), p('words.bin'),
                        p('states.bin'), p('out.bin')], check=True)
        out = open(p('out.bin'), 'rb').read()
        open(p('d.s'), 'w').write(''.join('.inst 0x%08x\n' % c[0] for c in cases))
        subprocess.run(['aarch64-linux-gnu-as', p('d.s'), '-o', p('d.o')], check=True)
        dis = subprocess.run(['aarch64-linux-gnu-objdump', '-d', p('d.o')], check=True,
                             capture_output=True, text=True).stdout
    text = [line.split('\t', 2)[2].replace('\t', ' ') if line.count('\t') >= 2 else '?'
            for line in dis.splitlines() if re.match(r'\s+[0-9a-f]+:\t', line)]

    print('# Scalar FP / Advanced SIMD results from qemu-aarch64 -cpu cortex-a53; made by'
          ' make-qemu-fpsimd-vectors.py %d %d.' % (seed, count))
    print('# word fpcr nzcv | inputs (all other X/V registers 0) | changed registers, nzcv, fpsr, or UNDEF | disassembly')
    for i, (w, xs, vs, nzcv, fpcr) in enumerate(cases):
        ins = ' '.join(['x%d=%x' % (r, v) for r, v in sorted(xs.items())] +
                       ['v%d=%x,%x' % (r, lo, hi) for r, (lo, hi) in sorted(vs.items())])
        if out[count * STATE + i]:
            result = 'UNDEF'
        else:
            base = i * STATE
            changes = []
            for r in range(27):
                after = struct.unpack_from('<Q', out, base + 8 * r)[0]
                if after != xs.get(r, 0):
                    changes.append('x%d=%x' % (r, after))
            for r in range(32):
                lo, hi = struct.unpack_from('<QQ', out, base + 224 + 16 * r)
                if (lo, hi) != vs.get(r, (0, 0)):
                    changes.append('v%d=%x,%x' % (r, lo, hi))
            after_nzcv, = struct.unpack_from('<Q', out, base + 736)
            fpsr, = struct.unpack_from('<Q', out, base + 752)
            result = ' '.join(changes + ['nzcv=%x' % after_nzcv, 'fpsr=%x' % fpsr])
        print('%08x %x %x | %s | %s | %s' % (w, fpcr, nzcv, ins, result, text[i] if i < len(text) else '?'))


if __name__ == '__main__':
    main()
