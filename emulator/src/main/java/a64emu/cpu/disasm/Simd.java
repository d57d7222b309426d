package a64emu.cpu.disasm;

import java.util.Locale;

/** Operand shapes shared by the Advanced SIMD formats (element sizes, arrangements, mnemonics). */
final class Simd {
    private Simd() {}

    /** Allowed element sizes as a bit set over size 0..3 (b, h, s, d). */
    static final int B = 1;
    static final int H = 2;
    static final int S = 4;
    static final int D = 8;
    static final int BHS = B | H | S;
    static final int BHSD = B | H | S | D;
    static final int HS = H | S;

    /**
     * The mnemonic an encoding name stands for: the part before the first underscore,
     * lower case ({@code SQSHL_IMM_SCALAR} is {@code sqshl}).
     */
    static String mnemonic(Insn i) {
        String name = i.encoding.name();
        int cut = name.indexOf('_');
        return (cut < 0 ? name : name.substring(0, cut)).toLowerCase(Locale.ROOT);
    }

    static boolean q(Insn i) {
        return i.bit(30);
    }

    static int size(Insn i) {
        return i.bits(23, 22);
    }

    /** Half-precision variant of an FP encoding (names ending in _H). */
    static boolean half(Insn i) {
        return i.encoding.name().endsWith("_H");
    }

    /** Integer arrangement of size/Q, or null when size is not allowed (or is 1d). */
    static String intArrangement(int size, boolean q, int allowed) {
        if ((allowed & (1 << size)) == 0 || (size == 3 && !q)) {
            return null;
        }
        return Reg.arrangement(size, q);
    }

    /** FP arrangement: 4h/8h for the half-precision encodings, else sz (bit 22) picks 2s/4s or 2d. */
    static String fpArrangement(Insn i) {
        boolean q = q(i);
        if (half(i)) {
            return q ? "8h" : "4h";
        }
        if (i.bit(22)) {
            return q ? "2d" : null;
        }
        return q ? "4s" : "2s";
    }

    /** Bytes of a scalar FP element: 2 for _H encodings, else 4 or 8 from sz (bit 22). */
    static int fpScalarBytes(Insn i) {
        if (half(i)) {
            return 2;
        }
        return i.bit(22) ? 8 : 4;
    }

    /** "2" for the upper-half forms (Q=1) of widening and narrowing instructions. */
    static String part(Insn i) {
        return q(i) ? "2" : "";
    }

    /** Vd.T, Vn.T, Vm.T. */
    static String three(Insn i, String t) {
        return Reg.v(i.rd(), t) + ", " + Reg.v(i.rn(), t) + ", " + Reg.v(i.rm(), t);
    }

    static String two(Insn i, String t) {
        return Reg.v(i.rd(), t) + ", " + Reg.v(i.rn(), t);
    }

    /** The element size of a shift-by-immediate (highest set bit of immh, bits 22:19), or -1. */
    static int shiftSize(Insn i) {
        int immh = i.bits(22, 19);
        return immh == 0 ? -1 : 31 - Integer.numberOfLeadingZeros(immh);
    }

    /** immh:immb, bits 22:16. */
    static int shiftImmediate(Insn i) {
        return i.bits(22, 16);
    }
}
