package a64emu.cpu.disasm;

/** MoveWidePreferred (ARM ARM C6.2, ORR immediate alias rule): MOVZ/MOVN can express the value. */
final class MoveWide {
    private MoveWide() {}

    static boolean preferred(boolean sf, int n, int imms, int immr) {
        int width = sf ? 64 : 32;
        if (sf && n != 1) {
            return false;
        }
        if (!sf && (n != 0 || (imms & 0x20) != 0)) {
            return false;
        }
        // A 16-bit run of ones at a 16-bit boundary: MOVZ.
        if (imms < 16) {
            return (-immr & 15) <= (15 - imms);
        }
        // A run of zeros of at most 16 bits at a 16-bit boundary: MOVN.
        if (imms >= width - 15) {
            return (immr & 15) <= (imms - (width - 15));
        }
        return false;
    }
}
