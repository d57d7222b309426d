package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/** Advanced SIMD two-register miscellaneous (vector forms). */
final class SimdMiscFormats {
    private SimdMiscFormats() {}

    static void register(Map<String, Format> t) {
        t.put("REV64_V", i -> unary(i, Simd.BHS));
        t.put("REV32_V", i -> unary(i, Simd.B | Simd.H));
        t.put("REV16_V", i -> unary(i, Simd.B));
        t.put("CNT_V", i -> unary(i, Simd.B));
        t.put("NOT_RBIT_V", i -> {
            String t8 = Simd.q(i) ? "16b" : "8b";
            int size = Simd.size(i);
            return size > 1 ? null : of(size == 0 ? "mvn" : "rbit", Simd.two(i, t8));
        });
        for (String n : new String[] {"ABS_V", "NEG_V", "SUQADD_V", "USQADD_V", "SQABS_V", "SQNEG_V"}) {
            t.put(n, i -> unary(i, Simd.BHSD));
        }
        t.put("CLS_V", i -> unary(i, Simd.BHS));
        t.put("CLZ_V", i -> unary(i, Simd.BHS));
        for (String n : new String[] {"CMGT_ZERO", "CMEQ_ZERO", "CMLT_ZERO", "CMGE_ZERO", "CMLE_ZERO"}) {
            t.put(n, i -> {
                Disassembly d = unary(i, Simd.BHSD);
                return d == null ? null : of(d.mnemonic(), d.operands() + ", #0");
            });
        }
        for (String n : new String[] {"XTN", "SQXTN", "UQXTN", "SQXTUN"}) {
            t.put(n, SimdMiscFormats::narrow);
        }
        for (String n : new String[] {"SADDLP", "UADDLP", "SADALP", "UADALP"}) {
            t.put(n, SimdMiscFormats::pairwiseLong);
        }
        t.put("SHLL", i -> {
            int size = Simd.size(i);
            return size == 3 ? null : of("shll" + Simd.part(i), Reg.v(i.rd(), Reg.arrangement(size + 1, true)) + ", "
                    + Reg.v(i.rn(), Reg.arrangement(size, Simd.q(i))) + ", " + Imm.dec(8 << size));
        });
        t.put("URECPE", i -> i.bit(22) ? null : of("urecpe", Simd.two(i, Simd.q(i) ? "4s" : "2s")));
        t.put("URSQRTE", i -> i.bit(22) ? null : of("ursqrte", Simd.two(i, Simd.q(i) ? "4s" : "2s")));
        t.put("FCVTL", i -> of("fcvtl" + Simd.part(i), Reg.v(i.rd(), wideFp(i)) + ", " + Reg.v(i.rn(), narrowFp(i))));
        t.put("FCVTN", i -> of("fcvtn" + Simd.part(i), Reg.v(i.rd(), narrowFp(i)) + ", " + Reg.v(i.rn(), wideFp(i))));
        t.put("FCVTXN", i -> !i.bit(22) ? null : of("fcvtxn" + Simd.part(i),
                Reg.v(i.rd(), Simd.q(i) ? "4s" : "2s") + ", " + Reg.v(i.rn(), "2d")));
        for (String n : new String[] {"FABS", "FNEG", "FCVTZS", "FCVTZU", "SCVTF", "UCVTF", "FSQRT", "FRINTN", "FRINTM",
            "FRINTP", "FRINTZ", "FRINTA", "FRINTX", "FRINTI", "FCVTNS", "FCVTMS", "FCVTAS", "FCVTPS", "FCVTNU",
            "FCVTMU", "FCVTAU", "FCVTPU", "FRECPE", "FRSQRTE"}) {
            t.put(n + "_V", SimdMiscFormats::unaryFp);
            t.put(n + "_V_H", SimdMiscFormats::unaryFp);
        }
        for (String n : new String[] {"FRINT32Z_V", "FRINT32X_V", "FRINT64Z_V", "FRINT64X_V"}) {
            t.put(n, SimdMiscFormats::unaryFp);
        }
        for (String n : new String[] {"FCMGT_ZERO", "FCMEQ_ZERO", "FCMLT_ZERO", "FCMGE_ZERO", "FCMLE_ZERO"}) {
            t.put(n, SimdMiscFormats::compareZeroFp);
            t.put(n + "_V_H", SimdMiscFormats::compareZeroFp);
        }
    }

    /** FCVTL/FCVTN wide side: 4s from half precision (sz = 0), 2d from single (sz = 1). */
    private static String wideFp(Insn i) {
        return i.bit(22) ? "2d" : "4s";
    }

    /** FCVTL/FCVTN narrow side, the half of the vector Q selects. */
    private static String narrowFp(Insn i) {
        if (i.bit(22)) {
            return Simd.q(i) ? "4s" : "2s";
        }
        return Simd.q(i) ? "8h" : "4h";
    }

    private static Disassembly unary(Insn i, int sizes) {
        String t = Simd.intArrangement(Simd.size(i), Simd.q(i), sizes);
        return t == null ? null : of(Simd.mnemonic(i), Simd.two(i, t));
    }

    private static Disassembly unaryFp(Insn i) {
        String t = Simd.fpArrangement(i);
        return t == null ? null : of(Simd.mnemonic(i), Simd.two(i, t));
    }

    private static Disassembly compareZeroFp(Insn i) {
        String t = Simd.fpArrangement(i);
        return t == null ? null : of(Simd.mnemonic(i), Simd.two(i, t) + ", #0.0");
    }

    private static Disassembly narrow(Insn i) {
        int size = Simd.size(i);
        if (size == 3) {
            return null;
        }
        return of(Simd.mnemonic(i) + Simd.part(i), Reg.v(i.rd(), Reg.arrangement(size, Simd.q(i))) + ", "
                + Reg.v(i.rn(), Reg.arrangement(size + 1, true)));
    }

    private static Disassembly pairwiseLong(Insn i) {
        int size = Simd.size(i);
        if (size == 3) {
            return null;
        }
        boolean q = Simd.q(i);
        return of(Simd.mnemonic(i), Reg.v(i.rd(), Reg.arrangement(size + 1, q)) + ", " + Reg.v(i.rn(), Reg.arrangement(size, q)));
    }
}
