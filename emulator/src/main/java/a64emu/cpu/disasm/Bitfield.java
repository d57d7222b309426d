package a64emu.cpu.disasm;

import static a64emu.cpu.disasm.Disassembly.of;

/**
 * SBFM/BFM/UBFM and their aliases in objdump's order of preference (ARM ARM C6.2:
 * ASR/LSL/LSR, SXT and UXT, *BFIZ and BFI/BFC when imms &lt; immr, *BFX/BFXIL when
 * BFXPreferred).
 */
final class Bitfield {
    private Bitfield() {}

    static Disassembly format(Insn i, String base) {
        boolean sf = i.sf();
        int n = i.bits(22, 22);
        int immr = i.bits(21, 16);
        int imms = i.bits(15, 10);
        if (n != (sf ? 1 : 0) || (!sf && (immr >= 32 || imms >= 32))) {
            return null;
        }
        int size = sf ? 64 : 32;
        String rd = Reg.r(sf, i.rd());
        String rn = Reg.r(sf, i.rn());
        char kind = base.charAt(0);
        if (kind == 's') {
            if (imms == size - 1) {
                return of("asr", rd + ", " + rn + ", " + Imm.dec(immr));
            }
            if (immr == 0 && (imms == 7 || imms == 15 || imms == 31)) {
                String m = imms == 7 ? "sxtb" : imms == 15 ? "sxth" : "sxtw";
                return of(m, rd + ", " + Reg.w(i.rn()));
            }
        } else if (kind == 'u') {
            if (imms != size - 1 && imms + 1 == immr) {
                return of("lsl", rd + ", " + rn + ", " + Imm.dec(size - 1 - imms));
            }
            if (imms == size - 1) {
                return of("lsr", rd + ", " + rn + ", " + Imm.dec(immr));
            }
            if (!sf && immr == 0 && (imms == 7 || imms == 15)) {
                return of(imms == 7 ? "uxtb" : "uxth", rd + ", " + Reg.w(i.rn()));
            }
        }
        String prefix = kind == 'b' ? "bf" : kind + "bf";
        if (imms < immr) {
            String lsbWidth = Imm.dec((size - immr) & (size - 1)) + ", " + Imm.dec(imms + 1);
            if (kind == 'b') {
                if (i.rn() == 31) {
                    return of("bfc", rd + ", " + lsbWidth);
                }
                return of("bfi", rd + ", " + rn + ", " + lsbWidth);
            }
            return of(prefix + "iz", rd + ", " + rn + ", " + lsbWidth);
        }
        if (kind == 'b' || bfxPreferred(sf, kind == 'u', imms, immr)) {
            return of(kind == 'b' ? "bfxil" : prefix + "x", rd + ", " + rn + ", " + Imm.dec(immr) + ", " + Imm.dec(imms + 1 - immr));
        }
        return of(base, rd + ", " + rn + ", " + Imm.dec(immr) + ", " + Imm.dec(imms));
    }

    /** BFXPreferred(sf, uns, imms, immr), ARM ARM shared/functions. */
    private static boolean bfxPreferred(boolean sf, boolean unsigned, int imms, int immr) {
        if (imms < immr) {
            return false;
        }
        if (imms == (sf ? 63 : 31)) {
            return false;
        }
        if (immr == 0) {
            if (!sf && (imms == 7 || imms == 15)) {
                return false;
            }
            if (sf && !unsigned && (imms == 7 || imms == 15 || imms == 31)) {
                return false;
            }
        }
        return true;
    }
}
