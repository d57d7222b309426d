package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/**
 * Advanced SIMD vector instructions: three same, three different, two-register
 * miscellaneous, across lanes, shift by immediate and permutes, with objdump's aliases
 * (MOV for ORR, MVN for NOT, SXTL/UXTL for SSHLL/USHLL #0).
 */
final class SimdFormats {
    private SimdFormats() {}

    static void register(Map<String, Format> t) {
        for (String n : new String[] {"ADD_V", "SUB_V", "CMTST_V", "CMEQ_V", "CMGT_V", "CMHI_V", "CMGE_V", "CMHS_V",
            "SSHL_V", "USHL_V", "SQADD_V", "UQADD_V", "SQSUB_V", "UQSUB_V", "SQSHL_V", "UQSHL_V", "SRSHL_V",
            "URSHL_V", "SQRSHL_V", "UQRSHL_V", "ADDP_V"}) {
            t.put(n, i -> sameInt(i, Simd.BHSD));
        }
        for (String n : new String[] {"SMAX_V", "UMAX_V", "SMIN_V", "UMIN_V", "MLA_V", "MLS_V", "MUL_V", "SMAXP_V",
            "UMAXP_V", "SMINP_V", "UMINP_V", "SHADD_V", "UHADD_V", "SRHADD_V", "URHADD_V", "SHSUB_V", "UHSUB_V",
            "SABD_V", "UABD_V", "SABA_V", "UABA_V"}) {
            t.put(n, i -> sameInt(i, Simd.BHS));
        }
        for (String n : new String[] {"SQDMULH_V", "SQRDMULH_V", "SQRDMLAH_V", "SQRDMLSH_V"}) {
            t.put(n, i -> sameInt(i, Simd.HS));
        }
        t.put("PMUL_V", i -> sameInt(i, Simd.B));
        for (String n : new String[] {"AND_V", "BIC_V", "ORR_V", "ORN_V", "EOR_V", "BSL_V", "BIT_V", "BIF_V"}) {
            t.put(n, SimdFormats::logical);
        }
        for (String n : new String[] {"FMLA", "FMLS", "FADD", "FSUB", "FADDP", "FMUL", "FCMEQ", "FCMGE", "FCMGT",
            "FMAX", "FMIN", "FMAXNM", "FMINNM", "FMAXNMP", "FMINNMP", "FMAXP", "FMINP", "FABD", "FDIV", "FMULX",
            "FRECPS", "FRSQRTS", "FACGE", "FACGT"}) {
            t.put(n + "_V", SimdFormats::sameFp);
            t.put(n + "_V_H", SimdFormats::sameFp);
        }
        for (String n : new String[] {"FMLAL_V", "FMLSL_V", "FMLAL2_V", "FMLSL2_V"}) {
            t.put(n, i -> {
                boolean q = Simd.q(i);
                return of(Simd.mnemonic(i), Reg.v(i.rd(), q ? "4s" : "2s") + ", " + Reg.v(i.rn(), q ? "4h" : "2h")
                        + ", " + Reg.v(i.rm(), q ? "4h" : "2h"));
            });
        }
        t.put("SDOT_V", SimdFormats::dot);
        t.put("UDOT_V", SimdFormats::dot);
        t.put("FCMLA_V", i -> complex(i, i.bits(12, 11) * 90));
        t.put("FCADD_V", i -> complex(i, i.bit(12) ? 270 : 90));

        for (String n : new String[] {"SADDL", "UADDL", "SSUBL", "USUBL", "SMLAL", "UMLAL", "SMLSL", "UMLSL",
            "SMULL", "UMULL", "SABAL", "UABAL", "SABDL", "UABDL"}) {
            t.put(n, i -> different(i, Simd.BHS, 1, 0, 0));
        }
        for (String n : new String[] {"SQDMLAL", "SQDMLSL", "SQDMULL"}) {
            t.put(n, i -> different(i, Simd.HS, 1, 0, 0));
        }
        for (String n : new String[] {"SADDW", "UADDW", "SSUBW", "USUBW"}) {
            t.put(n, i -> different(i, Simd.BHS, 1, 1, 0));
        }
        for (String n : new String[] {"ADDHN", "RADDHN", "SUBHN", "RSUBHN"}) {
            t.put(n, i -> different(i, Simd.BHS, 0, 1, 1));
        }
        t.put("PMULL", SimdFormats::pmull);

        SimdMiscFormats.register(t);
        SimdShiftFormats.register(t);

        for (String n : new String[] {"UZP1", "TRN1", "ZIP1", "UZP2", "TRN2", "ZIP2"}) {
            t.put(n, i -> sameInt(i, Simd.BHSD));
        }
        t.put("EXT", i -> !Simd.q(i) && i.bit(14) ? null
                : of("ext", Simd.three(i, Simd.q(i) ? "16b" : "8b") + ", " + Imm.dec(i.bits(14, 11))));
        t.put("TBL_TBX", i -> {
            String t8 = Simd.q(i) ? "16b" : "8b";
            return of(i.bit(12) ? "tbx" : "tbl", Reg.v(i.rd(), t8) + ", " + Reg.list(i.rn(), i.bits(14, 13) + 1, "16b")
                    + ", " + Reg.v(i.rm(), t8));
        });

        for (String n : new String[] {"SADDLV", "UADDLV"}) {
            t.put(n, i -> across(i, true));
        }
        for (String n : new String[] {"SMAXV", "UMAXV", "SMINV", "UMINV", "ADDV"}) {
            t.put(n, i -> across(i, false));
        }
        for (String n : new String[] {"FMAXNMV", "FMINNMV", "FMAXV", "FMINV"}) {
            t.put(n, SimdFormats::acrossFp);
            t.put(n + "_H", SimdFormats::acrossFp);
        }
    }

