package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/** Scalar floating point (ARM ARM C4.1.96): data processing, compares, FMOV, conversions. */
final class FloatingPointFormats {
    private FloatingPointFormats() {}

    private static final String[] DP1 = new String[20];
    private static final String[] DP2 = {"fmul", "fdiv", "fadd", "fsub", "fmax", "fmin", "fmaxnm", "fminnm", "fnmul"};
    private static final String[] DP3 = {"fmadd", "fmsub", "fnmadd", "fnmsub"};

    static {
        DP1[0] = "fmov";
        DP1[1] = "fabs";
        DP1[2] = "fneg";
        DP1[3] = "fsqrt";
        DP1[8] = "frintn";
        DP1[9] = "frintp";
        DP1[10] = "frintm";
        DP1[11] = "frintz";
        DP1[12] = "frinta";
        DP1[14] = "frintx";
        DP1[15] = "frinti";
        DP1[16] = "frint32z";
        DP1[17] = "frint32x";
        DP1[18] = "frint64z";
        DP1[19] = "frint64x";
    }

    static void register(Map<String, Format> t) {
        t.put("FP_DP1", FloatingPointFormats::dataProcessing1);
        t.put("FP_COMPARE", FloatingPointFormats::compare);
        t.put("FMOV_IMM", i -> {
            int bytes = typeBytes(i.bits(23, 22));
            return bytes == 0 || i.bits(9, 5) != 0 ? null
                    : of("fmov", Reg.fp(bytes, i.rd()) + ", " + Imm.fp(Imm.fp8(i.bits(20, 13))));
        });
        t.put("FCCMP", i -> {
            int bytes = typeBytes(i.bits(23, 22));
            return bytes == 0 ? null : of(i.bit(4) ? "fccmpe" : "fccmp", Reg.fp(bytes, i.rn()) + ", "
                    + Reg.fp(bytes, i.rm()) + ", " + Imm.hex(i.bits(3, 0)) + ", " + Names.condition(i.bits(15, 12)));
        });
        t.put("FP_DP2", i -> {
            int bytes = typeBytes(i.bits(23, 22));
            int opcode = i.bits(15, 12);
            return bytes == 0 || opcode >= DP2.length ? null : of(DP2[opcode], three(i, bytes));
        });
        t.put("FCSEL", i -> {
            int bytes = typeBytes(i.bits(23, 22));
            return bytes == 0 ? null : of("fcsel", three(i, bytes) + ", " + Names.condition(i.bits(15, 12)));
        });
        t.put("FP_DP3", i -> {
            int bytes = typeBytes(i.bits(23, 22));
            return bytes == 0 ? null : of(DP3[(i.bits(21, 21) << 1) | i.bits(15, 15)],
                    three(i, bytes) + ", " + Reg.fp(bytes, i.ra()));
        });
        t.put("FP_INT_CONVERT", FloatingPointFormats::integerConvert);
        t.put("FP_FIXED_CONVERT", FloatingPointFormats::fixedConvert);
        t.put("FJCVTZS", i -> of("fjcvtzs", Reg.w(i.rd()) + ", " + Reg.fp(8, i.rn())));
    }

    /** ftype (23:22): 00 single, 01 double, 11 half; 10 is reserved (0 here). */
    static int typeBytes(int ftype) {
        switch (ftype) {
            case 0: return 4;
            case 1: return 8;
            case 3: return 2;
            default: return 0;
        }
    }

    private static String three(Insn i, int bytes) {
        return Reg.fp(bytes, i.rd()) + ", " + Reg.fp(bytes, i.rn()) + ", " + Reg.fp(bytes, i.rm());
    }

