package a64emu.cpu.disasm;

import a64emu.cpu.isa.AdvSimdModifiedImmediate;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/**
 * Advanced SIMD copy (DUP/SMOV/UMOV/INS with their MOV aliases), modified immediate
 * (MOVI/MVNI/ORR/BIC/FMOV) and vector-by-element instructions.
 */
final class SimdCopyFormats {
    private SimdCopyFormats() {}

    static void register(Map<String, Format> t) {
        t.put("DUP_ELEMENT", i -> {
            int size = elementSize(i.bits(20, 16));
            if (size < 0 || (size == 3 && !Simd.q(i))) {
                return null;
            }
            return of("dup", Reg.v(i.rd(), Reg.arrangement(size, Simd.q(i))) + ", " + element(i.rn(), i.bits(20, 16)));
        });
        t.put("DUP_GENERAL", i -> {
            int size = elementSize(i.bits(20, 16));
            if (size < 0 || (size == 3 && !Simd.q(i))) {
                return null;
            }
            return of("dup", Reg.v(i.rd(), Reg.arrangement(size, Simd.q(i))) + ", " + Reg.r(size == 3, i.rn()));
        });
        t.put("SMOV", i -> {
            int size = elementSize(i.bits(20, 16));
            boolean q = Simd.q(i);
            if (size < 0 || size == 3 || (size == 2 && !q)) {
                return null;
            }
            return of("smov", Reg.r(q, i.rd()) + ", " + element(i.rn(), i.bits(20, 16)));
        });
        t.put("UMOV", i -> {
            int size = elementSize(i.bits(20, 16));
            boolean q = Simd.q(i);
            if (size < 0 || (q != (size == 3))) {
                return null;
            }
            return of(size >= 2 ? "mov" : "umov", Reg.r(q, i.rd()) + ", " + element(i.rn(), i.bits(20, 16)));
        });
        t.put("INS_GENERAL", i -> {
            int size = elementSize(i.bits(20, 16));
            return size < 0 ? null : of("mov", element(i.rd(), i.bits(20, 16)) + ", " + Reg.r(size == 3, i.rn()));
        });
        t.put("INS_ELEMENT", i -> {
            int imm5 = i.bits(20, 16);
            int size = elementSize(imm5);
            if (size < 0) {
                return null;
            }
            int index2 = i.bits(14, 11) >>> size;
            return of("mov", element(i.rd(), imm5) + ", " + Reg.elem(i.rn(), 1 << size, index2));
        });
        registerModifiedImmediate(t);
        SimdElementFormats.register(t);
    }

    /** The element size of a DUP/INS/xMOV imm5: its lowest set bit (ARM ARM C7.2), -1 if none below bit 4. */
    static int elementSize(int imm5) {
        int size = Integer.numberOfTrailingZeros(imm5);
        return size > 3 ? -1 : size;
    }

    /** {@code v1.s[2]} for the element imm5 selects. */
    static String element(int reg, int imm5) {
        int size = elementSize(imm5);
        return Reg.elem(reg, 1 << size, imm5 >>> (size + 1));
    }

    private static void registerModifiedImmediate(Map<String, Format> t) {
        t.put("MOVI_32_LSL", i -> shiftedImmediate(i, "movi", Simd.q(i) ? "4s" : "2s", 8 * i.bits(14, 13), "lsl"));
        t.put("ORR_32_IMM", i -> shiftedImmediate(i, "orr", Simd.q(i) ? "4s" : "2s", 8 * i.bits(14, 13), "lsl"));
        t.put("MVNI_32_LSL", i -> shiftedImmediate(i, "mvni", Simd.q(i) ? "4s" : "2s", 8 * i.bits(14, 13), "lsl"));
        t.put("BIC_32_IMM", i -> shiftedImmediate(i, "bic", Simd.q(i) ? "4s" : "2s", 8 * i.bits(14, 13), "lsl"));
        t.put("MOVI_16_LSL", i -> shiftedImmediate(i, "movi", Simd.q(i) ? "8h" : "4h", 8 * i.bits(13, 13), "lsl"));
        t.put("ORR_16_IMM", i -> shiftedImmediate(i, "orr", Simd.q(i) ? "8h" : "4h", 8 * i.bits(13, 13), "lsl"));
        t.put("MVNI_16_LSL", i -> shiftedImmediate(i, "mvni", Simd.q(i) ? "8h" : "4h", 8 * i.bits(13, 13), "lsl"));
        t.put("BIC_16_IMM", i -> shiftedImmediate(i, "bic", Simd.q(i) ? "8h" : "4h", 8 * i.bits(13, 13), "lsl"));
        t.put("MOVI_32_MSL", i -> msl(i, "movi"));
        t.put("MVNI_32_MSL", i -> msl(i, "mvni"));
        t.put("MOVI_8", i -> of("movi", Reg.v(i.rd(), Simd.q(i) ? "16b" : "8b") + ", " + Imm.hex(imm8(i))));
        t.put("MOVI_64", i -> {
            String imm = Imm.hex(AdvSimdModifiedImmediate.expandImm(1, 14, imm8(i)));
            return of("movi", (Simd.q(i) ? Reg.v(i.rd(), "2d") : Reg.fp(8, i.rd())) + ", " + imm);
        });
        t.put("FMOV_V_IMM_S", i -> of("fmov", Reg.v(i.rd(), Simd.q(i) ? "4s" : "2s") + ", " + Imm.fp(Imm.fp8(imm8(i)))));
        t.put("FMOV_V_IMM_H", i -> of("fmov", Reg.v(i.rd(), Simd.q(i) ? "8h" : "4h") + ", " + Imm.fp(Imm.fp8(imm8(i)))));
        t.put("FMOV_V_IMM_D", i -> Simd.q(i) ? of("fmov", Reg.v(i.rd(), "2d") + ", " + Imm.fp(Imm.fp8(imm8(i)))) : null);
    }

    /** a:b:c (18:16) and d:e:f:g:h (9:5). */
    private static int imm8(Insn i) {
        return (i.bits(18, 16) << 5) | i.bits(9, 5);
    }

    private static Disassembly shiftedImmediate(Insn i, String mnemonic, String arrangement, int shift, String kind) {
        String ops = Reg.v(i.rd(), arrangement) + ", " + Imm.hex(imm8(i));
        return of(mnemonic, shift == 0 ? ops : ops + ", " + kind + " " + Imm.dec(shift));
    }

    private static Disassembly msl(Insn i, String mnemonic) {
        return of(mnemonic, Reg.v(i.rd(), Simd.q(i) ? "4s" : "2s") + ", " + Imm.hex(imm8(i)) + ", msl " + Imm.dec(i.bit(12) ? 16 : 8));
    }
}
