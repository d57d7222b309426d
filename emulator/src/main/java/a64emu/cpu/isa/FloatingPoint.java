package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

import static a64emu.cpu.isa.RegisterFields.rd;
import static a64emu.cpu.isa.RegisterFields.rm;
import static a64emu.cpu.isa.RegisterFields.rn;

/**
 * Scalar floating-point data processing (ARM ARM C4.1.6, the groups with bits 28:24 =
 * 11110/11111 and M=S=0): FMOV in all forms, the arithmetic, FMADD family, compares,
 * conditional compare/select, precision conversions, FRINT*, and the conversions
 * between floating point and integer or fixed point.
 *
 * <p>With FEAT_FP16 every arithmetic form also takes half precision (ftype 11); ftype 10
 * is undefined outside the FMOV top-half forms.
 */
public final class FloatingPoint {
    private FloatingPoint() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("FP_DP1", "00011110tt1oooooo10000nnnnnddddd", FloatingPoint::dataProcessing1),
            Encoding.of("FP_COMPARE", "00011110tt1mmmmm001000nnnnnooooo", FloatingPoint::compare),
            Encoding.of("FMOV_IMM", "00011110tt1iiiiiiii10000000ddddd", FloatingPoint::moveImmediate),
            Encoding.of("FCCMP", "00011110tt1mmmmmcccc01nnnnnEffff", FloatingPoint::conditionalCompare),
            Encoding.of("FP_DP2", "00011110tt1mmmmmoooo10nnnnnddddd", FloatingPoint::dataProcessing2),
            Encoding.of("FCSEL", "00011110tt1mmmmmcccc11nnnnnddddd", FloatingPoint::conditionalSelect),
            Encoding.of("FP_DP3", "00011111ttAmmmmmBaaaaannnnnddddd", FloatingPoint::dataProcessing3),
            Encoding.of("FP_INT_CONVERT", "f0011110tt1rrooo000000nnnnnddddd", FloatingPoint::integerConversion),
            Encoding.of("FP_FIXED_CONVERT", "f0011110tt0rrooossssssnnnnnddddd", FloatingPoint::fixedConversion),
            // FEAT_JSCVT: the one FP-to-integer form with ftype 01, rmode 11, opcode 110.
            Encoding.of("FJCVTZS", "0001111001111110000000nnnnnddddd", FloatingPoint::fjcvtzs));

    /**
     * Element size of ftype (bits 23:22) for the arithmetic: 00 single, 01 double, 11
     * half (FEAT_FP16); 10 is undefined.
     */
    private static int arithmeticSize(int word) {
        return typeSize((word >>> 22) & 3);
    }

    /** A 2-bit FP type (ftype, or FCVT's opc) as an element size; 10 is undefined. */
    private static int typeSize(int type) {
        switch (type) {
            case 0:
                return 32;
            case 1:
                return 64;
            case 3:
                return 16;
            default:
                throw GuestException.undefined();
        }
    }

    private static long readFp(Cpu cpu, int n, int esize) {
        return cpu.v[2 * n] & Vectors.mask(esize);
    }

    // ---- one source ---------------------------------------------------------------------------

    public static void dataProcessing1(Cpu cpu, int word) {
        int opcode = (word >>> 15) & 0x3F;
        int d = rd(word);
        if ((opcode & 0b111100) == 0b000100) {
            fcvt(cpu, word, opcode & 3);
            return;
        }
        int esize = arithmeticSize(word);
        if (esize == 16 && (opcode & 0b111100) == 0b010000) {
            throw GuestException.undefined(); // FRINT32*/FRINT64* have no half-precision form
        }
        long a = readFp(cpu, rn(word), esize);
        long result = switch (opcode) {
            case 0b000000 -> a;                                   // FMOV (register)
            case 0b000001 -> Fp.abs(a, esize);                    // FABS
            case 0b000010 -> Fp.neg(a, esize);                    // FNEG
            case 0b000011 -> Fp.sqrt(cpu, esize, a);              // FSQRT
            case 0b001000 -> Fp.roundToIntegral(cpu, esize, a, Fp.RN, false); // FRINTN
            case 0b001001 -> Fp.roundToIntegral(cpu, esize, a, Fp.RP, false); // FRINTP
            case 0b001010 -> Fp.roundToIntegral(cpu, esize, a, Fp.RM, false); // FRINTM
            case 0b001011 -> Fp.roundToIntegral(cpu, esize, a, Fp.RZ, false); // FRINTZ
            case 0b001100 -> Fp.roundToIntegral(cpu, esize, a, Fp.RA, false); // FRINTA
            case 0b001110 -> Fp.roundToIntegral(cpu, esize, a, Fp.rmode(cpu), true);  // FRINTX
            case 0b001111 -> Fp.roundToIntegral(cpu, esize, a, Fp.rmode(cpu), false); // FRINTI
            case 0b010000 -> Fp.roundToIntN(cpu, esize, a, Fp.RZ, 32);          // FRINT32Z (FEAT_FRINTTS)
            case 0b010001 -> Fp.roundToIntN(cpu, esize, a, Fp.rmode(cpu), 32);  // FRINT32X
            case 0b010010 -> Fp.roundToIntN(cpu, esize, a, Fp.RZ, 64);          // FRINT64Z
            case 0b010011 -> Fp.roundToIntN(cpu, esize, a, Fp.rmode(cpu), 64);  // FRINT64X
            default -> throw GuestException.undefined();
        };
        Vectors.writeScalar(cpu, d, result);
        cpu.pc += 4;
    }

    /** FCVT: between half, single and double (opc gives the destination type). */
    private static void fcvt(Cpu cpu, int word, int opc) {
        int from = typeSize((word >>> 22) & 3);
        int to = typeSize(opc);
        if (from == to) {
            throw GuestException.undefined();
        }
        long result = Fp.convert(cpu, readFp(cpu, rn(word), from), from, to);
        Vectors.writeScalar(cpu, rd(word), result);
        cpu.pc += 4;
    }

    // ---- immediate ----------------------------------------------------------------------------

    /** FMOV (scalar, immediate): imm8 expanded by VFPExpandImm. */
    public static void moveImmediate(Cpu cpu, int word) {
        int esize = arithmeticSize(word);
        Vectors.writeScalar(cpu, rd(word), Fp.expandImm((word >>> 13) & 0xFF, esize));
        cpu.pc += 4;
    }

    // ---- compares and selects ---------------------------------------------------------------------

    /** FCMP/FCMPE (register or with #0.0): opcode2<3> compares with zero, <4> signals on quiet NaNs. */
    public static void compare(Cpu cpu, int word) {
        int opc2 = word & 0x1F;
        if ((opc2 & 7) != 0) {
            throw GuestException.undefined();
        }
        int esize = arithmeticSize(word);
        long a = readFp(cpu, rn(word), esize);
        long b = (opc2 & 8) != 0 ? 0 : readFp(cpu, rm(word), esize);
        cpu.nzcv = Fp.compare(cpu, esize, a, b, (opc2 & 16) != 0) << 28;
        cpu.pc += 4;
    }

    /** FCCMP/FCCMPE: compare if the condition holds, else set NZCV to the immediate. */
    public static void conditionalCompare(Cpu cpu, int word) {
        int esize = arithmeticSize(word);
        int cond = (word >>> 12) & 0xF;
        int flags;
        if (Alu.conditionHolds(cond, cpu.nzcv)) {
            flags = Fp.compare(cpu, esize, readFp(cpu, rn(word), esize), readFp(cpu, rm(word), esize),
                    ((word >>> 4) & 1) != 0);
        } else {
            flags = word & 0xF;
        }
        cpu.nzcv = flags << 28;
        cpu.pc += 4;
    }

    public static void conditionalSelect(Cpu cpu, int word) {
        int esize = arithmeticSize(word);
        int cond = (word >>> 12) & 0xF;
        int source = Alu.conditionHolds(cond, cpu.nzcv) ? rn(word) : rm(word);
        Vectors.writeScalar(cpu, rd(word), readFp(cpu, source, esize));
        cpu.pc += 4;
    }

    // ---- two and three sources --------------------------------------------------------------------

    public static void dataProcessing2(Cpu cpu, int word) {
        int esize = arithmeticSize(word);
        long a = readFp(cpu, rn(word), esize);
        long b = readFp(cpu, rm(word), esize);
        long result = switch ((word >>> 12) & 0xF) {
            case 0b0000 -> Fp.mul(cpu, esize, a, b);
            case 0b0001 -> Fp.div(cpu, esize, a, b);
            case 0b0010 -> Fp.add(cpu, esize, a, b);
            case 0b0011 -> Fp.sub(cpu, esize, a, b);
            case 0b0100 -> Fp.max(cpu, esize, a, b, true);
            case 0b0101 -> Fp.max(cpu, esize, a, b, false);
            case 0b0110 -> Fp.maxNum(cpu, esize, a, b, true);
            case 0b0111 -> Fp.maxNum(cpu, esize, a, b, false);
            // FNMUL negates the rounded product (ARM ARM FNMUL: FPNeg(FPMul(...))).
            case 0b1000 -> Fp.neg(Fp.mul(cpu, esize, a, b), esize);
            default -> throw GuestException.undefined();
        };
        Vectors.writeScalar(cpu, rd(word), result);
        cpu.pc += 4;
    }

    /**
     * FMADD (a + n*m), FMSUB (a - n*m), FNMADD (-a - n*m), FNMSUB (-a + n*m): the
     * operands are negated before the single fused rounding (ARM ARM FMADD pseudocode).
     */
    public static void dataProcessing3(Cpu cpu, int word) {
        int esize = arithmeticSize(word);
        boolean o1 = ((word >>> 21) & 1) != 0;
        boolean o0 = ((word >>> 15) & 1) != 0;
        long a = readFp(cpu, (word >>> 10) & 31, esize);
        long n = readFp(cpu, rn(word), esize);
        long m = readFp(cpu, rm(word), esize);
        if (o1) {
            a = Fp.neg(a, esize);
        }
        if (o0 != o1) {
            n = Fp.neg(n, esize);
        }
        Vectors.writeScalar(cpu, rd(word), Fp.mulAdd(cpu, esize, a, n, m));
        cpu.pc += 4;
    }

    // ---- conversions to and from general registers -------------------------------------------------

    /**
     * FCVT{N,P,M,Z,A}{S,U}, SCVTF/UCVTF and FMOV (general): rmode (20:19) and opcode
     * (18:16) pick the operation, sf the general register width.
     */
    public static void integerConversion(Cpu cpu, int word) {
        boolean sf = word < 0;
        int type = (word >>> 22) & 3;
        int rmode = (word >>> 19) & 3;
        int opcode = (word >>> 16) & 7;
        int d = rd(word);
        int n = rn(word);
        int intSize = sf ? 64 : 32;
        if (opcode == 0b110 || opcode == 0b111) {
            fmovGeneral(cpu, sf, type, rmode, opcode == 0b111, d, n);
            return;
        }
        int esize = arithmeticSize(word);
        if (opcode == 0b010 || opcode == 0b011) {
            if (rmode != 0) {
                throw GuestException.undefined();
            }
            boolean unsigned = opcode == 0b011;
            long value = cpu.x[n];
            if (!sf) {
                value = unsigned ? value & 0xFFFF_FFFFL : (long) (int) value;
            }
            Vectors.writeScalar(cpu, d, Fp.fromFixed(cpu, value, unsigned, 0, esize, Fp.rmode(cpu)));
            cpu.pc += 4;
            return;
        }
        int mode;
        if ((opcode & 0b110) == 0b000) {
            mode = switch (rmode) {
                case 0 -> Fp.RN;
                case 1 -> Fp.RP;
                case 2 -> Fp.RM;
                default -> Fp.RZ;
            };
        } else if ((opcode & 0b110) == 0b100 && rmode == 0) {
            mode = Fp.RA;
        } else {
            throw GuestException.undefined();
        }
        long result = Fp.toFixed(cpu, readFp(cpu, n, esize), esize, 0, (opcode & 1) != 0, intSize, mode);
        cpu.setX(d, result);
        cpu.pc += 4;
    }

    /** FMOV between a general register and S, D or the upper half of V (Vd.D[1]); bits move unchanged. */
    private static void fmovGeneral(Cpu cpu, boolean sf, int type, int rmode, boolean toFp, int d, int n) {
        if (!sf && type == 0 && rmode == 0) {
            if (toFp) {
                Vectors.writeScalar(cpu, d, cpu.x[n] & 0xFFFF_FFFFL);
            } else {
                cpu.setX(d, cpu.v[2 * n] & 0xFFFF_FFFFL);
            }
        } else if (sf && type == 1 && rmode == 0) {
            if (toFp) {
                Vectors.writeScalar(cpu, d, cpu.x[n]);
            } else {
                cpu.setX(d, cpu.v[2 * n]);
            }
        } else if (type == 3 && rmode == 0) {
            // FEAT_FP16: FMOV Hd, Wn/Xn and Wd/Xd, Hn move the low 16 bits.
            if (toFp) {
                Vectors.writeScalar(cpu, d, cpu.x[n] & 0xFFFF);
            } else {
                cpu.setX(d, cpu.v[2 * n] & 0xFFFF);
            }
        } else if (sf && type == 2 && rmode == 1) {
            if (toFp) {
                cpu.v[2 * d + 1] = cpu.x[n]; // the lower half is kept
            } else {
                cpu.setX(d, cpu.v[2 * n + 1]);
            }
        } else {
            throw GuestException.undefined();
        }
        cpu.pc += 4;
    }

    /** FCVTZS/FCVTZU and SCVTF/UCVTF with fbits = 64 - scale fraction bits. */
    public static void fixedConversion(Cpu cpu, int word) {
        boolean sf = word < 0;
        int esize = arithmeticSize(word);
        int rmodeOpcode = (word >>> 16) & 0x1F;
        int scale = (word >>> 10) & 0x3F;
        if (!sf && scale < 32) {
            throw GuestException.undefined();
        }
        int fbits = 64 - scale;
        int d = rd(word);
        int n = rn(word);
        switch (rmodeOpcode) {
            case 0b11000, 0b11001 -> {
                long result = Fp.toFixed(cpu, readFp(cpu, n, esize), esize, fbits, rmodeOpcode == 0b11001,
                        sf ? 64 : 32, Fp.RZ);
                cpu.setX(d, result);
            }
            case 0b00010, 0b00011 -> {
                boolean unsigned = rmodeOpcode == 0b00011;
                long value = cpu.x[n];
                if (!sf) {
                    value = unsigned ? value & 0xFFFF_FFFFL : (long) (int) value;
                }
                Vectors.writeScalar(cpu, d, Fp.fromFixed(cpu, value, unsigned, fbits, esize, Fp.rmode(cpu)));
            }
            default -> throw GuestException.undefined();
        }
        cpu.pc += 4;
    }

    /**
     * FJCVTZS: FPToFixedJS, a double to a 32-bit integer rounding toward zero and
     * wrapping modulo 2^32 (JavaScript ToInt32). Z is set only when the conversion was
     * exact and in range and the operand was not -0.0; N, C and V are cleared. NaN and
     * infinity give 0 with IOC, out-of-range values IOC, other inexact results IXC.
     */
    public static void fjcvtzs(Cpu cpu, int word) {
        long a = Fp.flushIn(cpu, cpu.v[2 * rn(word)], 64);
        double x = Double.longBitsToDouble(a);
        long result;
        boolean z;
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            cpu.fpsr |= Fp.FPSR_IOC;
            result = 0;
            z = false;
        } else {
            double t = x < 0 ? Math.ceil(x) : Math.floor(x);
            result = Math.abs(t) < 0x1p63 ? (long) t
                    : new java.math.BigDecimal(t).toBigInteger().longValue();
            z = true;
            if (t < -0x1p31 || t > 0x1p31 - 1) {
                cpu.fpsr |= Fp.FPSR_IOC;
                z = false;
            } else if (t != x) {
                cpu.fpsr |= Fp.FPSR_IXC;
                z = false;
            }
            if (a == Long.MIN_VALUE) {
                z = false; // -0.0
            }
        }
        cpu.setX(rd(word), result & 0xFFFF_FFFFL);
        cpu.nzcv = z ? 1 << 30 : 0;
        cpu.pc += 4;
    }
}
