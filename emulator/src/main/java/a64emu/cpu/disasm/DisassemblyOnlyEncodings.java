package a64emu.cpu.disasm;

import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.Encoding;
import a64emu.cpu.decode.Semantics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Encodings of extensions a64emu does not execute, known to the disassembler only: SVE
 * (FEAT_SVE) and memory tagging (FEAT_MTE). a64emu advertises neither in AT_HWCAP, so its
 * decoding table ({@code EncodingTable.all()}) leaves these words unallocated and the CPU
 * raises UNDEFINED for them; glibc still carries them in ifunc variants it never selects,
 * and objdump names them. {@link Disassembler} consults this table only for words the
 * CPU's table does not decode, so nothing listed here can change what executes. Should
 * an entry ever reach a CPU, its semantics are those of an unallocated word.
 *
 * <p>Fields: d = Rd/Pd, n = Rn/Zn, m = Rm/Zm, t = Rt/Zt, g = Pg, z = size, i = immediate,
 * k = tag offset, x = xs (sign-extend the 32-bit offset), f = sf, s = S, p = pattern,
 * o = opc. The groups are the ARM ARM's (C4.1): SVE contiguous and gather/scatter
 * memory, SVE integer predicate and element count; MTE load/store memory tags,
 * add/subtract (immediate, with tags), data processing (2 source), and the DC system
 * instructions on tags.
 */
final class DisassemblyOnlyEncodings {
    private DisassemblyOnlyEncodings() {}

    private static final Semantics UNDEFINED = Decoder.UNALLOCATED.semantics();

    //                                       3         2         1         0
    //                                      10987654321098765432109876543210
    static final List<Encoding> SVE = List.of(
            // Contiguous LD1B/ST1B: element size z = dtype/size<1:0> (b, h, s, d).
            Encoding.of("SVE_LD1B_SI",     "101001000zz0iiii101gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_LD1B_SS",     "101001000zzmmmmm010gggnnnnnttttt", UNDEFINED),
            // Gather/scatter: 32-bit offsets extended by x (uxtw/sxtw), 64-bit offsets, vector base.
            Encoding.of("SVE_LD1B_SV32_S", "100001000x0mmmmm010gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_LD1B_SV32_D", "110001000x0mmmmm010gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_LD1B_SV64_D", "11000100010mmmmm110gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_LD1B_VI_S",   "10000100001iiiii110gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_LD1B_VI_D",   "11000100001iiiii110gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_ST1B_SI",     "111001000zz0iiii111gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_ST1B_SS",     "111001000zzmmmmm010gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_ST1B_SV32_S", "11100100010mmmmm1x0gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_ST1B_SV32_D", "11100100000mmmmm1x0gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_ST1B_SV64_D", "11100100000mmmmm101gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_ST1B_VI_S",   "11100100011iiiii101gggnnnnnttttt", UNDEFINED),
            Encoding.of("SVE_ST1B_VI_D",   "11100100010iiiii101gggnnnnnttttt", UNDEFINED),
            // WHILELO: U = 1, lt = 1, eq = 0.
            Encoding.of("SVE_WHILELO",     "00100101zz1mmmmm000f11nnnnn0dddd", UNDEFINED),
            // CNTB/CNTH/CNTW/CNTD by z; i = multiplier - 1.
            Encoding.of("SVE_CNT",         "00000100zz10iiii111000pppppddddd", UNDEFINED),
            // PTRUE, PTRUES when s.
            Encoding.of("SVE_PTRUE",       "00100101zz01100s111000ppppp0dddd", UNDEFINED),
            Encoding.of("SVE_DUP_SCALAR",  "00000101zz100000001110nnnnnddddd", UNDEFINED));

    //                                       3         2         1         0
    //                                      10987654321098765432109876543210
    static final List<Encoding> MTE = List.of(
            Encoding.of("MTE_ADDG",        "1001000110iiiiii00kkkknnnnnddddd", UNDEFINED),
            Encoding.of("MTE_SUBG",        "1101000110iiiiii00kkkknnnnnddddd", UNDEFINED),
            // SUBP, SUBPS when s (CMPP when Rd is XZR).
            Encoding.of("MTE_SUBP",        "10s11010110mmmmm000000nnnnnddddd", UNDEFINED),
            Encoding.of("MTE_IRG",         "10011010110mmmmm000100nnnnnddddd", UNDEFINED),
            Encoding.of("MTE_GMI",         "10011010110mmmmm000101nnnnnddddd", UNDEFINED),
            // Tag stores: o = STG, STZG, ST2G, STZ2G; bits 11:10 the index mode.
            Encoding.of("MTE_STG_POST",    "11011001oo1iiiiiiiii01nnnnnttttt", UNDEFINED),
            Encoding.of("MTE_STG_OFFSET",  "11011001oo1iiiiiiiii10nnnnnttttt", UNDEFINED),
            Encoding.of("MTE_STG_PRE",     "11011001oo1iiiiiiiii11nnnnnttttt", UNDEFINED),
            Encoding.of("MTE_LDG",         "11011001011iiiiiiiii00nnnnnttttt", UNDEFINED),
            Encoding.of("MTE_STZGM",       "1101100100100000000000nnnnnttttt", UNDEFINED),
            Encoding.of("MTE_STGM",        "1101100110100000000000nnnnnttttt", UNDEFINED),
            Encoding.of("MTE_LDGM",        "1101100111100000000000nnnnnttttt", UNDEFINED),
            // DC by op1 = 3, CRn = 7, CRm, op2: the EL0 operations on allocation tags.
            Encoding.of("MTE_DC_GVA",      "110101010000101101110100011ttttt", UNDEFINED),
            Encoding.of("MTE_DC_GZVA",     "110101010000101101110100100ttttt", UNDEFINED),
            Encoding.of("MTE_DC_CGVAC",    "110101010000101101111010011ttttt", UNDEFINED),
            Encoding.of("MTE_DC_CGDVAC",   "110101010000101101111010101ttttt", UNDEFINED),
            Encoding.of("MTE_DC_CGVAP",    "110101010000101101111100011ttttt", UNDEFINED),
            Encoding.of("MTE_DC_CGDVAP",   "110101010000101101111100101ttttt", UNDEFINED),
            Encoding.of("MTE_DC_CGVADP",   "110101010000101101111101011ttttt", UNDEFINED),
            Encoding.of("MTE_DC_CGDVADP",  "110101010000101101111101101ttttt", UNDEFINED),
            Encoding.of("MTE_DC_CIGVAC",   "110101010000101101111110011ttttt", UNDEFINED),
            Encoding.of("MTE_DC_CIGDVAC",  "110101010000101101111110101ttttt", UNDEFINED));

    /** Every disassembly-only encoding. */
    static final List<Encoding> ALL = concat(SVE, MTE);

    private static List<Encoding> concat(List<Encoding> a, List<Encoding> b) {
        List<Encoding> all = new ArrayList<>(a);
        all.addAll(b);
        return Collections.unmodifiableList(all);
    }

    /** A decoder over this table (each disassembler keeps its own: a decoder's cache is not shared). */
    static Decoder decoder() {
        return new Decoder(ALL);
    }
}
