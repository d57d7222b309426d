package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/**
 * Loads and stores of general registers: exclusive/ordered, literal, pairs, single
 * registers in every addressing mode, PRFM, and the LSE atomics with their ST* aliases.
 */
final class LoadStoreIntegerFormats {
    private LoadStoreIntegerFormats() {}

    private static final String SIZE_SUFFIX = "bh";

    static void register(Map<String, Format> t) {
        t.put("STXR", i -> exclusive(i, "stxr", true, false));
        t.put("STLXR", i -> exclusive(i, "stlxr", true, false));
        t.put("LDXR", i -> exclusive(i, "ldxr", false, false));
        t.put("LDAXR", i -> exclusive(i, "ldaxr", false, false));
        t.put("STXP", i -> exclusive(i, "stxp", true, true));
        t.put("STLXP", i -> exclusive(i, "stlxp", true, true));
        t.put("LDXP", i -> exclusive(i, "ldxp", false, true));
        t.put("LDAXP", i -> exclusive(i, "ldaxp", false, true));
        t.put("STLLR", i -> exclusive(i, "stllr", false, false));
        t.put("STLR", i -> exclusive(i, "stlr", false, false));
        t.put("LDLAR", i -> exclusive(i, "ldlar", false, false));
        // binutils decodes LDAR only with Rs and Rt2 all ones; other values are unallocated to it.
        t.put("LDAR", i -> i.rm() == 31 && i.ra() == 31 ? exclusive(i, "ldar", false, false) : null);
        t.put("LDAPR", i -> exclusive(i, "ldapr", false, false));
        t.put("STLUR", i -> single(i, "stlur", Address.offset(i.rn(), i.signed(20, 12))));
        t.put("LDAPUR", i -> single(i, "ldapur", Address.offset(i.rn(), i.signed(20, 12))));
        t.put("LDAPURS_X", i -> single(i, "ldapur", Address.offset(i.rn(), i.signed(20, 12))));
        t.put("LDAPURS_W", i -> single(i, "ldapur", Address.offset(i.rn(), i.signed(20, 12))));
        t.put("LDR_LIT_W", i -> literal(i, "ldr", Reg.w(i.rd())));
        t.put("LDR_LIT_X", i -> literal(i, "ldr", Reg.x(i.rd())));
        t.put("LDRSW_LIT", i -> literal(i, "ldrsw", Reg.x(i.rd())));
        t.put("PRFM_LIT", i -> literal(i, "prfm", Names.prefetch(i.rd())));
        t.put("STNP", i -> pair(i, "stnp", Mode.OFFSET));
        t.put("LDNP", i -> pair(i, "ldnp", Mode.OFFSET));
        t.put("STP_POST", i -> pair(i, "stp", Mode.POST));
        t.put("LDP_POST", i -> pair(i, "ldp", Mode.POST));
        t.put("STP_OFF", i -> pair(i, "stp", Mode.OFFSET));
        t.put("LDP_OFF", i -> pair(i, "ldp", Mode.OFFSET));
        t.put("STP_PRE", i -> pair(i, "stp", Mode.PRE));
        t.put("LDP_PRE", i -> pair(i, "ldp", Mode.PRE));
        t.put("STUR", i -> unscaled(i, "stur"));
        t.put("LDUR", i -> unscaled(i, "ldur"));
        t.put("LDURS_X", i -> unscaled(i, "ldur"));
        t.put("LDURS_W", i -> unscaled(i, "ldur"));
        t.put("PRFUM", i -> of("prfum", Names.prefetch(i.rd()) + ", " + Address.offset(i.rn(), i.signed(20, 12))));
        t.put("STR_POST", i -> indexed(i, "str", Mode.POST));
        t.put("LDR_POST", i -> indexed(i, "ldr", Mode.POST));
        t.put("LDRS_X_POST", i -> indexed(i, "ldr", Mode.POST));
        t.put("LDRS_W_POST", i -> indexed(i, "ldr", Mode.POST));
        t.put("STTR", i -> unscaled(i, "sttr"));
        t.put("LDTR", i -> unscaled(i, "ldtr"));
        t.put("LDTRS_X", i -> unscaled(i, "ldtr"));
        t.put("LDTRS_W", i -> unscaled(i, "ldtr"));
        t.put("STR_PRE", i -> indexed(i, "str", Mode.PRE));
        t.put("LDR_PRE", i -> indexed(i, "ldr", Mode.PRE));
        t.put("LDRS_X_PRE", i -> indexed(i, "ldr", Mode.PRE));
        t.put("LDRS_W_PRE", i -> indexed(i, "ldr", Mode.PRE));
        t.put("STR_UIMM", LoadStoreIntegerFormats::unsignedOffset);
        t.put("LDR_UIMM", LoadStoreIntegerFormats::unsignedOffset);
        t.put("LDRS_X_UIMM", LoadStoreIntegerFormats::unsignedOffset);
        t.put("LDRS_W_UIMM", LoadStoreIntegerFormats::unsignedOffset);
        t.put("PRFM_UIMM", i -> of("prfm", Names.prefetch(i.rd()) + ", " + Address.offset(i.rn(), (long) i.bits(21, 10) << 3)));
        t.put("STR_REG", LoadStoreIntegerFormats::registerOffset);
        t.put("LDR_REG", LoadStoreIntegerFormats::registerOffset);
        t.put("LDRS_X_REG", LoadStoreIntegerFormats::registerOffset);
        t.put("LDRS_W_REG", LoadStoreIntegerFormats::registerOffset);
        t.put("PRFM_REG", i -> {
            String address = Address.register(i, 3);
            return address == null ? null : of("prfm", Names.prefetch(i.rd()) + ", " + address);
        });
        AtomicFormats.register(t);
    }

