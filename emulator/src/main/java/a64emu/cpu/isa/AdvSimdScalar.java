package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * The Advanced SIMD scalar groups (ARM ARM C4.1.6, bits 31:30 = 01, 28:24 = 11110):
 * scalar pairwise ("01 U 11110 size 11000 opcode 10 Rn Rd": ADDP, FADDP), scalar
 * copy ("01 op 11110000 imm5 0 imm4 1 Rn Rd": DUP (element), alias MOV Vd, Vn.T[i]),
 * and the scalar three same, two-register misc and shift-by-immediate forms, which
 * reuse the vector semantics. Each writes a B/H/S/D scalar and zeroes the rest of Vd.
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
            Encoding.of("SLI_SCALAR", "0111111101hhhbbb010101nnnnnddddd", AdvSimdShiftImmediate::sli));

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
        int esize = ((word >>> 22) & 1) != 0 ? 64 : 32;
        long[] a = Vectors.read(cpu, (word >>> 5) & 31);
        Vectors.writeScalar(cpu, word & 31, op.apply(cpu, esize, Vectors.get(a, 0, esize), Vectors.get(a, 1, esize)));
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
        long element = Vectors.get(Vectors.read(cpu, (word >>> 5) & 31), imm5 >>> (size + 1), esize);
        Vectors.writeScalar(cpu, word & 31, element);
        cpu.pc += 4;
    }
}