    static Disassembly sameInt(Insn i, int sizes) {
        String t = Simd.intArrangement(Simd.size(i), Simd.q(i), sizes);
        return t == null ? null : of(Simd.mnemonic(i), Simd.three(i, t));
    }

    private static Disassembly logical(Insn i) {
        String t = Simd.q(i) ? "16b" : "8b";
        String m = Simd.mnemonic(i);
        if (m.equals("orr") && i.rn() == i.rm()) {
            return of("mov", Simd.two(i, t));
        }
        return of(m, Simd.three(i, t));
    }

    private static Disassembly sameFp(Insn i) {
        String t = Simd.fpArrangement(i);
        return t == null ? null : of(Simd.mnemonic(i), Simd.three(i, t));
    }

    private static Disassembly dot(Insn i) {
        if (Simd.size(i) != 2) {
            return null;
        }
        boolean q = Simd.q(i);
        return of(Simd.mnemonic(i), Reg.v(i.rd(), q ? "4s" : "2s") + ", " + Reg.v(i.rn(), q ? "16b" : "8b")
                + ", " + Reg.v(i.rm(), q ? "16b" : "8b"));
    }

    private static Disassembly complex(Insn i, int rotation) {
        int size = Simd.size(i);
        String t = size == 0 ? null : Simd.intArrangement(size, Simd.q(i), Simd.BHSD);
        return t == null ? null : of(Simd.mnemonic(i), Simd.three(i, t) + ", " + Imm.dec(rotation));
    }

    /**
     * Three-different shapes: each operand is wide (1: size+1, full width) or narrow (0:
     * size, the half chosen by Q). Vd, Vn, Vm widths given as 0/1.
     */
    private static Disassembly different(Insn i, int sizes, int dWide, int nWide, int mWide) {
        int size = Simd.size(i);
        if ((sizes & (1 << size)) == 0) {
            return null;
        }
        boolean q = Simd.q(i);
        String wide = Reg.arrangement(size + 1, true);
        String narrow = Reg.arrangement(size, q);
        String ops = Reg.v(i.rd(), dWide == 1 ? wide : narrow) + ", " + Reg.v(i.rn(), nWide == 1 ? wide : narrow)
                + ", " + Reg.v(i.rm(), mWide == 1 ? wide : narrow);
        return of(Simd.mnemonic(i) + Simd.part(i), ops);
    }

    private static Disassembly pmull(Insn i) {
        int size = Simd.size(i);
        boolean q = Simd.q(i);
        if (size == 0) {
            return of("pmull" + Simd.part(i), Reg.v(i.rd(), "8h") + ", " + Reg.v(i.rn(), q ? "16b" : "8b") + ", "
                    + Reg.v(i.rm(), q ? "16b" : "8b"));
        }
        if (size == 3) {
            return of("pmull" + Simd.part(i), Reg.v(i.rd(), "1q") + ", " + Reg.v(i.rn(), q ? "2d" : "1d") + ", "
                    + Reg.v(i.rm(), q ? "2d" : "1d"));
        }
        return null;
    }

    private static Disassembly across(Insn i, boolean longResult) {
        int size = Simd.size(i);
        boolean q = Simd.q(i);
        if (size == 3 || (size == 2 && !q)) {
            return null;
        }
        int resultBytes = (1 << size) * (longResult ? 2 : 1);
        return of(Simd.mnemonic(i), Reg.fp(resultBytes, i.rd()) + ", " + Reg.v(i.rn(), Reg.arrangement(size, q)));
    }

    private static Disassembly acrossFp(Insn i) {
        if (Simd.half(i)) {
            return of(Simd.mnemonic(i), Reg.fp(2, i.rd()) + ", " + Reg.v(i.rn(), Simd.q(i) ? "8h" : "4h"));
        }
        if (!Simd.q(i) || i.bit(22)) {
            return null;
        }
        return of(Simd.mnemonic(i), Reg.fp(4, i.rd()) + ", " + Reg.v(i.rn(), "4s"));
    }
}
