package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * Advanced SIMD modified immediate (ARM ARM C4.1.6, "0 Q op 0111100000 abc cmode o2 1
 * defgh Rd"): MOVI, MVNI, ORR (vector, immediate), BIC (vector, immediate) and FMOV
 * (vector, immediate). op and cmode choose both the operation and how AdvSIMDExpandImm
 * widens the 8-bit immediate abcdefgh.
 */
public final class AdvSimdModifiedImmediate {
    private AdvSimdModifiedImmediate() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    //
    // One line per instruction form (op, cmode) as the ARM ARM lists them; they share one
    // semantics. Fixing cmode also makes them more specific than the shift-by-immediate
    // patterns, which overlap this group where immh = 0000. o2=1 is the FEAT_FP16 FMOV.
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("MOVI_32_LSL", "0q00111100000iii0ss001iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("ORR_32_IMM", "0q00111100000iii0ss101iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("MOVI_16_LSL", "0q00111100000iii10s001iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("ORR_16_IMM", "0q00111100000iii10s101iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("MOVI_32_MSL", "0q00111100000iii110s01iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("MOVI_8", "0q00111100000iii111001iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("FMOV_V_IMM_S", "0q00111100000iii111101iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("FMOV_V_IMM_H", "0q00111100000iii111111iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("MVNI_32_LSL", "0q10111100000iii0ss001iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("BIC_32_IMM", "0q10111100000iii0ss101iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("MVNI_16_LSL", "0q10111100000iii10s001iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("BIC_16_IMM", "0q10111100000iii10s101iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("MVNI_32_MSL", "0q10111100000iii110s01iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("MOVI_64", "0q10111100000iii111001iiiiiddddd", AdvSimdModifiedImmediate::execute),
            Encoding.of("FMOV_V_IMM_D", "0q10111100000iii111101iiiiiddddd", AdvSimdModifiedImmediate::execute));

    /** AdvSIMDExpandImm (ARM ARM J1.3): the 64-bit pattern, replicated to both halves by the caller. */
    public static long expandImm(int op, int cmode, int imm8) {
        long imm = imm8 & 0xFFL;
        switch (cmode >>> 1) {
            case 0b000:
                return Vectors.replicate(imm, 32);
            case 0b001:
                return Vectors.replicate(imm << 8, 32);
            case 0b010:
                return Vectors.replicate(imm << 16, 32);
            case 0b011:
                return Vectors.replicate(imm << 24, 32);
            case 0b100:
                return Vectors.replicate(imm, 16);
            case 0b101:
                return Vectors.replicate(imm << 8, 16);
            case 0b110:
                // "Shifting ones": the bits below the immediate are set (MSL).
                return Vectors.replicate((cmode & 1) == 0 ? (imm << 8) | 0xFF : (imm << 16) | 0xFFFF, 32);
            default:
                if ((cmode & 1) == 0) {
                    if (op == 0) {
                        return Vectors.replicate(imm, 8);
                    }
                    long bytes = 0;
                    for (int i = 0; i < 8; i++) {
                        if (((imm8 >>> i) & 1) != 0) {
                            bytes |= 0xFFL << (8 * i);
                        }
                    }
                    return bytes;
                }
                return op == 0 ? Vectors.replicate(Fp.expandImm(imm8, 32), 32) : Fp.expandImm(imm8, 64);
        }
    }

    public static void execute(Cpu cpu, int word) {
        boolean q = ((word >>> 30) & 1) != 0;
        int op = (word >>> 29) & 1;
        int cmode = (word >>> 12) & 0xF;
        int o2 = (word >>> 11) & 1;
        int imm8 = (((word >>> 16) & 7) << 5) | ((word >>> 5) & 0x1F);
        if (o2 != 0) {
            // o2=1 is only FMOV (vector, immediate) half precision (FEAT_FP16).
            if (op != 0 || cmode != 0b1111) {
                throw GuestException.undefined();
            }
            long half = Vectors.replicate(Fp.expandImm(imm8, 16), 16);
            Vectors.writeQ(cpu, word & 31, half, q ? half : 0);
            cpu.pc += 4;
            return;
        }
        if (op == 1 && cmode == 0b1111 && !q) {
            throw GuestException.undefined();
        }
        long imm = expandImm(op, cmode, imm8);
        int d = word & 31;
        // ORR/BIC: cmode<0>=1 in the 32-bit (0xx1) and 16-bit (10x1) shifted forms.
        boolean accumulates = (cmode & 1) == 1 && (cmode < 0b1100);
        long lo;
        long hi;
        if (!accumulates) {
            boolean invert = op == 1 && cmode < 0b1110;   // MVNI
            lo = invert ? ~imm : imm;
            hi = lo;
        } else if (op == 0) {                             // ORR
            lo = cpu.v[2 * d] | imm;
            hi = cpu.v[2 * d + 1] | imm;
        } else {                                          // BIC
            lo = cpu.v[2 * d] & ~imm;
            hi = cpu.v[2 * d + 1] & ~imm;
        }
        Vectors.writeQ(cpu, d, lo, q ? hi : 0);
        cpu.pc += 4;
    }
}