    enum Mode { OFFSET, PRE, POST }

    /** The mnemonic suffix for the access size of a plain (non-sign-extending) load/store. */
    static String sizeSuffix(int size) {
        return size < 2 ? SIZE_SUFFIX.substring(size, size + 1) : "";
    }

    private static Disassembly exclusive(Insn i, String base, boolean hasStatus, boolean pair) {
        int size = i.bits(31, 30);
        boolean x = pair ? (size & 1) == 1 : size == 3;
        String mnemonic = pair ? base : base + sizeSuffix(size);
        StringBuilder ops = new StringBuilder();
        if (hasStatus) {
            ops.append(Reg.w(i.rm())).append(", ");
        }
        ops.append(Reg.r(x, i.rd()));
        if (pair) {
            ops.append(", ").append(Reg.r(x, i.ra()));
        }
        ops.append(", [").append(Reg.xsp(i.rn())).append(']');
        return of(mnemonic, ops.toString());
    }

    private static Disassembly literal(Insn i, String mnemonic, String first) {
        return Disassembly.withTarget(mnemonic, first, i.target(i.signed(23, 5) << 2));
    }

    private static Disassembly pair(Insn i, String base, Mode mode) {
        int opc = i.bits(31, 30);
        boolean load = i.bit(22);
        String mnemonic = base;
        boolean x;
        int scale;
        if (opc == 0) {
            x = false;
            scale = 4;
        } else if (opc == 2) {
            x = true;
            scale = 8;
        } else if (opc == 1 && load && !base.equals("ldnp")) {
            mnemonic = "ldpsw";
            x = true;
            scale = 4;
        } else if (opc == 1 && !load && !base.equals("stnp")) {
            // STGP (FEAT_MTE): the pair of a store that also sets the allocation tag.
            mnemonic = "stgp";
            x = true;
            scale = 16;
        } else {
            return null;
        }
        if (mnemonic.equals("ldpsw") && ldpswUnpredictable(i, mode)) {
            return null;
        }
        long offset = i.signed(21, 15) * scale;
        String regs = Reg.r(x, i.rd()) + ", " + Reg.r(x, i.ra()) + ", ";
        return of(mnemonic, regs + address(mode, i.rn(), offset));
    }

    /**
     * LDPSW with Rt == Rt2, or with writeback to one of its destinations, is CONSTRAINED
     * UNPREDICTABLE; binutils treats those words as unallocated.
     */
    private static boolean ldpswUnpredictable(Insn i, Mode mode) {
        if (i.rd() == i.ra()) {
            return true;
        }
        return mode != Mode.OFFSET && i.rn() != 31 && (i.rn() == i.rd() || i.rn() == i.ra());
    }

    static String address(Mode mode, int rn, long offset) {
        switch (mode) {
            case PRE: return Address.preIndex(rn, offset);
            case POST: return Address.postIndex(rn, offset);
            default: return Address.offset(rn, offset);
        }
    }

    /**
     * Mnemonic and target register of a single-register access from size (31:30) and opc
     * (23:22): {@code base} + "s" for sign-extending loads + size suffix; null if reserved.
     */
    private static String[] sizedAccess(Insn i, String base) {
        int size = i.bits(31, 30);
        int opc = i.bits(23, 22);
        if (opc < 2) {
            return new String[] {base + sizeSuffix(size), Reg.r(size == 3, i.rd())};
        }
        if (size == 3 || (size == 2 && opc == 3)) {
            return null;
        }
        String suffix = size == 2 ? "w" : sizeSuffix(size);
        return new String[] {base + "s" + suffix, Reg.r(opc == 2, i.rd())};
    }

    private static Disassembly single(Insn i, String base, String address) {
        String[] access = sizedAccess(i, base);
        return access == null ? null : of(access[0], access[1] + ", " + address);
    }

    /** Unscaled (LDUR/STUR) and unprivileged (LDTR/STTR) forms: a signed 9-bit byte offset. */
    private static Disassembly unscaled(Insn i, String base) {
        return single(i, base, Address.offset(i.rn(), i.signed(20, 12)));
    }

    private static Disassembly indexed(Insn i, String base, Mode mode) {
        return single(i, base, address(mode, i.rn(), i.signed(20, 12)));
    }

    private static Disassembly unsignedOffset(Insn i) {
        String base = i.bits(23, 22) == 0 ? "str" : "ldr";
        return single(i, base, Address.offset(i.rn(), (long) i.bits(21, 10) << i.bits(31, 30)));
    }

    private static Disassembly registerOffset(Insn i) {
        String base = i.bits(23, 22) == 0 ? "str" : "ldr";
        String address = Address.register(i, i.bits(31, 30));
        return address == null ? null : single(i, base, address);
    }
}
