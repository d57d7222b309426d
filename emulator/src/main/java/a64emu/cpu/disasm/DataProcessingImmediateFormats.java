package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/** Data processing (immediate), with objdump's aliases MOV, CMP/CMN, TST, LSL/LSR/ASR, *XT*, *BFIZ/*BFX, BFI/BFXIL/BFC, ROR. */
final class DataProcessingImmediateFormats {
    private DataProcessingImmediateFormats() {}

    static void register(Map<String, Format> t) {
        t.put("ADR", i -> Disassembly.withTarget("adr", Reg.x(i.rd()), i.target(pcRel(i))));
        t.put("ADRP", i -> Disassembly.withTarget("adrp", Reg.x(i.rd()), (i.pc & ~0xFFFL) + (pcRel(i) << 12)));
        t.put("ADD_IMM", i -> addSub(i, "add", false, false));
        t.put("ADDS_IMM", i -> addSub(i, "adds", true, false));
        t.put("SUB_IMM", i -> addSub(i, "sub", false, true));
        t.put("SUBS_IMM", i -> addSub(i, "subs", true, true));
        t.put("AND_IMM", i -> logical(i, "and"));
        t.put("ORR_IMM", i -> logical(i, "orr"));
        t.put("EOR_IMM", i -> logical(i, "eor"));
        t.put("ANDS_IMM", i -> logical(i, "ands"));
        t.put("MOVN", i -> moveWide(i, "movn"));
        t.put("MOVZ", i -> moveWide(i, "movz"));
        t.put("MOVK", i -> moveWide(i, "movk"));
        t.put("SBFM", i -> Bitfield.format(i, "sbfm"));
        t.put("BFM", i -> Bitfield.format(i, "bfm"));
        t.put("UBFM", i -> Bitfield.format(i, "ubfm"));
        t.put("EXTR", DataProcessingImmediateFormats::extr);
    }

    private static long pcRel(Insn i) {
        return (i.signed(23, 5) << 2) | i.bits(30, 29);
    }

    private static Disassembly addSub(Insn i, String mnemonic, boolean setFlags, boolean subtract) {
        boolean sf = i.sf();
        String imm = Imm.hex(i.bits(21, 10)) + (i.bit(22) ? ", lsl #12" : "");
        String rn = Reg.rsp(sf, i.rn());
        if (!setFlags && !i.bit(22) && i.bits(21, 10) == 0 && !subtract && (i.rd() == 31 || i.rn() == 31)) {
            return of("mov", Reg.rsp(sf, i.rd()) + ", " + rn);
        }
        if (setFlags && i.rd() == 31) {
            return of(subtract ? "cmp" : "cmn", rn + ", " + imm);
        }
        String rd = setFlags ? Reg.r(sf, i.rd()) : Reg.rsp(sf, i.rd());
        return of(mnemonic, rd + ", " + rn + ", " + imm);
    }

    private static Disassembly logical(Insn i, String mnemonic) {
        boolean sf = i.sf();
        int n = i.bits(22, 22);
        if (!sf && n == 1) {
            return null;
        }
        int immr = i.bits(21, 16);
        int imms = i.bits(15, 10);
        Long value = Imm.logical(n, immr, imms, sf ? 64 : 32);
        if (value == null) {
            return null;
        }
        String imm = Imm.hex(value);
        if (mnemonic.equals("ands") && i.rd() == 31) {
            return of("tst", Reg.r(sf, i.rn()) + ", " + imm);
        }
        // MOVZ/MOVN cannot write SP, so a move to SP always prints as MOV.
        if (mnemonic.equals("orr") && i.rn() == 31 && (i.rd() == 31 || !MoveWide.preferred(sf, n, imms, immr))) {
            return of("mov", Reg.rsp(sf, i.rd()) + ", " + imm);
        }
        String rd = mnemonic.equals("ands") ? Reg.r(sf, i.rd()) : Reg.rsp(sf, i.rd());
        return of(mnemonic, rd + ", " + Reg.r(sf, i.rn()) + ", " + imm);
    }

    private static Disassembly moveWide(Insn i, String mnemonic) {
        boolean sf = i.sf();
        int hw = i.bits(22, 21);
        if (!sf && hw >= 2) {
            return null;
        }
        long imm16 = i.bits(20, 5);
        int shift = hw * 16;
        String rd = Reg.r(sf, i.rd());
        if (mnemonic.equals("movz") && !(imm16 == 0 && hw != 0)) {
            return of("mov", rd + ", " + Imm.hex(imm16 << shift));
        }
        if (mnemonic.equals("movn") && !(imm16 == 0 && hw != 0) && (sf || imm16 != 0xFFFF)) {
            long value = ~(imm16 << shift);
            return of("mov", rd + ", " + Imm.hex(sf ? value : value & 0xFFFF_FFFFL));
        }
        return of(mnemonic, rd + ", " + Imm.hex(imm16) + (shift != 0 ? ", lsl #" + shift : ""));
    }

    private static Disassembly extr(Insn i) {
        boolean sf = i.sf();
        int imms = i.bits(15, 10);
        if (i.bit(22) != sf || (!sf && imms >= 32)) {
            return null;
        }
        String rd = Reg.r(sf, i.rd());
        if (i.rn() == i.rm()) {
            return of("ror", rd + ", " + Reg.r(sf, i.rn()) + ", " + Imm.dec(imms));
        }
        return of("extr", rd + ", " + Reg.r(sf, i.rn()) + ", " + Reg.r(sf, i.rm()) + ", " + Imm.dec(imms));
    }
}
