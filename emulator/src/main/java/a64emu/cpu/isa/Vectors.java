package a64emu.cpu.isa;

import a64emu.cpu.Cpu;

/**
 * Lane access on the SIMD&amp;FP register file {@code cpu.v} (V[n] low 64 bits at
 * {@code v[2n]}, high 64 bits at {@code v[2n+1]}), and the register-write rules of the
 * ARM ARM: a write to a B/H/S/D register or a 64-bit arrangement zeroes the rest of
 * the 128-bit register (ARM ARM C1.2.5, "V[] on write").
 *
 * <p>Vector semantics read their sources into locals (lo, hi) before they write the
 * destination, so that a destination that is also a source reads its old value
 * throughout, and build the result in locals too: nothing is allocated per instruction.
 */
public final class Vectors {
    private Vectors() {}

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

    /** Sets element {@code index} of {@code esize} bits of a {lo, hi} array (truncated). */
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

    // ---- allocation-free lane access: a 128-bit value travels as two longs (lo, hi) ------------

    /** Element {@code index} of {@code esize} bits of the 128-bit value hi:lo, zero-extended. */
    public static long lane(long lo, long hi, int index, int esize) {
        int bit = index * esize;
        return ((bit < 64 ? lo : hi) >>> (bit & 63)) & mask(esize);
    }

    /** Element {@code index} of {@code esize} bits of hi:lo, sign-extended. */
    public static long laneSigned(long lo, long hi, int index, int esize) {
        return signExtend(lane(lo, hi, index, esize), esize);
    }

    /** Element {@code index} of {@code esize} bits of Vn, zero-extended. */
    public static long element(Cpu cpu, int n, int index, int esize) {
        return lane(cpu.v[2 * n], cpu.v[2 * n + 1], index, esize);
    }

    /** Replaces element {@code index} of {@code esize} bits of Vd; the other bits are kept. */
    public static void setElement(Cpu cpu, int d, int index, int esize, long value) {
        int bit = index * esize;
        int i = 2 * d + (bit >>> 6);
        cpu.v[i] = withLane(cpu.v[i], (bit & 63) / esize, esize, value);
    }

    /** Lane {@code j} of {@code esize} bits of one 64-bit half, zero-extended. */
    public static long laneOf(long half, int j, int esize) {
        return (half >>> (j * esize)) & mask(esize);
    }

    /** {@code half} with lane {@code j} of {@code esize} bits replaced by {@code value} (truncated). */
    public static long withLane(long half, int j, int esize, long value) {
        int shift = j * esize;
        long m = mask(esize) << shift;
        return (half & ~m) | ((value << shift) & m);
    }

    /**
     * Lanes per 64-bit half holding elements of a result of {@code elements} lanes:
     * {@code elements} itself when they fit in the low half, else 64/esize.
     */
    public static int lowLanes(int elements, int esize) {
        return Math.min(elements, 64 / esize);
    }

    /**
     * An operation on one pair of lanes of {@code esize} bits (zero-extended); the Cpu is
     * passed (not captured) for FPCR/FPSR, so a lambda needs no allocation.
     */
    @FunctionalInterface
    public interface SizedLaneOp {
        long apply(Cpu cpu, long a, long b, int esize);
    }

    /**
     * {@code op} on the first {@code count} lanes of two 64-bit halves; each result is
     * truncated to its lane and the lanes past {@code count} are zero.
     */
    public static long mapHalf(Cpu cpu, long a, long b, int esize, int count, SizedLaneOp op) {
        long m = mask(esize);
        long r = 0;
        for (int j = 0, shift = 0; j < count; j++, shift += esize) {
            r |= (op.apply(cpu, (a >>> shift) & m, (b >>> shift) & m, esize) & m) << shift;
        }
        return r;
    }

    /** Element size in bits for a 2-bit {@code size} field (0=B, 1=H, 2=S, 3=D). */
    public static int esize(int size) {
        return 8 << size;
    }
    /**
     * A one-source lane operation of the narrowing and lengthening forms: the source lane
     * (zero-extended), the narrow element size and the instruction's immediate shift, passed
     * rather than captured so that a lambda needs no allocation.
     */
    @FunctionalInterface
    public interface LaneFunction {
        long apply(Cpu cpu, long lane, int esize, int shift);
    }

    /**
     * The narrowing forms (XTN, SQXTN, SHRN, FCVTN ...): each 2*esize lane of Vn, narrowed
     * by {@code op}, goes to the lower half of Vd (Q=0, the upper half zeroed) or to the
     * upper half (Q=1, the "2" forms, the lower half kept); a scalar form narrows one
     * element and zeroes the rest of Vd.
     */
    public static void narrow(Cpu cpu, int word, int esize, int shift, LaneFunction op) {
        boolean scalar = isScalar(word);
        boolean upper = !scalar && ((word >>> 30) & 1) != 0;
        int n = (word >>> 5) & 31;
        int d = word & 31;
        long aLo = cpu.v[2 * n];
        long aHi = cpu.v[2 * n + 1];
        int lanes = scalar ? 1 : 64 / esize;
        long m = mask(esize);
        long r = 0;
        for (int i = 0; i < lanes; i++) {
            r |= (op.apply(cpu, lane(aLo, aHi, i, 2 * esize), esize, shift) & m) << (i * esize);
        }
        if (upper) {
            writeQ(cpu, d, cpu.v[2 * d], r);
        } else {
            writeQ(cpu, d, r, 0);
        }
    }

    /**
     * The one-source lengthening forms (SSHLL/USHLL, SHLL, FCVTL): each esize lane of the
     * lower (Q=0) or upper (Q=1, the "2" forms) half of Vn, widened by {@code op} into a
     * 2*esize lane of Vd; all 128 bits of Vd are written.
     */
    public static void lengthen(Cpu cpu, int word, int esize, int shift, LaneFunction op) {
        boolean upper = ((word >>> 30) & 1) != 0;
        int n = (word >>> 5) & 31;
        long a = cpu.v[2 * n + (upper ? 1 : 0)];
        int lanes = 64 / esize;
        int wide = 2 * esize;
        long m = mask(wide);
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < lanes; i++) {
            long value = op.apply(cpu, laneOf(a, i, esize), esize, shift) & m;
            int bit = i * wide;
            if (bit < 64) {
                lo |= value << bit;
            } else {
                hi |= value << (bit - 64);
            }
        }
        writeQ(cpu, word & 31, lo, hi);
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
