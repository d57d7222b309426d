"""What fpsimd/make-qemu-fpsimd-vectors.py and ext/make-qemu-ext-vectors.py share: random
instruction words drawn from a64emu's encoding tables and random inputs for them; a static
harness that runs each word once under qemu-aarch64 (an oracle no one here wrote) and keeps
the registers, NZCV and FPSR it leaves; and the record lines a64emu.cpu.QemuVectorReplay
replays:

    word fpcr nzcv | inputs (all other X/V registers 0) | changed registers, nzcv, fpsr, or UNDEF... | disassembly

Not run itself: the two scripts import it from here.
"""
import glob
import os
import re
import struct
import subprocess
import tempfile

ISA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../../main/java/a64emu/cpu/isa')
# Encodings whose register fields name general registers, which the harness keeps only up to X26.
GPR = {'FP_INT_CONVERT', 'FP_FIXED_CONVERT', 'DUP_GENERAL', 'SMOV', 'UMOV', 'INS_GENERAL'}

# The state block of a case, before and after: X0-X26, V0-V31, NZCV, FPCR, FPSR.
STATE = 768
V_AT = 224
NZCV_AT = 736
FPSR_AT = 752
# The memory buffer the harness maps for each case, filled with initial_buffer(case).
BUF = 0x200000
BUFLEN = 8192

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
RUN_CASE_S = r"""// x0 = state block (768 bytes: X0-X26 @0, V0-V31 @224, NZCV @736, FPCR @744, FPSR @752), x1 = stub
    .altmacro
// \op (ldp or stp) of \r\first to \r\last two at a time, at [\base, #\offset] on, \step bytes a pair.
    .macro pairs op, r, first, last, base, offset, step=16
    pair \op, \r, \first, %(\first+1), \base, \offset
    .if \last-\first-1
    pairs \op, \r, %(\first+2), \last, \base, %(\offset+\step), \step
    .endif
    .endm
    .macro pair op, r, a, b, base, offset
    \op \r\a, \r\b, [\base, #\offset]
    .endm

    .text
    .global run_case
run_case:
    stp x29, x30, [sp, #-192]!
    pairs stp, x, 19, 28, sp, 16
    pairs stp, d, 8, 15, sp, 96
    str x0, [sp, #160]
    mov x30, x1
    mov x28, x0
    add x27, x28, #224
    pairs ldp, q, 0, 31, x27, 0, 32
    ldr x0, [x28, #736]
    msr nzcv, x0
    ldr x0, [x28, #744]
    msr fpcr, x0
    msr fpsr, xzr
    pairs ldp, x, 0, 25, x28, 0
    ldr x26, [x28, #208]
    blr x30
    ldr x28, [sp, #160]
    pairs stp, x, 0, 25, x28, 0
    str x26, [x28, #208]
    add x27, x28, #224
    pairs stp, q, 0, 31, x27, 0, 32
    mrs x0, nzcv
    str x0, [x28, #736]
    mrs x0, fpsr
    str x0, [x28, #752]
    msr fpcr, xzr
    pairs ldp, x, 19, 28, sp, 16
    pairs ldp, d, 8, 15, sp, 96
    ldp x29, x30, [sp], #192
    ret
"""


def initial_buffer(i):
    return bytes((k * 131 + i * 7 + (k >> 8)) & 0xff for k in range(BUFLEN))


def encodings():
    """(file name, encoding name, pattern) for every Encoding.of in a64emu's tables, in file order."""
    for path in sorted(glob.glob(os.path.join(ISA, '*.java'))):
        for m in re.finditer(r'Encoding\.of\("(\w+)",\s*"([01a-zA-Z-]{32})"', open(path).read()):
            yield os.path.basename(path), m.group(1), m.group(2)


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


def x_value(rng):
    """A general register input: a double's or a float's bits, or random 64 or 8 bits."""
    return rng.choice([d64(rng), s32(rng), rng.getrandbits(64), rng.getrandbits(8)])


