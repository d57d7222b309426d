package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/**
 * SVE instructions of the disassembly-only table ({@link DisassemblyOnlyEncodings}):
 * LD1B/ST1B in every addressing form, WHILELO, CNTB/CNTH/CNTW/CNTD, PTRUE/PTRUES and DUP
 * (scalar), which objdump always prints as MOV.
 */
final class SveFormats {
    private SveFormats() {}

    /** Element size suffixes by size field: b, h, s, d. */
    private static final String ELEMENT = "bhsd";

    /** CNT&lt;T&gt; mnemonic suffixes by size field: CNTW counts 32-bit words (element suffix s). */
    private static final String COUNTED = "bhwd";

    /**
     * Predicate constraint names by pattern value (ARM ARM DecodePredCount): POW2,
     * VL1-VL8, VL16-VL256, MUL4, MUL3, ALL; null where objdump prints {@code #n}.
     */
    private static final String[] PATTERNS = {
        "pow2", "vl1", "vl2", "vl3", "vl4", "vl5", "vl6", "vl7",
        "vl8", "vl16", "vl32", "vl64", "vl128", "vl256", null, null,
        null, null, null, null, null, null, null, null,
        null, null, null, null, null, "mul4", "mul3", "all"};

    /** The pattern ALL: the default operand that objdump leaves out. */
    private static final int ALL = 31;

    static void register(Map<String, Format> t) {
        t.put("SVE_LD1B_SI", i -> load(i, sized(i), scalarPlusImmediate(i)));
        t.put("SVE_LD1B_SS", i -> load(i, sized(i), scalarPlusScalar(i)));
        t.put("SVE_LD1B_SV32_S", i -> load(i, 's', scalarPlusVector32(i, 's', i.f('x'))));
        t.put("SVE_LD1B_SV32_D", i -> load(i, 'd', scalarPlusVector32(i, 'd', i.f('x'))));
        t.put("SVE_LD1B_SV64_D", i -> load(i, 'd', scalarPlusVector64(i)));
        t.put("SVE_LD1B_VI_S", i -> load(i, 's', vectorPlusImmediate(i, 's')));
        t.put("SVE_LD1B_VI_D", i -> load(i, 'd', vectorPlusImmediate(i, 'd')));
        t.put("SVE_ST1B_SI", i -> store(i, sized(i), scalarPlusImmediate(i)));
        t.put("SVE_ST1B_SS", i -> store(i, sized(i), scalarPlusScalar(i)));
        t.put("SVE_ST1B_SV32_S", i -> store(i, 's', scalarPlusVector32(i, 's', i.f('x'))));
        t.put("SVE_ST1B_SV32_D", i -> store(i, 'd', scalarPlusVector32(i, 'd', i.f('x'))));
        t.put("SVE_ST1B_SV64_D", i -> store(i, 'd', scalarPlusVector64(i)));
        t.put("SVE_ST1B_VI_S", i -> store(i, 's', vectorPlusImmediate(i, 's')));
        t.put("SVE_ST1B_VI_D", i -> store(i, 'd', vectorPlusImmediate(i, 'd')));
        t.put("SVE_WHILELO", i -> of("whilelo", predicate(i.f('d'), sized(i)) + ", "
                + Reg.r(i.f('f') == 1, i.rn()) + ", " + Reg.r(i.f('f') == 1, i.rm())));
        t.put("SVE_CNT", SveFormats::count);
        t.put("SVE_PTRUE", i -> {
            String ops = predicate(i.f('d'), sized(i));
            int pattern = i.f('p');
            return of(i.f('s') == 1 ? "ptrues" : "ptrue", pattern == ALL ? ops : ops + ", " + pattern(pattern));
        });
        // DUP (scalar): objdump prefers the MOV alias unconditionally; register 31 is the stack pointer.
        t.put("SVE_DUP_SCALAR", i -> of("mov", vector(i.rd(), sized(i)) + ", " + Reg.rsp(i.f('z') == 3, i.rn())));
    }

    /** The element size of an encoding with a size field z. */
    private static char sized(Insn i) {
        return ELEMENT.charAt(i.f('z'));
    }

    /** {@code z3.s}. */
    private static String vector(int n, char element) {
        return "z" + n + "." + element;
    }

    /** {@code p3.s}. */
    private static String predicate(int n, char element) {
        return "p" + n + "." + element;
    }

    /** A pattern name, or {@code #n} for the unnamed values. */
    private static String pattern(int value) {
        String name = PATTERNS[value];
        return name != null ? name : Imm.dec(value);
    }

    /** {@code ld1b {z0.s}, p1/z, address}: loads zero the inactive elements. */
    private static Disassembly load(Insn i, char element, String address) {
        if (address == null) {
            return null;
        }
        return of("ld1b", "{" + vector(i.f('t'), element) + "}, p" + i.f('g') + "/z, " + address);
    }

    /** {@code st1b {z0.s}, p1, address}. */
    private static Disassembly store(Insn i, char element, String address) {
        if (address == null) {
            return null;
        }
        return of("st1b", "{" + vector(i.f('t'), element) + "}, p" + i.f('g') + ", " + address);
    }

    /** {@code [x1]} or {@code [x1, #-8, mul vl]}: a signed multiple of the vector length. */
    private static String scalarPlusImmediate(Insn i) {
        long imm = i.signed(19, 16);
        String base = Reg.xsp(i.rn());
        return imm == 0 ? "[" + base + "]" : "[" + base + ", " + Imm.dec(imm) + ", mul vl]";
    }

    /** {@code [x1, x2]}; Rm = XZR is unallocated (objdump: undefined). */
    private static String scalarPlusScalar(Insn i) {
        return i.rm() == 31 ? null : "[" + Reg.xsp(i.rn()) + ", " + Reg.x(i.rm()) + "]";
    }

    /** {@code [x1, z2.s, uxtw]}: 32-bit offsets, sign-extended when xs. */
    private static String scalarPlusVector32(Insn i, char element, int xs) {
        return "[" + Reg.xsp(i.rn()) + ", " + vector(i.rm(), element) + ", " + (xs == 1 ? "sxtw" : "uxtw") + "]";
    }

    /** {@code [x1, z2.d]}: 64-bit offsets. */
    private static String scalarPlusVector64(Insn i) {
        return "[" + Reg.xsp(i.rn()) + ", " + vector(i.rm(), 'd') + "]";
    }

    /** {@code [z1.s]} or {@code [z1.s, #31]}: vector base plus an unsigned byte offset. */
    private static String vectorPlusImmediate(Insn i, char element) {
        int imm = i.f('i');
        String base = vector(i.rn(), element);
        return imm == 0 ? "[" + base + "]" : "[" + base + ", " + Imm.dec(imm) + "]";
    }

    /**
     * CNTB/CNTH/CNTW/CNTD {@code x0{, pattern{, mul #imm}}}: objdump leaves out a trailing
     * {@code , mul #1}, and the pattern too when it is ALL with no multiplier.
     */
    private static Disassembly count(Insn i) {
        int pattern = i.f('p');
        int multiplier = i.f('i') + 1;
        StringBuilder ops = new StringBuilder(Reg.x(i.rd()));
        if (pattern != ALL || multiplier != 1) {
            ops.append(", ").append(pattern(pattern));
        }
        if (multiplier != 1) {
            ops.append(", mul ").append(Imm.dec(multiplier));
        }
        return of("cnt" + COUNTED.charAt(i.f('z')), ops.toString());
    }
}
