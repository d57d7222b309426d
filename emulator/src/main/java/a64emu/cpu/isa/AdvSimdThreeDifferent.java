package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * Advanced SIMD three different (ARM ARM C4.1.6, "0 Q U 01110 size 1 Rm opcode 00 Rn
 * Rd"): the lengthening (…L), widening (…W) and narrowing-high (…HN) forms. Q=1 selects
 * the "2" variant that reads (L, W) or writes (HN) the upper half of the narrow
 * register. size 11 is reserved.
 */
public final class AdvSimdThreeDifferent {
    private AdvSimdThreeDifferent() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("SADDL", "0q001110ss1mmmmm000000nnnnnddddd", AdvSimdThreeDifferent::saddl),
            Encoding.of("UADDL", "0q101110ss1mmmmm000000nnnnnddddd", AdvSimdThreeDifferent::uaddl),
            Encoding.of("SADDW", "0q001110ss1mmmmm000100nnnnnddddd", AdvSimdThreeDifferent::saddw),
            Encoding.of("UADDW", "0q101110ss1mmmmm000100nnnnnddddd", AdvSimdThreeDifferent::uaddw),
            Encoding.of("SSUBL", "0q001110ss1mmmmm001000nnnnnddddd", AdvSimdThreeDifferent::ssubl),
            Encoding.of("USUBL", "0q101110ss1mmmmm001000nnnnnddddd", AdvSimdThreeDifferent::usubl),
            Encoding.of("SSUBW", "0q001110ss1mmmmm001100nnnnnddddd", AdvSimdThreeDifferent::ssubw),
            Encoding.of("USUBW", "0q101110ss1mmmmm001100nnnnnddddd", AdvSimdThreeDifferent::usubw),
            Encoding.of("ADDHN", "0q001110ss1mmmmm010000nnnnnddddd", AdvSimdThreeDifferent::addhn),
            Encoding.of("RADDHN", "0q101110ss1mmmmm010000nnnnnddddd", AdvSimdThreeDifferent::raddhn),
            Encoding.of("SUBHN", "0q001110ss1mmmmm011000nnnnnddddd", AdvSimdThreeDifferent::subhn),
            Encoding.of("RSUBHN", "0q101110ss1mmmmm011000nnnnnddddd", AdvSimdThreeDifferent::rsubhn),
            Encoding.of("SMLAL", "0q001110ss1mmmmm100000nnnnnddddd", AdvSimdThreeDifferent::smlal),
            Encoding.of("UMLAL", "0q101110ss1mmmmm100000nnnnnddddd", AdvSimdThreeDifferent::umlal),
            Encoding.of("SMLSL", "0q001110ss1mmmmm101000nnnnnddddd", AdvSimdThreeDifferent::smlsl),
            Encoding.of("UMLSL", "0q101110ss1mmmmm101000nnnnnddddd", AdvSimdThreeDifferent::umlsl),
            Encoding.of("SMULL", "0q001110ss1mmmmm110000nnnnnddddd", AdvSimdThreeDifferent::smull),
            Encoding.of("UMULL", "0q101110ss1mmmmm110000nnnnnddddd", AdvSimdThreeDifferent::umull),
            Encoding.of("SABAL", "0q001110ss1mmmmm010100nnnnnddddd", AdvSimdThreeDifferent::sabal),
            Encoding.of("UABAL", "0q101110ss1mmmmm010100nnnnnddddd", AdvSimdThreeDifferent::uabal),
            Encoding.of("SABDL", "0q001110ss1mmmmm011100nnnnnddddd", AdvSimdThreeDifferent::sabdl),
            Encoding.of("UABDL", "0q101110ss1mmmmm011100nnnnnddddd", AdvSimdThreeDifferent::uabdl),
            Encoding.of("SQDMLAL", "0q001110ss1mmmmm100100nnnnnddddd", AdvSimdThreeDifferent::sqdmlal),
            Encoding.of("SQDMLSL", "0q001110ss1mmmmm101100nnnnnddddd", AdvSimdThreeDifferent::sqdmlsl),
            Encoding.of("SQDMULL", "0q001110ss1mmmmm110100nnnnnddddd", AdvSimdThreeDifferent::sqdmull),
            Encoding.of("PMULL", "0q001110ss1mmmmm111000nnnnnddddd", AdvSimdThreeDifferent::pmull));

    /** acc is the old wide lane of Vd (for the accumulating forms), a and b the extended operands. */
    @FunctionalInterface
    interface WideOp {
        long apply(long acc, long a, long b);
    }

    private static int esize(int word) {
        int size = (word >>> 22) & 3;
        if (size == 3) {
            throw GuestException.undefined();
        }
        return Vectors.esize(size);
    }

    /** Lane {@code j} of one 64-bit half, sign- or zero-extended. */
    private static long narrowLane(long half, int j, int esize, boolean signed) {
        long lane = Vectors.laneOf(half, j, esize);
        return signed ? Vectors.signExtend(lane, esize) : lane;
    }

    /**
     * Lengthening ({@code wideN} false) or widening ({@code wideN} true, Vn already has
     * 2*esize lanes): each result lane is 2*esize bits and all 128 bits are written.
     */
    private static void longOp(Cpu cpu, int word, boolean signed, boolean wideN, WideOp op) {
        int m = (word >>> 16) & 31;
        longOp(cpu, word, signed, wideN, cpu.v[2 * m], cpu.v[2 * m + 1], op);
    }

    /**
     * {@link #longOp(Cpu, int, boolean, boolean, WideOp)} with the second operand's lanes
     * taken from bHi:bLo: Vm, or for a by-element form its element in every lane.
     */
    static void longOp(Cpu cpu, int word, boolean signed, boolean wideN, long bLo, long bHi, WideOp op) {
        int esize = esize(word);
        boolean upper = ((word >>> 30) & 1) != 0;
        int n = (word >>> 5) & 31;
        int d = word & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long accLo = v[2 * d];
        long accHi = v[2 * d + 1];
        long narrowA = upper ? aHi : aLo;
        long narrowB = upper ? bHi : bLo;
        int lanes = 64 / esize;
        int wide = 2 * esize;
        long wideMask = Vectors.mask(wide);
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < lanes; i++) {
            long x = wideN ? Vectors.lane(aLo, aHi, i, wide) : narrowLane(narrowA, i, esize, signed);
            long y = narrowLane(narrowB, i, esize, signed);
            long value = op.apply(Vectors.lane(accLo, accHi, i, wide), x, y) & wideMask;
            int bit = i * wide;
            if (bit < 64) {
                lo |= value << bit;
            } else {
                hi |= value << (bit - 64);
            }
        }
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    public static void saddl(Cpu cpu, int word) {
        longOp(cpu, word, true, false, (c, a, b) -> a + b);
    }

    public static void uaddl(Cpu cpu, int word) {
        longOp(cpu, word, false, false, (c, a, b) -> a + b);
    }

    public static void saddw(Cpu cpu, int word) {
        longOp(cpu, word, true, true, (c, a, b) -> a + b);
    }

    public static void uaddw(Cpu cpu, int word) {
        longOp(cpu, word, false, true, (c, a, b) -> a + b);
    }

    public static void ssubl(Cpu cpu, int word) {
        longOp(cpu, word, true, false, (c, a, b) -> a - b);
    }

    public static void usubl(Cpu cpu, int word) {
        longOp(cpu, word, false, false, (c, a, b) -> a - b);
    }

    public static void ssubw(Cpu cpu, int word) {
        longOp(cpu, word, true, true, (c, a, b) -> a - b);
    }

    public static void usubw(Cpu cpu, int word) {
        longOp(cpu, word, false, true, (c, a, b) -> a - b);
    }

    public static void smlal(Cpu cpu, int word) {
        longOp(cpu, word, true, false, (c, a, b) -> c + a * b);
    }

    public static void umlal(Cpu cpu, int word) {
        longOp(cpu, word, false, false, (c, a, b) -> c + a * b);
    }

    public static void smlsl(Cpu cpu, int word) {
        longOp(cpu, word, true, false, (c, a, b) -> c - a * b);
    }

    public static void umlsl(Cpu cpu, int word) {
        longOp(cpu, word, false, false, (c, a, b) -> c - a * b);
    }

    public static void smull(Cpu cpu, int word) {
        longOp(cpu, word, true, false, (c, a, b) -> a * b);
    }

    public static void umull(Cpu cpu, int word) {
        longOp(cpu, word, false, false, (c, a, b) -> a * b);
    }

    /** ADDHN/SUBHN (and rounding forms): the high half of each 2*esize sum or difference. */
    private static void narrowHigh(Cpu cpu, int word, boolean subtract, boolean round) {
        int esize = esize(word);
        boolean upper = ((word >>> 30) & 1) != 0;
        int d = word & 31;
        int wide = 2 * esize;
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long bLo = v[2 * m];
        long bHi = v[2 * m + 1];
        int lanes = 64 / esize;
        long r = 0;
        for (int i = 0; i < lanes; i++) {
            long x = Vectors.lane(aLo, aHi, i, wide);
            long y = Vectors.lane(bLo, bHi, i, wide);
            long sum = (subtract ? x - y : x + y) + (round ? 1L << (esize - 1) : 0);
            // For 64-bit wide lanes the carry out of bit 63 is discarded, as the modular arithmetic of the pseudocode does.
            r |= (((sum & Vectors.mask(wide)) >>> esize) & Vectors.mask(esize)) << (i * esize);
        }
        // The narrow results fill the lower half (the upper zeroed) or, for the "2" forms, the upper half.
        if (upper) {
            Vectors.writeQ(cpu, d, v[2 * d], r);
        } else {
            Vectors.writeQ(cpu, d, r, 0);
        }
        cpu.pc += 4;
    }

    public static void addhn(Cpu cpu, int word) {
        narrowHigh(cpu, word, false, false);
    }

    public static void raddhn(Cpu cpu, int word) {
        narrowHigh(cpu, word, false, true);
    }

    public static void subhn(Cpu cpu, int word) {
        narrowHigh(cpu, word, true, false);
    }

    public static void rsubhn(Cpu cpu, int word) {
        narrowHigh(cpu, word, true, true);
    }

    public static void sabal(Cpu cpu, int word) {
        longOp(cpu, word, true, false, (c, a, b) -> c + SimdInt.absDiff(a, b));
    }

    public static void uabal(Cpu cpu, int word) {
        longOp(cpu, word, false, false, (c, a, b) -> c + SimdInt.absDiff(a, b));
    }

    public static void sabdl(Cpu cpu, int word) {
        longOp(cpu, word, true, false, (c, a, b) -> SimdInt.absDiff(a, b));
    }

    public static void uabdl(Cpu cpu, int word) {
        longOp(cpu, word, false, false, (c, a, b) -> SimdInt.absDiff(a, b));
    }

    /**
     * SQDMULL/SQDMLAL/SQDMLSL (vector and scalar): 2*a*b saturated to 2*esize bits, then
     * added to or subtracted from the accumulator with saturation; 16- and 32-bit source
     * elements only. The scalar forms use element 0 and write a 2*esize scalar.
     */
    private static void doublingLong(Cpu cpu, int word, int accumulate) {
        int m = (word >>> 16) & 31;
        doublingLong(cpu, word, accumulate, cpu.v[2 * m], cpu.v[2 * m + 1]);
    }

    /**
     * {@link #doublingLong(Cpu, int, int)} with the second operand's lanes taken from
     * bHi:bLo: Vm, or for a by-element form its element in every lane.
     */
    static void doublingLong(Cpu cpu, int word, int accumulate, long bLo, long bHi) {
        int size = (word >>> 22) & 3;
        if (size == 0 || size == 3) {
            throw GuestException.undefined();
        }
        int esize = Vectors.esize(size);
        boolean scalar = Vectors.isScalar(word);
        boolean upper = !scalar && ((word >>> 30) & 1) != 0;
        int n = (word >>> 5) & 31;
        int d = word & 31;
        long[] v = cpu.v;
        long narrowA = upper ? v[2 * n + 1] : v[2 * n];
        long narrowB = upper ? bHi : bLo;
        long accLo = v[2 * d];
        long accHi = v[2 * d + 1];
        int lanes = scalar ? 1 : 64 / esize;
        int wide = 2 * esize;
        long wideMask = Vectors.mask(wide);
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < lanes; i++) {
            long product = SimdInt.doublingMultiplyLong(cpu, narrowLane(narrowA, i, esize, true),
                    narrowLane(narrowB, i, esize, true), esize);
            long value = accumulate == 0 ? product
                    : accumulate > 0 ? SimdInt.addSigned(cpu, Vectors.laneSigned(accLo, accHi, i, wide), product, wide)
                    : SimdInt.subSigned(cpu, Vectors.laneSigned(accLo, accHi, i, wide), product, wide);
            value &= wideMask;
            int bit = i * wide;
            if (bit < 64) {
                lo |= value << bit;
            } else {
                hi |= value << (bit - 64);
            }
        }
        Vectors.writeQ(cpu, d, lo, scalar ? 0 : hi);
        cpu.pc += 4;
    }

    public static void sqdmull(Cpu cpu, int word) {
        doublingLong(cpu, word, 0);
    }

    public static void sqdmlal(Cpu cpu, int word) {
        doublingLong(cpu, word, 1);
    }

    public static void sqdmlsl(Cpu cpu, int word) {
        doublingLong(cpu, word, -1);
    }

    /**
     * PMULL/PMULL2: polynomial (carry-less) multiply of the lower or upper half, 8x8 to
     * 16 bits (size 00) or, with FEAT_PMULL, 64x64 to 128 bits (size 11).
     */
    public static void pmull(Cpu cpu, int word) {
        int size = (word >>> 22) & 3;
        boolean upper = ((word >>> 30) & 1) != 0;
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long a = cpu.v[2 * n + (upper ? 1 : 0)];
        long b = cpu.v[2 * m + (upper ? 1 : 0)];
        if (size == 3) {
            Vectors.writeQ(cpu, word & 31, SimdInt.polyMul64Lo(a, b), SimdInt.polyMul64Hi(a, b));
            cpu.pc += 4;
            return;
        }
        if (size != 0) {
            throw GuestException.undefined();
        }
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < 8; i++) {
            long product = SimdInt.polyMul(Vectors.laneOf(a, i, 8), Vectors.laneOf(b, i, 8), 8) & 0xFFFF;
            if (i < 4) {
                lo |= product << (16 * i);
            } else {
                hi |= product << (16 * (i - 4));
            }
        }
        Vectors.writeQ(cpu, word & 31, lo, hi);
        cpu.pc += 4;
    }
}
