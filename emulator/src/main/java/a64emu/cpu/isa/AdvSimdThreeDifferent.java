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
            Encoding.of("UMULL", "0q101110ss1mmmmm110000nnnnnddddd", AdvSimdThreeDifferent::umull));

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

    private static long narrowLane(long[] v, int index, int esize, boolean signed) {
        return signed ? Vectors.getSigned(v, index, esize) : Vectors.get(v, index, esize);
    }

    /**
     * Lengthening ({@code wideN} false) or widening ({@code wideN} true, Vn already has
     * 2*esize lanes): each result lane is 2*esize bits and all 128 bits are written.
     */
    private static void longOp(Cpu cpu, int word, boolean signed, boolean wideN, WideOp op) {
        int esize = esize(word);
        boolean upper = ((word >>> 30) & 1) != 0;
        int d = word & 31;
        long[] a = Vectors.read(cpu, (word >>> 5) & 31);
        long[] b = Vectors.read(cpu, (word >>> 16) & 31);
        long[] acc = Vectors.read(cpu, d);
        long[] r = new long[2];
        int lanes = 64 / esize;
        int wide = 2 * esize;
        for (int i = 0; i < lanes; i++) {
            int src = (upper ? lanes : 0) + i;
            long x = wideN ? Vectors.get(a, i, wide) : narrowLane(a, src, esize, signed);
            long y = narrowLane(b, src, esize, signed);
            Vectors.set(r, i, wide, op.apply(Vectors.get(acc, i, wide), x, y));
        }
        Vectors.write(cpu, d, r, true);
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
        long[] a = Vectors.read(cpu, (word >>> 5) & 31);
        long[] b = Vectors.read(cpu, (word >>> 16) & 31);
        long[] r = Vectors.read(cpu, d);
        int lanes = 64 / esize;
        for (int i = 0; i < lanes; i++) {
            long x = Vectors.get(a, i, wide);
            long y = Vectors.get(b, i, wide);
            long sum = (subtract ? x - y : x + y) + (round ? 1L << (esize - 1) : 0);
            // For 64-bit wide lanes the carry out of bit 63 is discarded, as the modular arithmetic of the pseudocode does.
            Vectors.set(r, (upper ? lanes : 0) + i, esize, (sum & Vectors.mask(wide)) >>> esize);
        }
        Vectors.write(cpu, d, r, upper);
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
}
