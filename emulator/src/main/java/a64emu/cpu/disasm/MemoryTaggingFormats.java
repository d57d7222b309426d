package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/**
 * Memory tagging (FEAT_MTE) instructions of the disassembly-only table
 * ({@link DisassemblyOnlyEncodings}): tag arithmetic (ADDG, SUBG, SUBP/SUBPS/CMPP, IRG,
 * GMI), tag loads and stores (LDG, STG, STZG, ST2G, STZ2G, LDGM, STGM, STZGM) and the DC
 * operations on tags. Tag offsets count 16-byte granules (LOG2_TAG_GRANULE = 4).
 */
final class MemoryTaggingFormats {
    private MemoryTaggingFormats() {}

    private static final int LOG2_TAG_GRANULE = 4;

    /** Tag store mnemonics by opc (bits 23:22). */
    private static final String[] TAG_STORES = {"stg", "stzg", "st2g", "stz2g"};

    static void register(Map<String, Format> t) {
        t.put("MTE_ADDG", i -> addSubTag(i, "addg"));
        t.put("MTE_SUBG", i -> addSubTag(i, "subg"));
        t.put("MTE_SUBP", MemoryTaggingFormats::subtractPointer);
        // IRG's Xm (excluded tags) is optional in the syntax; objdump leaves out XZR.
        t.put("MTE_IRG", i -> of("irg", Reg.xsp(i.rd()) + ", " + Reg.xsp(i.rn())
                + (i.rm() == 31 ? "" : ", " + Reg.x(i.rm()))));
        t.put("MTE_GMI", i -> of("gmi", Reg.x(i.rd()) + ", " + Reg.xsp(i.rn()) + ", " + Reg.x(i.rm())));
        t.put("MTE_STG_POST", i -> tagStore(i, LoadStoreIntegerFormats.Mode.POST));
        t.put("MTE_STG_OFFSET", i -> tagStore(i, LoadStoreIntegerFormats.Mode.OFFSET));
        t.put("MTE_STG_PRE", i -> tagStore(i, LoadStoreIntegerFormats.Mode.PRE));
        t.put("MTE_LDG", i -> of("ldg", Reg.x(i.rd()) + ", " + Address.offset(i.rn(), tagOffset(i))));
        t.put("MTE_STZGM", i -> of("stzgm", Reg.x(i.rd()) + ", [" + Reg.xsp(i.rn()) + "]"));
        t.put("MTE_STGM", i -> of("stgm", Reg.x(i.rd()) + ", [" + Reg.xsp(i.rn()) + "]"));
        t.put("MTE_LDGM", i -> of("ldgm", Reg.x(i.rd()) + ", [" + Reg.xsp(i.rn()) + "]"));
        for (String op : new String[] {"GVA", "GZVA", "CGVAC", "CGDVAC", "CGVAP", "CGDVAP", "CGVADP", "CGDVADP",
            "CIGVAC", "CIGDVAC"}) {
            String name = op.toLowerCase(java.util.Locale.ROOT);
            t.put("MTE_DC_" + op, i -> of("dc", name + ", " + Reg.x(i.rd())));
        }
    }

    /** The signed 9-bit tag offset (bits 20:12) in bytes. */
    private static long tagOffset(Insn i) {
        return i.signed(20, 12) << LOG2_TAG_GRANULE;
    }

    /** STG/STZG/ST2G/STZ2G {@code Xt|SP, address}: the tag comes from Xt, so 31 is SP. */
    private static Disassembly tagStore(Insn i, LoadStoreIntegerFormats.Mode mode) {
        return of(TAG_STORES[i.f('o')], Reg.xsp(i.rd()) + ", "
                + LoadStoreIntegerFormats.address(mode, i.rn(), tagOffset(i)));
    }

    /** ADDG/SUBG {@code Xd|SP, Xn|SP, #uimm6 * 16, #uimm4}, both immediates in hex. */
    private static Disassembly addSubTag(Insn i, String mnemonic) {
        return of(mnemonic, Reg.xsp(i.rd()) + ", " + Reg.xsp(i.rn()) + ", "
                + Imm.hex((long) i.f('i') << LOG2_TAG_GRANULE) + ", " + Imm.hex(i.f('k')));
    }

    /** SUBP/SUBPS {@code Xd, Xn|SP, Xm|SP}; SUBPS to XZR is CMPP. */
    private static Disassembly subtractPointer(Insn i) {
        boolean setFlags = i.f('s') == 1;
        String sources = Reg.xsp(i.rn()) + ", " + Reg.xsp(i.rm());
        if (setFlags && i.rd() == 31) {
            return of("cmpp", sources);
        }
        return of(setFlags ? "subps" : "subp", Reg.x(i.rd()) + ", " + sources);
    }
}
