package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/**
 * Advanced SIMD vector and scalar x indexed element. The element is Vm[index] where, for
 * 16-bit elements, index = H:L:M and Vm is 4 bits; for 32-bit, index = H:L and Vm = M:Rm;
 * for 64-bit, index = H (ARM ARM C4.1.95).
 */
final class SimdElementFormats {
    private SimdElementFormats() {}

    static void register(Map<String, Format> t) {
        for (String n : new String[] {"MLA_ELEM", "MLS_ELEM", "MUL_ELEM", "SQDMULH_ELEM", "SQRDMULH_ELEM", "SQRDMLAH_ELEM",
            "SQRDMLSH_ELEM"}) {
            t.put(n, SimdElementFormats::sameInt);
        }
        for (String n : new String[] {"SMLAL_ELEM", "UMLAL_ELEM", "SMLSL_ELEM", "UMLSL_ELEM", "SMULL_ELEM", "UMULL_ELEM",
            "SQDMLAL_ELEM", "SQDMLSL_ELEM", "SQDMULL_ELEM"}) {
            t.put(n, SimdElementFormats::longInt);
        }
        for (String n : new String[] {"FMLA_ELEM", "FMLS_ELEM", "FMUL_ELEM", "FMULX_ELEM", "FMLA_ELEM_H", "FMLS_ELEM_H",
            "FMUL_ELEM_H", "FMULX_ELEM_H"}) {
            t.put(n, SimdElementFormats::sameFp);
        }
        for (String n : new String[] {"FMLA_ELEM_SCALAR", "FMLS_ELEM_SCALAR", "FMUL_ELEM_SCALAR", "FMULX_ELEM_SCALAR",
            "FMLA_ELEM_SCALAR_H", "FMLS_ELEM_SCALAR_H", "FMUL_ELEM_SCALAR_H", "FMULX_ELEM_SCALAR_H"}) {
            t.put(n, SimdElementFormats::scalarFp);
        }
        for (String n : new String[] {"SQDMULH_ELEM_SCALAR", "SQRDMULH_ELEM_SCALAR", "SQRDMLAH_ELEM_SCALAR",
            "SQRDMLSH_ELEM_SCALAR"}) {
            t.put(n, i -> scalarInt(i, false));
        }
        for (String n : new String[] {"SQDMLAL_ELEM_SCALAR", "SQDMLSL_ELEM_SCALAR", "SQDMULL_ELEM_SCALAR"}) {
            t.put(n, i -> scalarInt(i, true));
        }
        t.put("SDOT_ELEM", SimdElementFormats::dot);
        t.put("UDOT_ELEM", SimdElementFormats::dot);
        t.put("FCMLA_ELEM", SimdElementFormats::complex);
        for (String n : new String[] {"FMLAL_ELEM", "FMLSL_ELEM", "FMLAL2_ELEM", "FMLSL2_ELEM"}) {
            t.put(n, SimdElementFormats::widenHalf);
        }
    }

    /** Vm[index] for integer element size 1 (h) or 2 (s); null for other sizes. */
    private static String intElement(Insn i, int size) {
        if (size == 1) {
            return Reg.elem(i.bits(19, 16), 2, (i.bits(11, 11) << 2) | i.bits(21, 20));
        }
        if (size == 2) {
            return Reg.elem(i.rm(), 4, (i.bits(11, 11) << 1) | i.bits(21, 21));
        }
        return null;
    }

    /** Vm[index] for an FP element: h for _H encodings, else s or d by sz (bit 22); null if reserved. */
    private static String fpElement(Insn i) {
        if (Simd.half(i)) {
            return intElement(i, 1);
        }
        if (!i.bit(22)) {
            return intElement(i, 2);
        }
        if (i.bit(21)) {
            return null;
        }
        return Reg.elem(i.rm(), 8, i.bits(11, 11));
    }

    private static Disassembly sameInt(Insn i) {
        int size = Simd.size(i);
        String element = intElement(i, size);
        return element == null ? null
                : of(Simd.mnemonic(i), Simd.two(i, Reg.arrangement(size, Simd.q(i))) + ", " + element);
    }

    private static Disassembly longInt(Insn i) {
        int size = Simd.size(i);
        String element = intElement(i, size);
        return element == null ? null : of(Simd.mnemonic(i) + Simd.part(i), Reg.v(i.rd(), Reg.arrangement(size + 1, true))
                + ", " + Reg.v(i.rn(), Reg.arrangement(size, Simd.q(i))) + ", " + element);
    }

    private static Disassembly sameFp(Insn i) {
        String t = Simd.fpArrangement(i);
        String element = fpElement(i);
        return t == null || element == null ? null : of(Simd.mnemonic(i), Simd.two(i, t) + ", " + element);
    }

    private static Disassembly scalarFp(Insn i) {
        int bytes = Simd.fpScalarBytes(i);
        String element = fpElement(i);
        return element == null ? null
                : of(Simd.mnemonic(i), Reg.fp(bytes, i.rd()) + ", " + Reg.fp(bytes, i.rn()) + ", " + element);
    }

    private static Disassembly scalarInt(Insn i, boolean longResult) {
        int size = Simd.size(i);
        String element = intElement(i, size);
        if (element == null) {
            return null;
        }
        int bytes = 1 << size;
        return of(Simd.mnemonic(i), Reg.fp(longResult ? 2 * bytes : bytes, i.rd()) + ", " + Reg.fp(bytes, i.rn()) + ", " + element);
    }

    /** FMLAL/FMLSL(2) by element: single-precision accumulators, half-precision sources. */
    private static Disassembly widenHalf(Insn i) {
        boolean q = Simd.q(i);
        return of(Simd.mnemonic(i), Reg.v(i.rd(), q ? "4s" : "2s") + ", " + Reg.v(i.rn(), q ? "4h" : "2h") + ", " + intElement(i, 1));
    }

    private static Disassembly dot(Insn i) {
        if (Simd.size(i) != 2) {
            return null;
        }
        boolean q = Simd.q(i);
        String element = "v" + i.rm() + ".4b[" + ((i.bits(11, 11) << 1) | i.bits(21, 21)) + "]";
        return of(Simd.mnemonic(i), Reg.v(i.rd(), q ? "4s" : "2s") + ", " + Reg.v(i.rn(), q ? "16b" : "8b") + ", " + element);
    }

    private static Disassembly complex(Insn i) {
        int size = Simd.size(i);
        boolean q = Simd.q(i);
        String element;
        String t;
        if (size == 1 && (q || !i.bit(11))) {
            // A 4h vector holds two complex pairs: H = 1 is reserved.
            t = q ? "8h" : "4h";
            element = Reg.elem(i.rm(), 2, (i.bits(11, 11) << 1) | i.bits(21, 21));
        } else if (size == 2 && q && !i.bit(21)) {
            // size 10 has one index bit (H); L set or a 64-bit vector is reserved.
            t = "4s";
            element = Reg.elem(i.rm(), 4, i.bits(11, 11));
        } else {
            return null;
        }
        return of("fcmla", Simd.two(i, t) + ", " + element + ", " + Imm.dec(i.bits(14, 13) * 90));
    }
}
