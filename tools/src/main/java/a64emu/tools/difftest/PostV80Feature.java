package a64emu.tools.difftest;

import a64emu.cpu.decode.Encoding;
import java.util.Map;

/**
 * The architecture extension after ARMv8.0 an instruction belongs to (FEAT_ names of the
 * ARM ARM A2), read off the encoding name (a new extension's encodings need a line here) (and, for the merged scalar floating-point
 * entries, the word). Unicorn's QEMU 2.2 core predates all of them: such cases are
 * checked against qemu-aarch64 7.2 instead ({@code --oracle qemu}, {@link QemuVectors}).
 */
final class PostV80Feature {
    private PostV80Feature() {}

    private static final Map<String, String> BY_NAME = Map.ofEntries(
            Map.entry("LDADD", "LSE"), Map.entry("LDCLR", "LSE"), Map.entry("LDEOR", "LSE"), Map.entry("LDSET", "LSE"),
            Map.entry("LDSMAX", "LSE"), Map.entry("LDSMIN", "LSE"), Map.entry("LDUMAX", "LSE"),
            Map.entry("LDUMIN", "LSE"), Map.entry("SWP", "LSE"), Map.entry("CAS", "LSE"), Map.entry("CASP", "LSE"),
            Map.entry("LDAPR", "RCPC"), Map.entry("LDAPUR", "RCPC2"), Map.entry("LDAPURS_X", "RCPC2"),
            Map.entry("LDAPURS_W", "RCPC2"), Map.entry("STLUR", "RCPC2"),
            Map.entry("LDLAR", "LOR"), Map.entry("STLLR", "LOR"),
            Map.entry("DC_CVAP", "DPB"), Map.entry("DC_CVADP", "DPB2"), Map.entry("SB", "SB"),
            Map.entry("RMIF", "FlagM"), Map.entry("SETF8", "FlagM"), Map.entry("SETF16", "FlagM"),
            Map.entry("CFINV", "FlagM"), Map.entry("XAFLAG", "FlagM2"), Map.entry("AXFLAG", "FlagM2"),
            Map.entry("FJCVTZS", "JSCVT"),
            Map.entry("SHA512H", "SHA512"), Map.entry("SHA512H2", "SHA512"), Map.entry("SHA512SU0", "SHA512"),
            Map.entry("SHA512SU1", "SHA512"), Map.entry("EOR3", "SHA3"), Map.entry("BCAX", "SHA3"),
            Map.entry("RAX1", "SHA3"), Map.entry("XAR", "SHA3"));

    /** The FEAT_ name, or null for an ARMv8.0 instruction. */
    static String of(Encoding e, int word) {
        String name = e.name();
        String byName = BY_NAME.get(name);
        if (byName != null) {
            return byName;
        }
        if (name.endsWith("_H")) {
            return "FP16";
        }
        if (name.startsWith("SQRDMLAH") || name.startsWith("SQRDMLSH")) {
            return "RDM";
        }
        if (name.startsWith("SDOT") || name.startsWith("UDOT")) {
            return "DotProd";
        }
        if (name.startsWith("FCMLA") || name.startsWith("FCADD")) {
            return "FCMA";
        }
        if (name.startsWith("FMLAL") || name.startsWith("FMLSL")) {
            return "FHM";
        }
        if (name.startsWith("BF")) {
            return "BF16";
        }
        if (name.startsWith("SMMLA") || name.startsWith("UMMLA") || name.startsWith("USMMLA")
                || name.startsWith("USDOT") || name.startsWith("SUDOT")) {
            return "I8MM";
        }
        if (name.startsWith("SM3") || name.startsWith("SM4")) {
            return "SM3/SM4";
        }
        if (name.startsWith("FRINT32") || name.startsWith("FRINT64")) {
            return "FRINTTS";
        }
        if (name.contains("CVTF_FIXED") || name.contains("CVTZS_FIXED") || name.contains("CVTZU_FIXED")) {
            return ((word >>> 20) & 7) == 1 ? "FP16" : null; // immh = 001x: half-precision lanes
        }
        if (DecoderClass.groupOf(e).equals("FloatingPoint")) {
            return scalarFloatingPoint(name, word);
        }
        return null;
    }

    /** The merged scalar FP entries: type = 11 is half precision; FP_DP1 opcodes 0100xx and BFCVT. */
    private static String scalarFloatingPoint(String name, int word) {
        int type = (word >>> 22) & 3;
        int opcode = (word >>> 15) & 0x3F;
        if (type == 3 && !(name.equals("FP_DP1") && (opcode & 0x3C) == 0x04)) {
            return "FP16"; // FCVT between half and single/double (opcode 0001xx) is ARMv8.0
        }
        if (name.equals("FP_DP1") && type <= 1 && (opcode & 0x3C) == 0x10) {
            return "FRINTTS";
        }
        if (name.equals("FP_DP1") && type == 1 && opcode == 6) {
            return "BF16";
        }
        return null;
    }
}