def v_value(rng):
    """A vector register input: two 64-bit lanes (low, high)."""
    return lane64(rng), lane64(rng)


def random_fpcr(rng, half_precision=False):
    fpcr = 0
    if rng.random() < 0.3:
        fpcr |= rng.getrandbits(2) << 22  # RMode
    if rng.random() < 0.1:
        fpcr |= 1 << 25  # DN
    if rng.random() < 0.1:
        fpcr |= 1 << 24  # FZ
    if half_precision:
        if rng.random() < 0.1:
            fpcr |= 1 << 19  # FZ16
        if rng.random() < 0.1:
            fpcr |= 1 << 26  # AHP
    return fpcr


def run(cases, harness_c, cpu, arch='', objdump_options=()):
    """Runs each case (word, xs, vs, nzcv, fpcr) once in harness_c under qemu-aarch64 -cpu CPU.
    Returns the harness's output (STATE bytes a case, then a status byte a case, then whatever
    harness_c adds) and the objdump disassembly of each word ('?' where there is none)."""
    with tempfile.TemporaryDirectory() as tmp:
        def p(f):
            return os.path.join(tmp, f)
        open(p('harness.c'), 'w').write(harness_c)
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
                    struct.pack_into('<QQ', st, V_AT + 16 * r, lo, hi)
                struct.pack_into('<QQ', st, NZCV_AT, nzcv, fpcr)
                fs.write(bytes(st))
        subprocess.run(['qemu-aarch64', '-cpu', cpu, p('harness'), p('words.bin'),
                        p('states.bin'), p('out.bin')], check=True)
        out = open(p('out.bin'), 'rb').read()
        open(p('d.s'), 'w').write(arch + ''.join('.inst 0x%08x\n' % c[0] for c in cases))
        subprocess.run(['aarch64-linux-gnu-as', p('d.s'), '-o', p('d.o')], check=True)
        dis = subprocess.run(['aarch64-linux-gnu-objdump', '-d', *objdump_options, p('d.o')], check=True,
                             capture_output=True, text=True).stdout
    text = [line.split('\t', 2)[2].replace('\t', ' ') if line.count('\t') >= 2 else '?'
            for line in dis.splitlines() if re.match(r'\s+[0-9a-f]+:\t', line)]
    return out, text + ['?'] * (len(cases) - len(text))


def status(out, count, i):
    """Case i's status byte: 0 if the word ran to its end, else what harness_c wrote."""
    return out[count * STATE + i]


def changed_registers(out, i, xs, vs):
    """'xN=hex' and 'vN=lo,hi' for each register case i left other than its input."""
    base = i * STATE
    changes = []
    for r in range(27):
        after = struct.unpack_from('<Q', out, base + 8 * r)[0]
        if after != xs.get(r, 0):
            changes.append('x%d=%x' % (r, after))
    for r in range(32):
        lo, hi = struct.unpack_from('<QQ', out, base + V_AT + 16 * r)
        if (lo, hi) != vs.get(r, (0, 0)):
            changes.append('v%d=%x,%x' % (r, lo, hi))
    return changes


def flags(out, i):
    """NZCV and FPSR as case i left them."""
    nzcv, = struct.unpack_from('<Q', out, i * STATE + NZCV_AT)
    fpsr, = struct.unpack_from('<Q', out, i * STATE + FPSR_AT)
    return ['nzcv=%x' % nzcv, 'fpsr=%x' % fpsr]


def record_line(case, result, disassembly):
    w, xs, vs, nzcv, fpcr = case
    ins = ' '.join(['x%d=%x' % (r, v) for r, v in sorted(xs.items())] +
                   ['v%d=%x,%x' % (r, lo, hi) for r, (lo, hi) in sorted(vs.items())])
    return '%08x %x %x | %s | %s | %s' % (w, fpcr, nzcv, ins, result, disassembly)
