package a64emu.tools.difftest;

import java.util.SplittableRandom;

/**
 * Random register, flag, FPCR/FPSR and vector state, weighted towards the values where
 * instructions have edge cases: zero, all ones, sign boundaries, addresses inside
 * {@link ScratchMemory}, and for the vector registers lanes of IEEE special values
 * (signed zeros, infinities, quiet and signalling NaNs, subnormals, halfway cases).
 */
final class StateRandomiser {
    /** FPCR.AHP (26), DN (25), FZ (24), RMode (23:22). FZ16 stays 0: QEMU 2.2 has no FP16 arithmetic. */
    static final long FPCR_AHP = 1L << 26;
    static final long FPCR_DN = 1L << 25;
    static final long FPCR_FZ = 1L << 24;
    static final int FPCR_RMODE_SHIFT = 22;
    /** FPSR cumulative flags IOC, DZC, OFC, UFC, IXC (4:0), IDC (7) and QC (27). */
    static final long FPSR_FP_FLAGS = 0x9FL;
    static final long FPSR_QC = 1L << 27;

    private static final long[] SPECIAL_X = {
        0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L, 0x7FFF_FFFFL, 0xFFFF_FFFFL,
        0x1_0000_0000L, 0xFFFF_FFFF_8000_0000L, 0x80, 0xFF, 0x8000, 0xFFFF, 63, 64, 32, 31};

    private static final int[] SPECIAL_F32 = {
        0x0000_0000, 0x8000_0000, 0x3F80_0000, 0xBF80_0000, 0x3F00_0000, 0x3FC0_0000, 0x4020_0000,
        0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0x7FA0_1234, 0x0000_0001,
        0x007F_FFFF, 0x0080_0000, 0x7F7F_FFFF, 0x4B00_0000, 0x4B00_0001, 0x4F00_0000, 0xCF00_0000,
        0x5F00_0000, 0xDF00_0000, 0x3EFF_FFFF, 0x4EFF_FFFF};

    private static final long[] SPECIAL_F64 = {
        0L, 0x8000_0000_0000_0000L, 0x3FF0_0000_0000_0000L, 0xBFF0_0000_0000_0000L,
        0x3FE0_0000_0000_0000L, 0x3FF8_0000_0000_0000L, 0x4004_0000_0000_0000L,
        0x7FF0_0000_0000_0000L, 0xFFF0_0000_0000_0000L, 0x7FF8_0000_0000_0000L,
        0xFFF8_0000_0000_0000L, 0x7FF0_0000_0000_0001L, 0x7FF4_0000_0000_1234L, 1L,
        0x000F_FFFF_FFFF_FFFFL, 0x0010_0000_0000_0000L, 0x7FEF_FFFF_FFFF_FFFFL,
        0x4330_0000_0000_0000L, 0x4330_0000_0000_0001L, 0x43E0_0000_0000_0000L,
        0xC3E0_0000_0000_0000L, 0x41E0_0000_0000_0000L, 0xC1E0_0000_0000_0000L,
        0x41EF_FFFF_FFE0_0000L, 0x3810_0000_0000_0000L, 0x47EF_FFFF_E000_0000L};

    private static final short[] SPECIAL_F16 = {
        0x0000, (short) 0x8000, 0x3C00, (short) 0xBC00, 0x3800, 0x3E00, 0x7C00, (short) 0xFC00,
        0x7E00, (short) 0xFE00, 0x7C01, 0x0001, 0x03FF, 0x0400, 0x7BFF, 0x6400, 0x5BFF};

    private final SplittableRandom random;

    StateRandomiser(SplittableRandom random) {
        this.random = random;
    }

    MachineState randomState(long pc) {
        MachineState s = new MachineState();
        for (int i = 0; i < 31; i++) {
            s.x[i] = xValue();
        }
        s.sp = random.nextInt(4) == 0 ? xValue() : address(16);
        s.pc = pc;
        s.nzcv = random.nextInt(16) << 28;
        for (int i = 0; i < 32; i++) {
            vector(s.v, 2 * i);
        }
        s.fpcr = fpcr();
        s.fpsr = (random.nextBoolean() ? random.nextLong() & FPSR_FP_FLAGS : 0)
                | (random.nextInt(4) == 0 ? FPSR_QC : 0);
        s.tpidr = random.nextLong();
        return s;
    }

