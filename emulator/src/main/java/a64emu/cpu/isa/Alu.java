package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;

/**
 * The shared pseudo-code functions of the A64 integer instructions (ARM ARM J1, "Shared
 * pseudocode"): AddWithCarry, ConditionHolds, DecodeBitMasks, ShiftReg, ExtendReg and
 * the bitfield move. Every semantics method, and later the JIT, calls these; an
 * instruction's meaning is written once.
 *
 * <p>NZCV is kept as PSTATE.NZCV in bits 31:28 of {@link Cpu#nzcv}, as MRS NZCV reads it.
 */
public final class Alu {
    private Alu() {}

    public static final int N = 1 << 31;
    public static final int Z = 1 << 30;
    public static final int C = 1 << 29;
    public static final int V = 1 << 28;

    /** The 0/1 value of PSTATE.C, as AddWithCarry's carry_in for ADC/SBC. */
    public static int carry(Cpu cpu) {
        return (cpu.nzcv >>> 29) & 1;
    }

    // ---- AddWithCarry -----------------------------------------------------------------------

    /**
     * AddWithCarry(x, y, carry_in) for 64-bit operands; sets NZCV when {@code setFlags}.
     * C is the unsigned carry out of bit 63, V the signed overflow.
     */
    public static long addWithCarry64(Cpu cpu, long x, long y, int carryIn, boolean setFlags) {
        if (setFlags) {
            cpu.nzcv = nzcvOfAdd64(x, y, carryIn);
        }
        return x + y + carryIn;
    }

    /** AddWithCarry for 32-bit operands; the result is zero-extended to 64 bits. */
    public static long addWithCarry32(Cpu cpu, int x, int y, int carryIn, boolean setFlags) {
        if (setFlags) {
            cpu.nzcv = nzcvOfAdd32(x, y, carryIn);
        }
        return (x + y + carryIn) & 0xFFFF_FFFFL;
    }

    /**
     * The NZCV of AddWithCarry(x, y, carry_in), 64-bit: C is the unsigned carry out of bit
     * 63, V the signed overflow. The value form both engines use (SUB and CMP pass NOT(y) and 1).
     */
    public static int nzcvOfAdd64(long x, long y, int carryIn) {
        long result = x + y + carryIn;
        boolean c = carryIn == 0
                ? Long.compareUnsigned(result, x) < 0
                : Long.compareUnsigned(result, x) <= 0;
        boolean v = ((x ^ result) & (y ^ result)) < 0;
        return nz64(result) | (c ? C : 0) | (v ? V : 0);
    }

    /** The NZCV of AddWithCarry for 32-bit operands. */
    public static int nzcvOfAdd32(int x, int y, int carryIn) {
        long unsignedSum = (x & 0xFFFF_FFFFL) + (y & 0xFFFF_FFFFL) + carryIn;
        int result = (int) unsignedSum;
        boolean c = (unsignedSum >>> 32) != 0;
        boolean v = ((x ^ result) & (y ^ result)) < 0;
        return nz32(result) | (c ? C : 0) | (v ? V : 0);
    }

    /** N and Z of a 64-bit result, C and V clear (the logical instructions' flags). */
    public static int nz64(long result) {
        return (result < 0 ? N : 0) | (result == 0 ? Z : 0);
    }

    public static int nz32(int result) {
        return (result < 0 ? N : 0) | (result == 0 ? Z : 0);
    }

    // ---- ConditionHolds ---------------------------------------------------------------------

    /** ConditionHolds(cond) (ARM ARM J1.3): cond<3:1> selects the test, cond<0> inverts it, except 1111. */
    public static boolean conditionHolds(int cond, int nzcv) {
        boolean n = (nzcv & N) != 0;
        boolean z = (nzcv & Z) != 0;
        boolean c = (nzcv & C) != 0;
        boolean v = (nzcv & V) != 0;
        boolean result = switch ((cond >>> 1) & 7) {
            case 0 -> z;                 // EQ / NE
            case 1 -> c;                 // CS / CC
            case 2 -> n;                 // MI / PL
            case 3 -> v;                 // VS / VC
            case 4 -> c && !z;           // HI / LS
            case 5 -> n == v;            // GE / LT
            case 6 -> n == v && !z;      // GT / LE
            default -> true;             // AL (and NV, which also means always in A64)
        };
        if ((cond & 1) != 0 && cond != 0xF) {
            result = !result;
        }
        return result;
    }

