package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/** Branches, exception generation, hints, barriers, PSTATE flag instructions and system register access. */
final class BranchSystemFormats {
    private BranchSystemFormats() {}

    /** Hint names by CRm:op2 (ARM ARM C6.2.99 HINT), as binutils 2.40 names them. */
    private static final Map<Integer, String> HINTS = Map.ofEntries(
            Map.entry(0, "nop"), Map.entry(1, "yield"), Map.entry(2, "wfe"), Map.entry(3, "wfi"),
            Map.entry(4, "sev"), Map.entry(5, "sevl"), Map.entry(7, "xpaclri"),
            Map.entry(8, "pacia1716"), Map.entry(10, "pacib1716"), Map.entry(12, "autia1716"),
            Map.entry(14, "autib1716"), Map.entry(16, "esb"), Map.entry(17, "psb\tcsync"),
            Map.entry(18, "tsb\tcsync"), Map.entry(20, "csdb"), Map.entry(22, "clearbhb"), Map.entry(24, "paciaz"),
            Map.entry(25, "paciasp"), Map.entry(26, "pacibz"), Map.entry(27, "pacibsp"),
            Map.entry(28, "autiaz"), Map.entry(29, "autiasp"), Map.entry(30, "autibz"),
            Map.entry(31, "autibsp"), Map.entry(32, "bti"), Map.entry(34, "bti\tc"),
            Map.entry(36, "bti\tj"), Map.entry(38, "bti\tjc"));

    static void register(Map<String, Format> t) {
        t.put("B", i -> Disassembly.withTarget("b", "", i.target(i.signed(25, 0) << 2)));
        t.put("BL", i -> Disassembly.withTarget("bl", "", i.target(i.signed(25, 0) << 2)));
        t.put("B_COND", i -> Disassembly.withTarget("b." + Names.condition(i.bits(3, 0)), "", i.target(i.signed(23, 5) << 2)));
        t.put("CBZ", i -> Disassembly.withTarget("cbz", Reg.r(i.sf(), i.rd()), i.target(i.signed(23, 5) << 2)));
        t.put("CBNZ", i -> Disassembly.withTarget("cbnz", Reg.r(i.sf(), i.rd()), i.target(i.signed(23, 5) << 2)));
        t.put("TBZ", i -> testBranch(i, "tbz"));
        t.put("TBNZ", i -> testBranch(i, "tbnz"));
        t.put("BR", i -> of("br", Reg.x(i.rn())));
        t.put("BLR", i -> of("blr", Reg.x(i.rn())));
        t.put("RET", i -> i.rn() == 30 ? of("ret", "") : of("ret", Reg.x(i.rn())));
        t.put("SVC", i -> of("svc", Imm.hex(i.bits(20, 5))));
        t.put("BRK", i -> of("brk", Imm.hex(i.bits(20, 5))));
        for (String hint : new String[] {"HINT", "NOP", "YIELD", "WFE", "WFI", "SEV", "SEVL", "XPACLRI", "ESB",
            "CSDB", "PACIASP", "PACIBSP", "AUTIASP", "AUTIBSP", "BTI"}) {
            t.put(hint, BranchSystemFormats::hint);
        }
        t.put("CLREX", i -> i.bits(11, 8) == 15 ? of("clrex", "") : of("clrex", Imm.hex(i.bits(11, 8))));
        t.put("DSB", BranchSystemFormats::dsb);
        t.put("DMB", i -> of("dmb", barrierOption(i.bits(11, 8))));
        t.put("ISB", i -> i.bits(11, 8) == 15 ? of("isb", "") : of("isb", Imm.hex(i.bits(11, 8))));
        t.put("SB", i -> of("sb", ""));
        t.put("CFINV", i -> of("cfinv", ""));
        t.put("XAFLAG", i -> of("xaflag", ""));
        t.put("AXFLAG", i -> of("axflag", ""));
        t.put("MRS", i -> of("mrs", Reg.x(i.rd()) + ", " + SystemRegisters.name(i.bits(19, 5))));
        t.put("MSR_REG", i -> of("msr", SystemRegisters.name(i.bits(19, 5)) + ", " + Reg.x(i.rd())));
        t.put("DC_ZVA", i -> of("dc", "zva, " + Reg.x(i.rd())));
        t.put("IC_IVAU", i -> of("ic", "ivau, " + Reg.x(i.rd())));
        t.put("DC_CVAC", i -> of("dc", "cvac, " + Reg.x(i.rd())));
        t.put("DC_CVAU", i -> of("dc", "cvau, " + Reg.x(i.rd())));
        t.put("DC_CVAP", i -> of("dc", "cvap, " + Reg.x(i.rd())));
        t.put("DC_CVADP", i -> of("dc", "cvadp, " + Reg.x(i.rd())));
        t.put("DC_CIVAC", i -> of("dc", "civac, " + Reg.x(i.rd())));
    }

    private static Disassembly testBranch(Insn i, String mnemonic) {
        int bit = (i.bits(31, 31) << 5) | i.bits(23, 19);
        String rt = Reg.r(bit >= 32, i.rd());
        return Disassembly.withTarget(mnemonic, rt + ", " + Imm.dec(bit), i.target(i.signed(18, 5) << 2));
    }

    private static Disassembly hint(Insn i) {
        int number = i.bits(11, 5);
        String name = HINTS.get(number);
        if (name == null) {
            return of("hint", Imm.hex(number));
        }
        int tab = name.indexOf('\t');
        return tab < 0 ? of(name, "") : of(name.substring(0, tab), name.substring(tab + 1));
    }

    private static Disassembly dsb(Insn i) {
        int crm = i.bits(11, 8);
        if (crm == 0) {
            return of("ssbb", "");
        }
        if (crm == 4) {
            return of("pssbb", "");
        }
        return of("dsb", barrierOption(crm));
    }

    private static String barrierOption(int crm) {
        String name = Names.barrier(crm);
        return name != null ? name : Imm.hex2(crm);
    }
}
