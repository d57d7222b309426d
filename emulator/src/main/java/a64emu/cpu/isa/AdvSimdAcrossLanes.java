package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;
import java.util.function.LongBinaryOperator;

/**
 * Advanced SIMD across lanes (ARM ARM C4.1.6, "0 Q U 01110 size 11000 opcode 10 Rn Rd"):
 * reductions of all lanes of Vn to a scalar in Vd. size 11, and size 10 with Q=0
 * (a two-lane reduction), are reserved.
 */
public final class AdvSimdAcrossLanes {
    private AdvSimdAcrossLanes() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("SADDLV", "0q001110ss110000001110nnnnnddddd", AdvSimdAcrossLanes::saddlv),
            Encoding.of("UADDLV", "0q101110ss110000001110nnnnnddddd", AdvSimdAcrossLanes::uaddlv),
            Encoding.of("SMAXV", "0q001110ss110000101010nnnnnddddd", AdvSimdAcrossLanes::smaxv),
            Encoding.of("UMAXV", "0q101110ss110000101010nnnnnddddd", AdvSimdAcrossLanes::umaxv),
            Encoding.of("SMINV", "0q001110ss110001101010nnnnnddddd", AdvSimdAcrossLanes::sminv),
            Encoding.of("UMINV", "0q101110ss110001101010nnnnnddddd", AdvSimdAcrossLanes::uminv),
            Encoding.of("ADDV", "0q001110ss110001101110nnnnnddddd", AdvSimdAcrossLanes::addv),
            Encoding.of("FMAXNMV", "0q1011100z110000110010nnnnnddddd", AdvSimdAcrossLanes::fmaxnmv),
            Encoding.of("FMINNMV", "0q1011101z110000110010nnnnnddddd", AdvSimdAcrossLanes::fminnmv),
            Encoding.of("FMAXV", "0q1011100z110000111110nnnnnddddd", AdvSimdAcrossLanes::fmaxv),
            Encoding.of("FMINV", "0q1011101z110000111110nnnnnddddd", AdvSimdAcrossLanes::fminv),
            // FEAT_FP16 (U=0, size 0x): 4H or 8H.
            Encoding.of("FMAXNMV_H", "0q00111000110000110010nnnnnddddd", AdvSimdAcrossLanes::fmaxnmv),
            Encoding.of("FMINNMV_H", "0q00111010110000110010nnnnnddddd", AdvSimdAcrossLanes::fminnmv),
            Encoding.of("FMAXV_H", "0q00111000110000111110nnnnnddddd", AdvSimdAcrossLanes::fmaxv),
            Encoding.of("FMINV_H", "0q00111010110000111110nnnnnddddd", AdvSimdAcrossLanes::fminv));

    /** Folds the lanes with {@code op}; lanes are sign-extended when {@code signed}. */
    private static void reduce(Cpu cpu, int word, boolean signed, int resultBits, LongBinaryOperator op) {
        boolean q = ((word >>> 30) & 1) != 0;
        int size = (word >>> 22) & 3;
        if (size == 3 || (size == 2 && !q)) {
            throw GuestException.undefined();
        }
        int esize = Vectors.esize(size);
        int n = (word >>> 5) & 31;
        long aLo = cpu.v[2 * n];
        long aHi = cpu.v[2 * n + 1];
        int lanes = Vectors.lanes(q, esize);
        long acc = signed ? Vectors.laneSigned(aLo, aHi, 0, esize) : Vectors.lane(aLo, aHi, 0, esize);
        for (int i = 1; i < lanes; i++) {
            acc = op.applyAsLong(acc, signed ? Vectors.laneSigned(aLo, aHi, i, esize) : Vectors.lane(aLo, aHi, i, esize));
        }
        int bits = resultBits == 0 ? esize : 2 * esize;
        Vectors.writeScalar(cpu, word & 31, acc & Vectors.mask(bits));
        cpu.pc += 4;
    }

    @FunctionalInterface
    interface FpOp {
        long apply(Cpu cpu, int esize, long a, long b);
    }

    /**
     * The FP reductions exist for 4S (sz=1 and Q=0 are reserved) and, with FEAT_FP16,
     * 4H/8H, and combine as the ARM ARM's Reduce() does: op(op(e0, e1), op(e2, e3)),
     * which fixes the NaN order.
     */
    private static void reduceFp(Cpu cpu, int word, FpOp op) {
        boolean q = ((word >>> 30) & 1) != 0;
        boolean half = ((word >>> 29) & 1) == 0; // FEAT_FP16 form: 4H or 8H
        if (!half && (!q || ((word >>> 22) & 1) != 0)) {
            throw GuestException.undefined();
        }
        int esize = half ? 16 : 32;
        int n = (word >>> 5) & 31;
        Vectors.writeScalar(cpu, word & 31,
                reduceFp(cpu, cpu.v[2 * n], cpu.v[2 * n + 1], 0, Vectors.lanes(q, esize), esize, op));
        cpu.pc += 4;
    }

    /** ARM ARM Reduce(): the two halves reduced separately, then combined. */
    private static long reduceFp(Cpu cpu, long lo, long hi, int first, int count, int esize, FpOp op) {
        if (count == 1) {
            return Vectors.lane(lo, hi, first, esize);
        }
        int half = count / 2;
        return op.apply(cpu, esize, reduceFp(cpu, lo, hi, first, half, esize, op),
                reduceFp(cpu, lo, hi, first + half, half, esize, op));
    }

    public static void fmaxnmv(Cpu cpu, int word) {
        reduceFp(cpu, word, (c, e, a, b) -> Fp.maxNum(c, e, a, b, true));
    }

    public static void fminnmv(Cpu cpu, int word) {
        reduceFp(cpu, word, (c, e, a, b) -> Fp.maxNum(c, e, a, b, false));
    }

    public static void fmaxv(Cpu cpu, int word) {
        reduceFp(cpu, word, (c, e, a, b) -> Fp.max(c, e, a, b, true));
    }

    public static void fminv(Cpu cpu, int word) {
        reduceFp(cpu, word, (c, e, a, b) -> Fp.max(c, e, a, b, false));
    }

    public static void saddlv(Cpu cpu, int word) {
        reduce(cpu, word, true, 2, Long::sum);
    }

    public static void uaddlv(Cpu cpu, int word) {
        reduce(cpu, word, false, 2, Long::sum);
    }

    public static void addv(Cpu cpu, int word) {
        reduce(cpu, word, false, 0, Long::sum);
    }

    public static void smaxv(Cpu cpu, int word) {
        reduce(cpu, word, true, 0, Math::max);
    }

    public static void sminv(Cpu cpu, int word) {
        reduce(cpu, word, true, 0, Math::min);
    }

    public static void umaxv(Cpu cpu, int word) {
        reduce(cpu, word, false, 0, Math::max);
    }

    public static void uminv(Cpu cpu, int word) {
        reduce(cpu, word, false, 0, Math::min);
    }
}
