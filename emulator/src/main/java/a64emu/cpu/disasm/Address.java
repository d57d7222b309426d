package a64emu.cpu.disasm;

/** Load/store addressing modes as objdump prints them; offsets are signed decimal. */
final class Address {
    private Address() {}

    /** {@code [x1]} or {@code [x1, #16]}. */
    static String offset(int rn, long offset) {
        return offset == 0 ? "[" + Reg.xsp(rn) + "]" : "[" + Reg.xsp(rn) + ", " + Imm.dec(offset) + "]";
    }

    /** {@code [x1, #16]!}. */
    static String preIndex(int rn, long offset) {
        return "[" + Reg.xsp(rn) + ", " + Imm.dec(offset) + "]!";
    }

    /** {@code [x1], #16}. */
    static String postIndex(int rn, long offset) {
        return "[" + Reg.xsp(rn) + "], " + Imm.dec(offset);
    }

    /**
     * {@code [x1, x2, lsl #3]} / {@code [x1, w2, sxtw]}: register offset with option
     * (bits 15:13) and S (bit 12); null for the reserved options (bit 14 clear).
     */
    static String register(Insn i, int log2Size) {
        int option = i.bits(15, 13);
        if ((option & 2) == 0) {
            return null;
        }
        boolean s = i.bit(12);
        String base = "[" + Reg.xsp(i.rn()) + ", " + Reg.r((option & 1) == 1, i.rm());
        if (option == 3) {
            return base + (s ? ", lsl " + Imm.dec(log2Size) : "") + "]";
        }
        return base + ", " + Names.extend(option) + (s ? " " + Imm.dec(log2Size) : "") + "]";
    }
}
