package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/** Advanced SIMD scalar instructions: operands are b/h/s/d registers chosen by the size fields. */
final class SimdScalarFormats {
    private SimdScalarFormats() {}

    static void register(Map<String, Format> t) {
        for (String n : new String[] {"ADD", "SUB", "CMTST", "CMEQ", "CMGT", "CMHI", "CMGE", "CMHS", "SSHL", "USHL",
            "SRSHL", "URSHL"}) {
            t.put(n + "_SCALAR", i -> three(i, 8));
        }
        for (String n : new String[] {"SQADD", "UQADD", "SQSUB", "UQSUB", "SQSHL", "UQSHL", "SQRSHL", "UQRSHL"}) {
            t.put(n + "_SCALAR", i -> three(i, 1 << Simd.size(i)));
        }
        for (String n : new String[] {"SQDMULH", "SQRDMULH", "SQRDMLAH", "SQRDMLSH"}) {
            t.put(n + "_SCALAR", i -> Simd.size(i) == 1 || Simd.size(i) == 2 ? three(i, 1 << Simd.size(i)) : null);
        }
        for (String n : new String[] {"SQDMLAL", "SQDMLSL", "SQDMULL"}) {
            t.put(n + "_SCALAR", SimdScalarFormats::longThree);
        }
        for (String n : new String[] {"FABD", "FCMEQ", "FCMGE", "FCMGT", "FMULX", "FRECPS", "FRSQRTS", "FACGE", "FACGT"}) {
            t.put(n + "_SCALAR", i -> three(i, Simd.fpScalarBytes(i)));
            t.put(n + "_SCALAR_H", i -> three(i, Simd.fpScalarBytes(i)));
        }
        for (String n : new String[] {"CMGT", "CMEQ", "CMLT", "CMGE", "CMLE"}) {
            t.put(n + "_ZERO_SCALAR", i -> of(Simd.mnemonic(i), two(i, 8, 8) + ", #0"));
        }
        t.put("ABS_SCALAR", i -> of("abs", two(i, 8, 8)));
        t.put("NEG_SCALAR", i -> of("neg", two(i, 8, 8)));
        for (String n : new String[] {"SUQADD", "USQADD", "SQABS", "SQNEG"}) {
            t.put(n + "_SCALAR", i -> of(Simd.mnemonic(i), two(i, 1 << Simd.size(i), 1 << Simd.size(i))));
        }
        for (String n : new String[] {"SQXTN", "UQXTN", "SQXTUN"}) {
            t.put(n + "_SCALAR", i -> Simd.size(i) == 3 ? null
                    : of(Simd.mnemonic(i), two(i, 1 << Simd.size(i), 2 << Simd.size(i))));
        }
        t.put("FCVTXN_SCALAR", i -> i.bit(22) ? of("fcvtxn", two(i, 4, 8)) : null);
        for (String n : new String[] {"SCVTF", "UCVTF", "FCVTZS", "FCVTZU", "FCVTNS", "FCVTMS", "FCVTAS", "FCVTPS",
            "FCVTNU", "FCVTMU", "FCVTAU", "FCVTPU", "FRECPE", "FRSQRTE", "FRECPX"}) {
            t.put(n + "_SCALAR", SimdScalarFormats::unaryFp);
            t.put(n + "_SCALAR_H", SimdScalarFormats::unaryFp);
        }
        for (String n : new String[] {"FCMGT", "FCMEQ", "FCMLT", "FCMGE", "FCMLE"}) {
            t.put(n + "_ZERO_SCALAR", i -> of(Simd.mnemonic(i), unaryFp(i).operands() + ", #0.0"));
            t.put(n + "_ZERO_SCALAR_H", i -> of(Simd.mnemonic(i), unaryFp(i).operands() + ", #0.0"));
        }
        t.put("ADDP_SCALAR", i -> Simd.size(i) == 3 ? of("addp", Reg.fp(8, i.rd()) + ", " + Reg.v(i.rn(), "2d")) : null);
        for (String n : new String[] {"FADDP", "FMAXNMP", "FMINNMP", "FMAXP", "FMINP"}) {
            t.put(n + "_SCALAR", SimdScalarFormats::pairwiseFp);
            t.put(n + "_SCALAR_H", SimdScalarFormats::pairwiseFp);
        }
        t.put("DUP_SCALAR", i -> {
            int imm5 = i.bits(20, 16);
            int size = SimdCopyFormats.elementSize(imm5);
            return size < 0 ? null : of("mov", Reg.fp(1 << size, i.rd()) + ", " + SimdCopyFormats.element(i.rn(), imm5));
        });
        for (String n : new String[] {"SSHR", "USHR", "SSRA", "USRA", "SRSHR", "URSHR", "SRSRA", "URSRA", "SRI"}) {
            t.put(n + "_SCALAR", i -> shift(i, true, 8));
        }
        t.put("SHL_SCALAR", i -> shift(i, false, 8));
        t.put("SLI_SCALAR", i -> shift(i, false, 8));
        for (String n : new String[] {"SQSHLU", "SQSHL_IMM", "UQSHL_IMM"}) {
            t.put(n + "_SCALAR", i -> shift(i, false, 0));
        }
        for (String n : new String[] {"SQSHRN", "SQRSHRN", "SQSHRUN", "SQRSHRUN", "UQSHRN", "UQRSHRN"}) {
            t.put(n + "_SCALAR", SimdScalarFormats::shiftNarrow);
        }
        for (String n : new String[] {"SCVTF", "UCVTF", "FCVTZS", "FCVTZU"}) {
            t.put(n + "_FIXED_SCALAR", SimdScalarFormats::fixed);
        }
    }

