package a64emu.guest.fuzz;

/** The few A64 encodings the fuzz harnesses write themselves (ARM ARM C6.2). */
public final class A64 {
    private A64() {}

    /** MOVZ Xd, #imm16, LSL #(16 * hw). */
    public static int movz(int rd, int imm16, int hw) {
        return 0xD2800000 | (hw << 21) | ((imm16 & 0xFFFF) << 5) | rd;
    }

    /** MOVK Xd, #imm16, LSL #(16 * hw). */
    public static int movk(int rd, int imm16, int hw) {
        return 0xF2800000 | (hw << 21) | ((imm16 & 0xFFFF) << 5) | rd;
    }

    /** B to {@code bytes} from this instruction. */
    public static int b(long bytes) {
        return 0x14000000 | (int) ((bytes >> 2) & 0x3FFFFFF);
    }

    /** SVC #0. */
    public static final int SVC_0 = 0xD4000001;

    /** Appends the instructions that put {@code value} in Xd: MOVZ, then a MOVK per other non-zero half-word. */
    public static void movImm64(java.util.List<Integer> code, int rd, long value) {
        code.add(movz(rd, (int) value & 0xFFFF, 0));
        for (int hw = 1; hw < 4; hw++) {
            int part = (int) (value >>> (16 * hw)) & 0xFFFF;
            if (part != 0) {
                code.add(movk(rd, part, hw));
            }
        }
    }
}