    private static Disassembly dataProcessing1(Insn i) {
        int bytes = typeBytes(i.bits(23, 22));
        int opcode = i.bits(20, 15);
        if (bytes == 0) {
            return null;
        }
        if (opcode == 6 && bytes == 8) {
            // BFCVT (FEAT_BF16) sits in the double-precision row of the FCVT opcodes.
            return of("bfcvt", Reg.fp(2, i.rd()) + ", " + Reg.fp(4, i.rn()));
        }
        if ((opcode & 0x3C) == 4) {
            // FCVT: opcode 0001xx, xx = destination type.
            int to = typeBytes(opcode & 3);
            return to == 0 || to == bytes ? null : of("fcvt", Reg.fp(to, i.rd()) + ", " + Reg.fp(bytes, i.rn()));
        }
        if (opcode >= DP1.length || DP1[opcode] == null || (opcode >= 16 && bytes == 2)) {
            return null;
        }
        return of(DP1[opcode], Reg.fp(bytes, i.rd()) + ", " + Reg.fp(bytes, i.rn()));
    }

    private static Disassembly compare(Insn i) {
        int bytes = typeBytes(i.bits(23, 22));
        int opc = i.bits(4, 0);
        if (bytes == 0 || (opc & 7) != 0) {
            return null;
        }
        String mnemonic = (opc & 16) != 0 ? "fcmpe" : "fcmp";
        String second = (opc & 8) != 0 ? "#0.0" : Reg.fp(bytes, i.rm());
        return of(mnemonic, Reg.fp(bytes, i.rn()) + ", " + second);
    }

    private static final String[][] CONVERT = {
        {"fcvtns", "fcvtnu", "scvtf", "ucvtf", "fcvtas", "fcvtau", "fmov", "fmov"},
        {"fcvtps", "fcvtpu", null, null, null, null, "fmov", "fmov"},
        {"fcvtms", "fcvtmu", null, null, null, null, null, null},
        {"fcvtzs", "fcvtzu", null, null, null, null, null, null},
    };

    private static Disassembly integerConvert(Insn i) {
        boolean sf = i.sf();
        int ftype = i.bits(23, 22);
        int rmode = i.bits(20, 19);
        int opcode = i.bits(18, 16);
        String mnemonic = CONVERT[rmode][opcode];
        if (mnemonic == null) {
            return null;
        }
        String gpr = Reg.r(sf, opcode == 7 || opcode == 2 || opcode == 3 ? i.rn() : i.rd());
        if (opcode >= 6) {
            String fp;
            if (rmode == 1) {
                if (!sf || ftype != 2) {
                    return null;
                }
                fp = "v" + (opcode == 7 ? i.rd() : i.rn()) + ".d[1]";
            } else {
                int bytes = typeBytes(ftype);
                if (bytes == 0 || (bytes == 4 && sf) || (bytes == 8 && !sf)) {
                    return null;
                }
                fp = Reg.fp(bytes, opcode == 7 ? i.rd() : i.rn());
            }
            return of("fmov", opcode == 7 ? fp + ", " + gpr : gpr + ", " + fp);
        }
        int bytes = typeBytes(ftype);
        if (bytes == 0) {
            return null;
        }
        if (opcode == 2 || opcode == 3) {
            return of(mnemonic, Reg.fp(bytes, i.rd()) + ", " + gpr);
        }
        return of(mnemonic, gpr + ", " + Reg.fp(bytes, i.rn()));
    }

    private static Disassembly fixedConvert(Insn i) {
        boolean sf = i.sf();
        int bytes = typeBytes(i.bits(23, 22));
        int rmode = i.bits(20, 19);
        int opcode = i.bits(18, 16);
        int scale = 64 - i.bits(15, 10);
        if (bytes == 0 || (!sf && scale > 32)) {
            return null;
        }
        String fbits = Imm.dec(scale);
        if (rmode == 3 && opcode < 2) {
            return of(opcode == 0 ? "fcvtzs" : "fcvtzu", Reg.r(sf, i.rd()) + ", " + Reg.fp(bytes, i.rn()) + ", " + fbits);
        }
        if (rmode == 0 && (opcode == 2 || opcode == 3)) {
            return of(opcode == 2 ? "scvtf" : "ucvtf", Reg.fp(bytes, i.rd()) + ", " + Reg.r(sf, i.rn()) + ", " + fbits);
        }
        return null;
    }
}
