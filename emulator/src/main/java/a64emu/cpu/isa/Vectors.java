package a64emu.cpu.isa;

import a64emu.cpu.Cpu;

import java.util.function.LongUnaryOperator;

/**
 * Lane access on the SIMD&amp;FP register file {@code cpu.v} (V[n] low 64 bits at
 * {@code v[2n]}, high 64 bits at {@code v[2n+1]}), and the register-write rules of the
 * ARM ARM: a write to a B/H/S/D register or a 64-bit arrangement zeroes the rest of
 * the 128-bit register (ARM ARM C1.2.5, "V[] on write").
 *
 * <p>Vector semantics work on a copy of the register as a {@code long[2]} (lo, hi) so
 * that a destination that is also a source reads its old value throughout.
 */
public final class Vectors {
    private Vectors() {}

    /** Vn as {lo, hi}. */
    public static long[] read(Cpu cpu, int n) {
        return new long[] {cpu.v[2 * n], cpu.v[2 * n + 1]};
    }

    /** Writes a vector result; {@code q == false} (64-bit arrangement) zeroes the upper half. */
    public static void write(Cpu cpu, int d, long[] value, boolean q) {
        cpu.v[2 * d] = value[0];
        cpu.v[2 * d + 1] = q ? value[1] : 0;
    }

    /** Writes a B/H/S/D scalar (already masked to its size): bits above it become zero. */
    public static void writeScalar(Cpu cpu, int d, long value) {
        cpu.v[2 * d] = value;
        cpu.v[2 * d + 1] = 0;
    }

    /** Writes a full Q register. */
    public static void writeQ(Cpu cpu, int d, long lo, long hi) {
        cpu.v[2 * d] = lo;
        cpu.v[2 * d + 1] = hi;
    }

    /** The mask of an element of {@code esize} bits (8, 16, 32 or 64). */
    public static long mask(int esize) {
        return esize == 64 ? -1L : (1L << esize) - 1;
    }

    /** Element {@code index} of {@code esize} bits, zero-extended. */
    public static long get(long[] v, int index, int esize) {
        int bit = index * esize;
        return (v[bit >>> 6] >>> (bit & 63)) & mask(esize);
    }

    /** Element {@code index} of {@code esize} bits, sign-extended. */
    public static long getSigned(long[] v, int index, int esize) {
        return signExtend(get(v, index, esize), esize);
    }

    public static void set(long[] v, int index, int esize, long value) {
        int bit = index * esize;
        long m = mask(esize) << (bit & 63);
        v[bit >>> 6] = (v[bit >>> 6] & ~m) | ((value << (bit & 63)) & m);
    }

    public static long signExtend(long value, int bits) {
        return bits == 64 ? value : (value << (64 - bits)) >> (64 - bits);
    }

    /** Number of elements in an arrangement: Q (64 or 128 bits) divided by the element size. */
    public static int lanes(boolean q, int esize) {
        return (q ? 128 : 64) / esize;
    }

    /**
     * Bit 28 tells the Advanced SIMD scalar groups ("01 U 11110 ...") from the vector ones
     * ("0 Q U 01110 ..."); a scalar form is its vector operation on one element
     * (ARM ARM: "elements = 1" in the scalar decode), so the semantics are shared.
     */
    public static boolean isScalar(int word) {
        return ((word >>> 28) & 1) != 0;
    }

    /** Elements an Advanced SIMD instruction processes: one for a scalar form. */
    public static int elements(int word, int esize) {
        return isScalar(word) ? 1 : lanes(((word >>> 30) & 1) != 0, esize);
    }

    /** Whether the result is 128 bits wide; scalar and 64-bit vector results zero the upper half. */
    public static boolean fullWidth(int word) {
        return !isScalar(word) && ((word >>> 30) & 1) != 0;
    }

    /** Element size in bits for a 2-bit {@code size} field (0=B, 1=H, 2=S, 3=D). */
    public static int esize(int size) {
        return 8 << size;
    }
    /** An operation on one pair of lanes (values zero-extended; sign-extend inside if needed). */
    @FunctionalInterface
    public interface LaneOp {
        long apply(long a, long b);
    }

    /** Applies {@code op} lane by lane to {@code a} and {@code b}; each result is truncated to its lane. */
    public static long[] map(long[] a, long[] b, int esize, int lanes, LaneOp op) {
        long[] r = new long[2];
        for (int i = 0; i < lanes; i++) {
            set(r, i, esize, op.apply(get(a, i, esize), get(b, i, esize)));
        }
        return r;
    }

    /**
     * The narrowing forms (XTN, SQXTN, SHRN, FCVTN ...): each 2*esize lane of Vn, narrowed
     * by {@code op}, goes to the lower half of Vd (Q=0, the upper half zeroed) or to the
     * upper half (Q=1, the "2" forms, the lower half kept); a scalar form narrows one
     * element and zeroes the rest of Vd.
     */
    public static void narrow(Cpu cpu, int word, int esize, LongUnaryOperator op) {
        boolean scalar = isScalar(word);
        boolean upper = !scalar && ((word >>> 30) & 1) != 0;
        long[] a = read(cpu, (word >>> 5) & 31);
        int d = word & 31;
        long[] r = scalar ? new long[2] : read(cpu, d);
        int lanes = scalar ? 1 : 64 / esize;
        for (int i = 0; i < lanes; i++) {
            set(r, (upper ? lanes : 0) + i, esize, op.applyAsLong(get(a, i, 2 * esize)));
        }
        write(cpu, d, r, upper);
    }

    /**
     * The one-source lengthening forms (SSHLL/USHLL, SHLL, FCVTL): each esize lane of the
     * lower (Q=0) or upper (Q=1, the "2" forms) half of Vn, widened by {@code op} into a
     * 2*esize lane of Vd; all 128 bits of Vd are written.
     */
    public static void lengthen(Cpu cpu, int word, int esize, LongUnaryOperator op) {
        boolean upper = ((word >>> 30) & 1) != 0;
        long[] a = read(cpu, (word >>> 5) & 31);
        long[] r = new long[2];
        int lanes = 64 / esize;
        for (int i = 0; i < lanes; i++) {
            set(r, i, 2 * esize, op.applyAsLong(get(a, (upper ? lanes : 0) + i, esize)));
        }
        write(cpu, word & 31, r, true);
    }

    /** Every lane of an {@code esize}-bit arrangement holding {@code value}. */
    public static long replicate(long value, int esize) {
        long v = value & mask(esize);
        for (int width = esize; width < 64; width *= 2) {
            v |= v << width;
        }
        return v;
    }

    /** An all-ones lane (the vector compares' "true"). */
    public static long ones(boolean condition) {
        return condition ? -1L : 0;
    }
}
