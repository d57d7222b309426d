package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * The Advanced SIMD scalar groups (ARM ARM C4.1.6, bits 31:30 = 01, 28:24 = 11110):
 * scalar pairwise ("01 U 11110 size 11000 opcode 10 Rn Rd": ADDP, FADDP), scalar
 * copy ("01 op 11110000 imm5 0 imm4 1 Rn Rd": DUP (element), alias MOV Vd, Vn.T[i]),
 * and the scalar three same (incl. the saturating and rounding shifts, SQDMULH,
 * SQRDMLAH, FMULX, FRECPS/FRSQRTS, FACGE/FACGT), three different (SQDMLAL/SQDMLSL/
 * SQDMULL), two-register misc (SUQADD, SQABS, SQXTN, FCVT*, FRECPE, FRECPX, ...)
 * and shift-by-immediate (incl. saturating narrows and fixed-point conversions)
 * forms, which reuse the vector semantics. Each writes a B/H/S/D scalar and zeroes
 * the rest of Vd.
 */
public final class AdvSimdScalar {
    private AdvSimdScalar() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("ADDP_SCALAR", "01011110ss110001101110nnnnnddddd", AdvSimdScalar::addp),
            Encoding.of("FADDP_SCALAR", "011111100z110000110110nnnnnddddd", AdvSimdScalar::faddp),
            Encoding.of("FMAXNMP_SCALAR", "011111100z110000110010nnnnnddddd", AdvSimdScalar::fmaxnmp),
            Encoding.of("FMINNMP_SCALAR", "011111101z110000110010nnnnnddddd", AdvSimdScalar::fminnmp),
            Encoding.of("FMAXP_SCALAR", "011111100z110000111110nnnnnddddd", AdvSimdScalar::fmaxp),
            Encoding.of("FMINP_SCALAR", "011111101z110000111110nnnnnddddd", AdvSimdScalar::fminp),
            Encoding.of("DUP_SCALAR", "01011110000iiiii000001nnnnnddddd", AdvSimdScalar::dupElement),
            // Scalar three same, two-register misc and shift by immediate: the vector
            // semantics on one element (Vectors.isScalar). The integer forms exist only
            // for 64-bit elements, so size (or immh<3>) is fixed to 1 here.
            Encoding.of("ADD_SCALAR", "01011110111mmmmm100001nnnnnddddd", AdvSimdThreeSame::add),
            Encoding.of("SUB_SCALAR", "01111110111mmmmm100001nnnnnddddd", AdvSimdThreeSame::sub),
            Encoding.of("CMTST_SCALAR", "01011110111mmmmm100011nnnnnddddd", AdvSimdThreeSame::cmtst),
            Encoding.of("CMEQ_SCALAR", "01111110111mmmmm100011nnnnnddddd", AdvSimdThreeSame::cmeq),
            Encoding.of("CMGT_SCALAR", "01011110111mmmmm001101nnnnnddddd", AdvSimdThreeSame::cmgt),
            Encoding.of("CMHI_SCALAR", "01111110111mmmmm001101nnnnnddddd", AdvSimdThreeSame::cmhi),
            Encoding.of("CMGE_SCALAR", "01011110111mmmmm001111nnnnnddddd", AdvSimdThreeSame::cmge),
            Encoding.of("CMHS_SCALAR", "01111110111mmmmm001111nnnnnddddd", AdvSimdThreeSame::cmhs),
            Encoding.of("SSHL_SCALAR", "01011110111mmmmm010001nnnnnddddd", AdvSimdThreeSame::sshl),
            Encoding.of("USHL_SCALAR", "01111110111mmmmm010001nnnnnddddd", AdvSimdThreeSame::ushl),
            Encoding.of("FABD_SCALAR", "011111101z1mmmmm110101nnnnnddddd", AdvSimdThreeSame::fabd),
            Encoding.of("FCMEQ_SCALAR", "010111100z1mmmmm111001nnnnnddddd", AdvSimdThreeSame::fcmeq),
            Encoding.of("FCMGE_SCALAR", "011111100z1mmmmm111001nnnnnddddd", AdvSimdThreeSame::fcmge),
            Encoding.of("FCMGT_SCALAR", "011111101z1mmmmm111001nnnnnddddd", AdvSimdThreeSame::fcmgt),
            Encoding.of("CMGT_ZERO_SCALAR", "0101111011100000100010nnnnnddddd", AdvSimdTwoRegMisc::cmgtZero),
            Encoding.of("CMEQ_ZERO_SCALAR", "0101111011100000100110nnnnnddddd", AdvSimdTwoRegMisc::cmeqZero),
            Encoding.of("CMLT_ZERO_SCALAR", "0101111011100000101010nnnnnddddd", AdvSimdTwoRegMisc::cmltZero),
            Encoding.of("CMGE_ZERO_SCALAR", "0111111011100000100010nnnnnddddd", AdvSimdTwoRegMisc::cmgeZero),
            Encoding.of("CMLE_ZERO_SCALAR", "0111111011100000100110nnnnnddddd", AdvSimdTwoRegMisc::cmleZero),
            Encoding.of("ABS_SCALAR", "0101111011100000101110nnnnnddddd", AdvSimdTwoRegMisc::abs),
            Encoding.of("NEG_SCALAR", "0111111011100000101110nnnnnddddd", AdvSimdTwoRegMisc::neg),
            Encoding.of("SCVTF_SCALAR", "010111100z100001110110nnnnnddddd", AdvSimdTwoRegMisc::scvtf),
            Encoding.of("UCVTF_SCALAR", "011111100z100001110110nnnnnddddd", AdvSimdTwoRegMisc::ucvtf),
            Encoding.of("FCVTZS_SCALAR", "010111101z100001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtzs),
            Encoding.of("FCVTZU_SCALAR", "011111101z100001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtzu),
            Encoding.of("SSHR_SCALAR", "0101111101hhhbbb000001nnnnnddddd", AdvSimdShiftImmediate::sshr),
            Encoding.of("USHR_SCALAR", "0111111101hhhbbb000001nnnnnddddd", AdvSimdShiftImmediate::ushr),
            Encoding.of("SSRA_SCALAR", "0101111101hhhbbb000101nnnnnddddd", AdvSimdShiftImmediate::ssra),
            Encoding.of("USRA_SCALAR", "0111111101hhhbbb000101nnnnnddddd", AdvSimdShiftImmediate::usra),
            Encoding.of("SRSHR_SCALAR", "0101111101hhhbbb001001nnnnnddddd", AdvSimdShiftImmediate::srshr),
            Encoding.of("URSHR_SCALAR", "0111111101hhhbbb001001nnnnnddddd", AdvSimdShiftImmediate::urshr),
            Encoding.of("SRI_SCALAR", "0111111101hhhbbb010001nnnnnddddd", AdvSimdShiftImmediate::sri),
            Encoding.of("SHL_SCALAR", "0101111101hhhbbb010101nnnnnddddd", AdvSimdShiftImmediate::shl),
            Encoding.of("SLI_SCALAR", "0111111101hhhbbb010101nnnnnddddd", AdvSimdShiftImmediate::sli),
            // Scalar three same: saturating and rounding arithmetic, FP steps and compares.
            Encoding.of("SQADD_SCALAR", "01011110ss1mmmmm000011nnnnnddddd", AdvSimdThreeSame::sqadd),
            Encoding.of("UQADD_SCALAR", "01111110ss1mmmmm000011nnnnnddddd", AdvSimdThreeSame::uqadd),
            Encoding.of("SQSUB_SCALAR", "01011110ss1mmmmm001011nnnnnddddd", AdvSimdThreeSame::sqsub),
            Encoding.of("UQSUB_SCALAR", "01111110ss1mmmmm001011nnnnnddddd", AdvSimdThreeSame::uqsub),
            Encoding.of("SQSHL_SCALAR", "01011110ss1mmmmm010011nnnnnddddd", AdvSimdThreeSame::sqshl),
            Encoding.of("UQSHL_SCALAR", "01111110ss1mmmmm010011nnnnnddddd", AdvSimdThreeSame::uqshl),
            Encoding.of("SRSHL_SCALAR", "01011110111mmmmm010101nnnnnddddd", AdvSimdThreeSame::srshl),
            Encoding.of("URSHL_SCALAR", "01111110111mmmmm010101nnnnnddddd", AdvSimdThreeSame::urshl),
            Encoding.of("SQRSHL_SCALAR", "01011110ss1mmmmm010111nnnnnddddd", AdvSimdThreeSame::sqrshl),
            Encoding.of("UQRSHL_SCALAR", "01111110ss1mmmmm010111nnnnnddddd", AdvSimdThreeSame::uqrshl),
            Encoding.of("SQDMULH_SCALAR", "01011110ss1mmmmm101101nnnnnddddd", AdvSimdThreeSame::sqdmulh),
            Encoding.of("SQRDMULH_SCALAR", "01111110ss1mmmmm101101nnnnnddddd", AdvSimdThreeSame::sqrdmulh),
            Encoding.of("SQRDMLAH_SCALAR", "01111110ss0mmmmm100001nnnnnddddd", AdvSimdThreeSame::sqrdmlah),
            Encoding.of("SQRDMLSH_SCALAR", "01111110ss0mmmmm100011nnnnnddddd", AdvSimdThreeSame::sqrdmlsh),
            Encoding.of("FMULX_SCALAR", "010111100z1mmmmm110111nnnnnddddd", AdvSimdThreeSame::fmulx),
            Encoding.of("FRECPS_SCALAR", "010111100z1mmmmm111111nnnnnddddd", AdvSimdThreeSame::frecps),
            Encoding.of("FRSQRTS_SCALAR", "010111101z1mmmmm111111nnnnnddddd", AdvSimdThreeSame::frsqrts),
            Encoding.of("FACGE_SCALAR", "011111100z1mmmmm111011nnnnnddddd", AdvSimdThreeSame::facge),
            Encoding.of("FACGT_SCALAR", "011111101z1mmmmm111011nnnnnddddd", AdvSimdThreeSame::facgt),
            // Scalar three different.
            Encoding.of("SQDMLAL_SCALAR", "01011110ss1mmmmm100100nnnnnddddd", AdvSimdThreeDifferent::sqdmlal),
            Encoding.of("SQDMLSL_SCALAR", "01011110ss1mmmmm101100nnnnnddddd", AdvSimdThreeDifferent::sqdmlsl),
            Encoding.of("SQDMULL_SCALAR", "01011110ss1mmmmm110100nnnnnddddd", AdvSimdThreeDifferent::sqdmull),
            // Scalar two-register miscellaneous.
            Encoding.of("SUQADD_SCALAR", "01011110ss100000001110nnnnnddddd", AdvSimdTwoRegMisc::suqadd),
            Encoding.of("USQADD_SCALAR", "01111110ss100000001110nnnnnddddd", AdvSimdTwoRegMisc::usqadd),
            Encoding.of("SQABS_SCALAR", "01011110ss100000011110nnnnnddddd", AdvSimdTwoRegMisc::sqabs),
            Encoding.of("SQNEG_SCALAR", "01111110ss100000011110nnnnnddddd", AdvSimdTwoRegMisc::sqneg),
            Encoding.of("SQXTN_SCALAR", "01011110ss100001010010nnnnnddddd", AdvSimdTwoRegMisc::sqxtn),
            Encoding.of("UQXTN_SCALAR", "01111110ss100001010010nnnnnddddd", AdvSimdTwoRegMisc::uqxtn),
            Encoding.of("SQXTUN_SCALAR", "01111110ss100001001010nnnnnddddd", AdvSimdTwoRegMisc::sqxtun),
            Encoding.of("FCVTXN_SCALAR", "011111100z100001011010nnnnnddddd", AdvSimdTwoRegMisc::fcvtxn),
            Encoding.of("FCVTNS_SCALAR", "010111100z100001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtns),
            Encoding.of("FCVTMS_SCALAR", "010111100z100001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtms),
            Encoding.of("FCVTAS_SCALAR", "010111100z100001110010nnnnnddddd", AdvSimdTwoRegMisc::fcvtas),
            Encoding.of("FCVTPS_SCALAR", "010111101z100001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtps),
            Encoding.of("FCVTNU_SCALAR", "011111100z100001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtnu),
            Encoding.of("FCVTMU_SCALAR", "011111100z100001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtmu),
            Encoding.of("FCVTAU_SCALAR", "011111100z100001110010nnnnnddddd", AdvSimdTwoRegMisc::fcvtau),
            Encoding.of("FCVTPU_SCALAR", "011111101z100001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtpu),
            Encoding.of("FRECPE_SCALAR", "010111101z100001110110nnnnnddddd", AdvSimdTwoRegMisc::frecpe),
            Encoding.of("FRSQRTE_SCALAR", "011111101z100001110110nnnnnddddd", AdvSimdTwoRegMisc::frsqrte),
            Encoding.of("FRECPX_SCALAR", "010111101z100001111110nnnnnddddd", AdvSimdTwoRegMisc::frecpx),
            Encoding.of("FCMGT_ZERO_SCALAR", "010111101z100000110010nnnnnddddd", AdvSimdTwoRegMisc::fcmgtZero),
            Encoding.of("FCMEQ_ZERO_SCALAR", "010111101z100000110110nnnnnddddd", AdvSimdTwoRegMisc::fcmeqZero),
            Encoding.of("FCMLT_ZERO_SCALAR", "010111101z100000111010nnnnnddddd", AdvSimdTwoRegMisc::fcmltZero),
            Encoding.of("FCMGE_ZERO_SCALAR", "011111101z100000110010nnnnnddddd", AdvSimdTwoRegMisc::fcmgeZero),
            Encoding.of("FCMLE_ZERO_SCALAR", "011111101z100000110110nnnnnddddd", AdvSimdTwoRegMisc::fcmleZero),
            // FEAT_FP16 scalar three same, two-register misc and pairwise (U=0) forms.
            Encoding.of("FMULX_SCALAR_H", "01011110010mmmmm000111nnnnnddddd", AdvSimdThreeSame::fmulx),
            Encoding.of("FCMEQ_SCALAR_H", "01011110010mmmmm001001nnnnnddddd", AdvSimdThreeSame::fcmeq),
            Encoding.of("FRECPS_SCALAR_H", "01011110010mmmmm001111nnnnnddddd", AdvSimdThreeSame::frecps),
            Encoding.of("FRSQRTS_SCALAR_H", "01011110110mmmmm001111nnnnnddddd", AdvSimdThreeSame::frsqrts),
            Encoding.of("FCMGE_SCALAR_H", "01111110010mmmmm001001nnnnnddddd", AdvSimdThreeSame::fcmge),
            Encoding.of("FACGE_SCALAR_H", "01111110010mmmmm001011nnnnnddddd", AdvSimdThreeSame::facge),
            Encoding.of("FABD_SCALAR_H", "01111110110mmmmm000101nnnnnddddd", AdvSimdThreeSame::fabd),
            Encoding.of("FCMGT_SCALAR_H", "01111110110mmmmm001001nnnnnddddd", AdvSimdThreeSame::fcmgt),
            Encoding.of("FACGT_SCALAR_H", "01111110110mmmmm001011nnnnnddddd", AdvSimdThreeSame::facgt),
            Encoding.of("FCVTNS_SCALAR_H", "0101111001111001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtns),
            Encoding.of("FCVTMS_SCALAR_H", "0101111001111001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtms),
            Encoding.of("FCVTAS_SCALAR_H", "0101111001111001110010nnnnnddddd", AdvSimdTwoRegMisc::fcvtas),
            Encoding.of("SCVTF_SCALAR_H", "0101111001111001110110nnnnnddddd", AdvSimdTwoRegMisc::scvtf),
            Encoding.of("FCMGT_ZERO_SCALAR_H", "0101111011111000110010nnnnnddddd", AdvSimdTwoRegMisc::fcmgtZero),
            Encoding.of("FCMEQ_ZERO_SCALAR_H", "0101111011111000110110nnnnnddddd", AdvSimdTwoRegMisc::fcmeqZero),
            Encoding.of("FCMLT_ZERO_SCALAR_H", "0101111011111000111010nnnnnddddd", AdvSimdTwoRegMisc::fcmltZero),
            Encoding.of("FCVTPS_SCALAR_H", "0101111011111001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtps),
            Encoding.of("FCVTZS_SCALAR_H", "0101111011111001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtzs),
            Encoding.of("FRECPE_SCALAR_H", "0101111011111001110110nnnnnddddd", AdvSimdTwoRegMisc::frecpe),
            Encoding.of("FRECPX_SCALAR_H", "0101111011111001111110nnnnnddddd", AdvSimdTwoRegMisc::frecpx),
            Encoding.of("FCVTNU_SCALAR_H", "0111111001111001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtnu),
            Encoding.of("FCVTMU_SCALAR_H", "0111111001111001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtmu),
            Encoding.of("FCVTAU_SCALAR_H", "0111111001111001110010nnnnnddddd", AdvSimdTwoRegMisc::fcvtau),
            Encoding.of("UCVTF_SCALAR_H", "0111111001111001110110nnnnnddddd", AdvSimdTwoRegMisc::ucvtf),
            Encoding.of("FCMGE_ZERO_SCALAR_H", "0111111011111000110010nnnnnddddd", AdvSimdTwoRegMisc::fcmgeZero),
            Encoding.of("FCMLE_ZERO_SCALAR_H", "0111111011111000110110nnnnnddddd", AdvSimdTwoRegMisc::fcmleZero),
            Encoding.of("FCVTPU_SCALAR_H", "0111111011111001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtpu),
            Encoding.of("FCVTZU_SCALAR_H", "0111111011111001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtzu),
            Encoding.of("FRSQRTE_SCALAR_H", "0111111011111001110110nnnnnddddd", AdvSimdTwoRegMisc::frsqrte),
            Encoding.of("FMAXNMP_SCALAR_H", "0101111000110000110010nnnnnddddd", AdvSimdScalar::fmaxnmp),
            Encoding.of("FADDP_SCALAR_H", "0101111000110000110110nnnnnddddd", AdvSimdScalar::faddp),
            Encoding.of("FMAXP_SCALAR_H", "0101111000110000111110nnnnnddddd", AdvSimdScalar::fmaxp),
            Encoding.of("FMINNMP_SCALAR_H", "0101111010110000110010nnnnnddddd", AdvSimdScalar::fminnmp),
            Encoding.of("FMINP_SCALAR_H", "0101111010110000111110nnnnnddddd", AdvSimdScalar::fminp),
            // Scalar shift by immediate.
            Encoding.of("SRSRA_SCALAR", "0101111101hhhbbb001101nnnnnddddd", AdvSimdShiftImmediate::srsra),
            Encoding.of("URSRA_SCALAR", "0111111101hhhbbb001101nnnnnddddd", AdvSimdShiftImmediate::ursra),
            Encoding.of("SQSHLU_SCALAR", "011111110hhhhbbb011001nnnnnddddd", AdvSimdShiftImmediate::sqshlu),
            Encoding.of("SQSHL_IMM_SCALAR", "010111110hhhhbbb011101nnnnnddddd", AdvSimdShiftImmediate::sqshl),
            Encoding.of("UQSHL_IMM_SCALAR", "011111110hhhhbbb011101nnnnnddddd", AdvSimdShiftImmediate::uqshl),
            Encoding.of("SQSHRN_SCALAR", "010111110hhhhbbb100101nnnnnddddd", AdvSimdShiftImmediate::sqshrn),
            Encoding.of("SQRSHRN_SCALAR", "010111110hhhhbbb100111nnnnnddddd", AdvSimdShiftImmediate::sqrshrn),
            Encoding.of("SQSHRUN_SCALAR", "011111110hhhhbbb100001nnnnnddddd", AdvSimdShiftImmediate::sqshrun),
            Encoding.of("SQRSHRUN_SCALAR", "011111110hhhhbbb100011nnnnnddddd", AdvSimdShiftImmediate::sqrshrun),
            Encoding.of("UQSHRN_SCALAR", "011111110hhhhbbb100101nnnnnddddd", AdvSimdShiftImmediate::uqshrn),
            Encoding.of("UQRSHRN_SCALAR", "011111110hhhhbbb100111nnnnnddddd", AdvSimdShiftImmediate::uqrshrn),
            Encoding.of("SCVTF_FIXED_SCALAR", "010111110hhhhbbb111001nnnnnddddd", AdvSimdShiftImmediate::scvtf),
            Encoding.of("UCVTF_FIXED_SCALAR", "011111110hhhhbbb111001nnnnnddddd", AdvSimdShiftImmediate::ucvtf),
            Encoding.of("FCVTZS_FIXED_SCALAR", "010111110hhhhbbb111111nnnnnddddd", AdvSimdShiftImmediate::fcvtzs),
            Encoding.of("FCVTZU_FIXED_SCALAR", "011111110hhhhbbb111111nnnnnddddd", AdvSimdShiftImmediate::fcvtzu));

    /** ADDP (scalar): Vn.D[0] + Vn.D[1]; only size 11 (2D) is allocated. */
    public static void addp(Cpu cpu, int word) {
        if (((word >>> 22) & 3) != 3) {
            throw GuestException.undefined();
        }
        int n = (word >>> 5) & 31;
        Vectors.writeScalar(cpu, word & 31, cpu.v[2 * n] + cpu.v[2 * n + 1]);
        cpu.pc += 4;
    }

    @FunctionalInterface
    interface FpOp {
        long apply(Cpu cpu, int esize, long a, long b);
    }

    /** The FP scalar pairwise forms: the two lowest lanes of Vn (2S for sz=0, 2D for sz=1). */
    private static void fpPair(Cpu cpu, int word, FpOp op) {
        // U=0 is the FEAT_FP16 form (2H); U=1 has sz: 2S or 2D.
        int esize = ((word >>> 29) & 1) == 0 ? 16 : ((word >>> 22) & 1) != 0 ? 64 : 32;
        int n = (word >>> 5) & 31;
        long aLo = cpu.v[2 * n];
        long aHi = cpu.v[2 * n + 1];
        Vectors.writeScalar(cpu, word & 31,
                op.apply(cpu, esize, Vectors.lane(aLo, aHi, 0, esize), Vectors.lane(aLo, aHi, 1, esize)));
        cpu.pc += 4;
    }

    public static void faddp(Cpu cpu, int word) {
        fpPair(cpu, word, Fp::add);
    }

    public static void fmaxnmp(Cpu cpu, int word) {
        fpPair(cpu, word, (c, e, a, b) -> Fp.maxNum(c, e, a, b, true));
    }

    public static void fminnmp(Cpu cpu, int word) {
        fpPair(cpu, word, (c, e, a, b) -> Fp.maxNum(c, e, a, b, false));
    }

    public static void fmaxp(Cpu cpu, int word) {
        fpPair(cpu, word, (c, e, a, b) -> Fp.max(c, e, a, b, true));
    }

    public static void fminp(Cpu cpu, int word) {
        fpPair(cpu, word, (c, e, a, b) -> Fp.max(c, e, a, b, false));
    }

    /** DUP (element, scalar): the lowest set bit of imm5 is the size, the bits above it the lane. */
    public static void dupElement(Cpu cpu, int word) {
        int imm5 = (word >>> 16) & 0x1F;
        if ((imm5 & 0xF) == 0) {
            throw GuestException.undefined();
        }
        int size = Integer.numberOfTrailingZeros(imm5);
        int esize = 8 << size;
        long element = Vectors.element(cpu, (word >>> 5) & 31, imm5 >>> (size + 1), esize);
        Vectors.writeScalar(cpu, word & 31, element);
        cpu.pc += 4;
    }
}
