package a64emu.cpu.disasm;

/** The small closed name sets of A64 operands: conditions, extends, shifts, barriers, prefetch ops. */
final class Names {
    private Names() {}

    private static final String[] CONDITIONS = {
        "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"};

    private static final String[] SHIFTS = {"lsl", "lsr", "asr", "ror"};

    private static final String[] EXTENDS = {"uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"};

    /** DMB/DSB option CRm (ARM ARM C6.2.80); null where objdump prints #imm. */
    private static final String[] BARRIERS = {
        null, "oshld", "oshst", "osh", null, "nshld", "nshst", "nsh",
        null, "ishld", "ishst", "ish", null, "ld", "st", "sy"};

    private static final String[] PRFOP_TYPE = {"pld", "pli", "pst"};
    private static final String[] PRFOP_POLICY = {"keep", "strm"};

    static String condition(int cond) {
        return CONDITIONS[cond & 15];
    }

    static String shift(int type) {
        return SHIFTS[type & 3];
    }

    static String extend(int option) {
        return EXTENDS[option & 7];
    }

    /** Barrier option or null. */
    static String barrier(int crm) {
        return BARRIERS[crm & 15];
    }

    /** PRFM prfop: {@code pldl1keep}, or {@code #0x18} for an unallocated one. */
    static String prefetch(int rt) {
        int type = rt >>> 3;
        int target = (rt >>> 1) & 3;
        if (type > 2 || target == 3) {
            return Imm.hex2(rt);
        }
        return PRFOP_TYPE[type] + "l" + (target + 1) + PRFOP_POLICY[rt & 1];
    }
}