    /**
     * ConditionHolds(cond) on the flags of a 64-bit compare, CMP x, y (SUBS: AddWithCarry(x,
     * NOT(y), 1)), computed from the operands: for each condition the comparison the flags
     * encode (EQ x == y, HS unsigned x &gt;= y, GE signed x &gt;= y, MI the sign of x - y, VS
     * the overflow of x - y, ...). Equal to {@code conditionHolds(cond, nzcvOfAdd64(x, ~y, 1))}
     * for every input (AluTest checks it); the JIT uses it so that a compare and the branch
     * reading it need not build NZCV.
     */
    public static boolean conditionAfterCompare64(int cond, long x, long y) {
        boolean result = switch ((cond >>> 1) & 7) {
            case 0 -> x == y;
            case 1 -> Long.compareUnsigned(x, y) >= 0;
            case 2 -> x - y < 0;
            case 3 -> ((x ^ y) & (x ^ (x - y))) < 0;
            case 4 -> Long.compareUnsigned(x, y) > 0;
            case 5 -> x >= y;
            case 6 -> x > y;
            default -> true;
        };
        return (cond & 1) != 0 && cond != 0xF ? !result : result;
    }

    /** {@link #conditionAfterCompare64} for a 32-bit compare of the low words. */
    public static boolean conditionAfterCompare32(int cond, int x, int y) {
        boolean result = switch ((cond >>> 1) & 7) {
            case 0 -> x == y;
            case 1 -> Integer.compareUnsigned(x, y) >= 0;
            case 2 -> x - y < 0;
            case 3 -> ((x ^ y) & (x ^ (x - y))) < 0;
            case 4 -> Integer.compareUnsigned(x, y) > 0;
            case 5 -> x >= y;
            case 6 -> x > y;
            default -> true;
        };
        return (cond & 1) != 0 && cond != 0xF ? !result : result;
    }

    // ---- DecodeBitMasks -----------------------------------------------------------------------

    /**
     * DecodeBitMasks(N, imms, immr, immediate=TRUE, M) for the logical-immediate
     * instructions: the wmask. The element size is 2^len where len is the highest set
     * bit of N:NOT(imms); len &lt; 1, or an all-ones S field, is a reserved encoding
     * (UNDEFINED). For {@code datasize} 32 the result is the low 32 bits.
     */
    public static long decodeLogicalImmediate(int n, int imms, int immr, int datasize) {
        int len = 31 - Integer.numberOfLeadingZeros((n << 6) | (~imms & 0x3F));
        if (len < 1) {
            throw GuestException.undefined();
        }
        int levels = (1 << len) - 1;
        if ((imms & levels) == levels) {
            // S = all ones would make the element all ones: reserved (ARM ARM C6.2, DecodeBitMasks).
            throw GuestException.undefined();
        }
        int s = imms & levels;
        int r = immr & levels;
        int esize = 1 << len;
        if (esize > datasize) {
            throw GuestException.undefined();
        }
        long welem = ones(s + 1);
        long elem = rotateRight(welem, r, esize);
        long result = replicate(elem, esize);
        return datasize == 32 ? result & 0xFFFF_FFFFL : result;
    }

    /** A value with the low {@code count} bits set (count 0..64). */
    public static long ones(int count) {
        return count >= 64 ? -1L : (1L << count) - 1;
    }

    private static long rotateRight(long value, int amount, int esize) {
        if (amount == 0) {
            return value;
        }
        long mask = ones(esize);
        return ((value >>> amount) | (value << (esize - amount))) & mask;
    }