    long fpcr() {
        long v = (long) random.nextInt(4) << FPCR_RMODE_SHIFT;
        if (random.nextInt(4) == 0) {
            v |= FPCR_FZ;
        }
        if (random.nextInt(4) == 0) {
            v |= FPCR_DN;
        }
        if (random.nextInt(8) == 0) {
            v |= FPCR_AHP;
        }
        return v;
    }

    long xValue() {
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> random.nextLong();
            case 4 -> random.nextInt(513) - 256;
            case 5 -> SPECIAL_X[random.nextInt(SPECIAL_X.length)];
            case 6, 7 -> address(1 << random.nextInt(5));
            case 8 -> random.nextLong() & 0xFFFF_FFFFL;
            default -> (long) random.nextInt();
        };
    }

    /**
     * An address inside the scratch memory, aligned to {@code alignment} bytes, outside
     * page 0 (Linux leaves it unmapped for the qemu oracle) and the code and helper pages
     * (a load there would read the oracles' own instructions).
     */
    long address(int alignment) {
        long a = (ScratchMemory.FIRST_DATA + random.nextInt(ScratchMemory.SIZE - ScratchMemory.FIRST_DATA)) & -alignment;
        return ScratchMemory.isOraclePage(a) ? a + 2 * 4096 : a;
    }

    /** A base address for a load or store: usually 16-byte aligned, sometimes not. */
    long baseAddress() {
        int r = random.nextInt(8);
        return address(r < 5 ? 16 : r < 7 ? 1 << random.nextInt(4) : 1);
    }

    /** A small register offset, positive or negative, for register-offset addressing. */
    long smallOffset() {
        return (long) (random.nextInt(129) - 64) << random.nextInt(4);
    }

    private void vector(long[] v, int at) {
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                v[at] = random.nextLong();
                v[at + 1] = random.nextLong();
            }
            case 2 -> {
                for (int half = 0; half < 2; half++) {
                    v[at + half] = f32() & 0xFFFF_FFFFL | (long) f32() << 32;
                }
            }
            case 3 -> {
                v[at] = f64();
                v[at + 1] = f64();
            }
            case 4 -> {
                for (int half = 0; half < 2; half++) {
                    long w = 0;
                    for (int lane = 0; lane < 4; lane++) {
                        w |= (f16() & 0xFFFFL) << (16 * lane);
                    }
                    v[at + half] = w;
                }
            }
            default -> {
                // Small lane values: saturation, shifts and narrowing see both signs and limits.
                for (int half = 0; half < 2; half++) {
                    long w = 0;
                    for (int b = 0; b < 8; b++) {
                        int r = random.nextInt(4);
                        long lane = r == 0 ? 0x80 : r == 1 ? 0x7F : r == 2 ? 0xFF : random.nextInt(4);
                        w |= lane << (8 * b);
                    }
                    v[at + half] = w;
                }
            }
        }
    }

    private int f32() {
        int r = random.nextInt(4);
        if (r == 0) {
            return random.nextInt();
        }
        if (r == 1) {
            return Float.floatToRawIntBits((float) ((random.nextDouble() - 0.5) * (1 << random.nextInt(40))));
        }
        return SPECIAL_F32[random.nextInt(SPECIAL_F32.length)];
    }

    private long f64() {
        int r = random.nextInt(4);
        if (r == 0) {
            return random.nextLong();
        }
        if (r == 1) {
            return Double.doubleToRawLongBits((random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(140) - 40));
        }
        return SPECIAL_F64[random.nextInt(SPECIAL_F64.length)];
    }

    private short f16() {
        return random.nextInt(3) == 0 ? (short) random.nextInt() : SPECIAL_F16[random.nextInt(SPECIAL_F16.length)];
    }
}