    private static Disassembly three(Insn i, int bytes) {
        return of(Simd.mnemonic(i), Reg.fp(bytes, i.rd()) + ", " + Reg.fp(bytes, i.rn()) + ", " + Reg.fp(bytes, i.rm()));
    }

    private static String two(Insn i, int dBytes, int nBytes) {
        return Reg.fp(dBytes, i.rd()) + ", " + Reg.fp(nBytes, i.rn());
    }

    private static Disassembly longThree(Insn i) {
        int size = Simd.size(i);
        if (size != 1 && size != 2) {
            return null;
        }
        int bytes = 1 << size;
        return of(Simd.mnemonic(i), Reg.fp(2 * bytes, i.rd()) + ", " + Reg.fp(bytes, i.rn()) + ", " + Reg.fp(bytes, i.rm()));
    }

    private static Disassembly unaryFp(Insn i) {
        int bytes = Simd.fpScalarBytes(i);
        return of(Simd.mnemonic(i), two(i, bytes, bytes));
    }

    private static Disassembly pairwiseFp(Insn i) {
        int bytes = Simd.fpScalarBytes(i);
        String t = bytes == 2 ? "2h" : bytes == 4 ? "2s" : "2d";
        return of(Simd.mnemonic(i), Reg.fp(bytes, i.rd()) + ", " + Reg.v(i.rn(), t));
    }

    /** Scalar shifts; {@code onlySize} 8 for the encodings that exist only for 64-bit elements. */
    private static Disassembly shift(Insn i, boolean right, int onlySize) {
        int size = Simd.shiftSize(i);
        if (size < 0 || (onlySize == 8 && size != 3)) {
            return null;
        }
        int esize = 8 << size;
        int amount = right ? 2 * esize - Simd.shiftImmediate(i) : Simd.shiftImmediate(i) - esize;
        return of(Simd.mnemonic(i), two(i, 1 << size, 1 << size) + ", " + Imm.dec(amount));
    }

    private static Disassembly shiftNarrow(Insn i) {
        int size = Simd.shiftSize(i);
        if (size < 0 || size == 3) {
            return null;
        }
        int amount = 2 * (8 << size) - Simd.shiftImmediate(i);
        return of(Simd.mnemonic(i), two(i, 1 << size, 2 << size) + ", " + Imm.dec(amount));
    }

    private static Disassembly fixed(Insn i) {
        int size = Simd.shiftSize(i);
        if (size < 1) {
            return null;
        }
        int fbits = 2 * (8 << size) - Simd.shiftImmediate(i);
        return of(Simd.mnemonic(i), two(i, 1 << size, 1 << size) + ", " + Imm.dec(fbits));
    }
}