    private static long replicate(long elem, int esize) {
        long result = elem;
        for (int size = esize; size < 64; size *= 2) {
            result |= result << size;
        }
        return result;
    }

    // ---- Bitfield move (SBFM / BFM / UBFM) ------------------------------------------------------

    /**
     * The bitfield move of SBFM/BFM/UBFM with datasize {@code size}, immr {@code r} and
     * imms {@code s}. Equivalent to the ARM ARM's wmask/tmask formulation: if s &gt;= r the
     * field src&lt;s:r&gt; moves to bit 0 (extract: LSR, ASR, UBFX, SXTB...); otherwise
     * src&lt;s:0&gt; moves to bit size-r (insert: LSL, UBFIZ, BFI...).
     *
     * @param dst     the destination's old value (used by BFM only)
     * @param kind    0 = SBFM (sign-fill above, zero below), 1 = BFM (keep dst outside
     *                the field), 2 = UBFM (zero outside the field)
     */
    public static long bitfieldMove(long src, long dst, int r, int s, int size, int kind) {
        int width = bitfieldWidth(r, s);
        int lsb = bitfieldLsb(r, s, size);
        long placed = ((src >>> bitfieldSourceShift(r, s)) & ones(width)) << lsb;
        long result;
        switch (kind) {
            case 0 -> {
                // Sign-extend from the field's top bit up through bit 63.
                int top = lsb + width;
                result = top >= 64 ? placed : (placed << (64 - top)) >> (64 - top);
            }
            case 1 -> result = (dst & ~(ones(width) << lsb)) | placed;
            default -> result = placed;
        }
        return size == 32 ? result & 0xFFFF_FFFFL : result;
    }

    /** The bitfield move's field: where it starts in the source (R when S &gt;= R, else 0). */
    public static int bitfieldSourceShift(int r, int s) {
        return s >= r ? r : 0;
    }

    /** The field's width: S - R + 1 when S &gt;= R, else S + 1. */
    public static int bitfieldWidth(int r, int s) {
        return s >= r ? s - r + 1 : s + 1;
    }

    /** Where the field lands in the result: bit 0 when S &gt;= R, else datasize - R. */
    public static int bitfieldLsb(int r, int s, int size) {
        return s >= r ? 0 : size - r;
    }

    // ---- ShiftReg / ExtendReg -----------------------------------------------------------------

    /** ShiftReg for 64-bit operands: type 0 LSL, 1 LSR, 2 ASR, 3 ROR; amount 0..63. */
    public static long shift64(long value, int type, int amount) {
        return switch (type) {
            case 0 -> value << amount;
            case 1 -> value >>> amount;
            case 2 -> value >> amount;
            default -> Long.rotateRight(value, amount);
        };
    }

    /** ShiftReg for 32-bit operands; amount 0..31; result zero-extended. */
    public static long shift32(long value, int type, int amount) {
        int w = (int) value;
        int r = switch (type) {
            case 0 -> w << amount;
            case 1 -> w >>> amount;
            case 2 -> w >> amount;
            default -> Integer.rotateRight(w, amount);
        };
        return r & 0xFFFF_FFFFL;
    }

    /**
     * ExtendReg(value, option, shift): option 0-3 zero-extend a byte/half/word/double,
     * 4-7 sign-extend; then shift left (0..4 for add/sub, 0..3 for loads).
     */
    public static long extend(long value, int option, int shift) {
        long extended = switch (option) {
            case 0 -> value & 0xFF;
            case 1 -> value & 0xFFFF;
            case 2 -> value & 0xFFFF_FFFFL;
            case 3 -> value;
            case 4 -> (byte) value;
            case 5 -> (short) value;
            case 6 -> (int) value;
            default -> value;
        };
        return extended << shift;
    }

    /** Sign-extends the low {@code bits} bits of {@code value}. */
    public static long signExtend(long value, int bits) {
        return (value << (64 - bits)) >> (64 - bits);
    }
}
