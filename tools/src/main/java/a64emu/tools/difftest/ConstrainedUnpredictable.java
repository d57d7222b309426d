package a64emu.tools.difftest;

import a64emu.cpu.decode.Encoding;

/**
 * Register combinations the architecture leaves CONSTRAINED UNPREDICTABLE (ARM ARM K1.2):
 * each engine may legitimately pick a different allowed behaviour, so a difference
 * there says nothing about either. The generator draws such words again.
 */
final class ConstrainedUnpredictable {
    private ConstrainedUnpredictable() {}

    static boolean applies(Encoding e, int word) {
        String name = e.name();
        int t = word & 31;
        int n = (word >>> 5) & 31;
        int t2 = (word >>> 10) & 31;
        int s = (word >>> 16) & 31;
        boolean integer = !name.contains("SIMD") && !name.startsWith("LDST_");
        boolean pair = e.hasField('u');
        // Writeback with the base also a transfer register (LDR/STR/LDP/STP pre/post-index).
        if (integer && (name.contains("_POST") || name.contains("_PRE")) && n != 31
                && (n == t || (pair && n == t2))) {
            return true;
        }
        // A pair load into the same register twice (LDP, LDNP, LDXP, LDAXP, SIMD LDP).
        boolean pairLoad = name.startsWith("LDP") || name.startsWith("LDNP") || name.startsWith("LDXP")
                || name.startsWith("LDAXP") || (name.startsWith("LDP_STP_SIMD") || name.startsWith("LDNP_STNP_SIMD"))
                        && ((word >>> 22) & 1) == 1;
        if (pairLoad && pair && t == t2) {
            return true;
        }
        // A store-exclusive whose status register is also a data or (non-SP) base register.
        if (name.equals("STXR") || name.equals("STLXR") || name.equals("STXP") || name.equals("STLXP")) {
            return s == t || (pair && s == t2) || (s == n && n != 31);
        }
        return false;
    }
}
