package a64emu.jit;

import a64emu.cpu.isa.Alu;

/**
 * Lazy NZCV in translated code. A compare (SUBS, ADDS, CMP, CMN) does not build NZCV: the
 * unit keeps its operands and the kind of operation in locals, a branch or select right
 * after it tests them directly ({@link Alu#conditionAfterCompare64}), and NZCV is built from
 * them ({@link #materialize}) only where it is needed whole: when the unit leaves, before a
 * fallback, for a flag reader that does not know which compare ran last.
 */
final class Flags {
    private Flags() {}

    /** NZCV is in its local already. */
    static final int MATERIALIZED = 0;
    static final int SUB64 = 1;
    static final int SUB32 = 2;
    static final int ADD64 = 3;
    static final int ADD32 = 4;

    /** The NZCV that a compare of {@code kind} on {@code x} and {@code y} set ({@code nzcv} itself when materialized). */
    public static int materialize(int kind, long x, long y, int nzcv) {
        return switch (kind) {
            case SUB64 -> Alu.nzcvOfAdd64(x, ~y, 1);
            case SUB32 -> Alu.nzcvOfAdd32((int) x, ~(int) y, 1);
            case ADD64 -> Alu.nzcvOfAdd64(x, y, 0);
            case ADD32 -> Alu.nzcvOfAdd32((int) x, (int) y, 0);
            default -> nzcv;
        };
    }
}
