package a64emu.tools.gdb;

/**
 * The target description GDB reads with {@code qXfer:features:read}: an AArch64 core
 * ({@code org.gnu.gdb.aarch64.core}: x0-x30, sp, pc, a 32-bit cpsr) and the FP/SIMD registers
 * ({@code org.gnu.gdb.aarch64.fpu}: v0-v31 of 128 bits, fpsr, fpcr), numbered as in
 * {@link Registers} and as qemu-aarch64 numbers them, so gdb-multiarch needs no other setting.
 */
final class TargetXml {
    private TargetXml() {}

    static final String TARGET = """
            <?xml version="1.0"?>
            <!DOCTYPE target SYSTEM "gdb-target.dtd">
            <target version="1.0"><architecture>aarch64</architecture>\
            <osabi>GNU/Linux</osabi>\
            <xi:include href="aarch64-core.xml"/><xi:include href="aarch64-fpu.xml"/></target>
            """;

    private static final String FPU_TYPES = """
            <vector id="v2d" type="ieee_double" count="2"/><vector id="v2u" type="uint64" count="2"/>\
            <vector id="v2i" type="int64" count="2"/><vector id="v4f" type="ieee_single" count="4"/>\
            <vector id="v4u" type="uint32" count="4"/><vector id="v4i" type="int32" count="4"/>\
            <vector id="v8u" type="uint16" count="8"/><vector id="v8i" type="int16" count="8"/>\
            <vector id="v16u" type="uint8" count="16"/><vector id="v16i" type="int8" count="16"/>\
            <vector id="v1u" type="uint128" count="1"/><vector id="v1i" type="int128" count="1"/>\
            <union id="vnd"><field name="f" type="v2d"/><field name="u" type="v2u"/><field name="s" type="v2i"/></union>\
            <union id="vns"><field name="f" type="v4f"/><field name="u" type="v4u"/><field name="s" type="v4i"/></union>\
            <union id="vnh"><field name="u" type="v8u"/><field name="s" type="v8i"/></union>\
            <union id="vnb"><field name="u" type="v16u"/><field name="s" type="v16i"/></union>\
            <union id="vnq"><field name="u" type="v1u"/><field name="s" type="v1i"/></union>\
            <union id="aarch64v"><field name="d" type="vnd"/><field name="s" type="vns"/>\
            <field name="h" type="vnh"/><field name="b" type="vnb"/><field name="q" type="vnq"/></union>
            """;

    /** The document named {@code annex}, or null if there is none of that name. */
    static String document(String annex) {
        return switch (annex) {
            case "target.xml" -> TARGET;
            case "aarch64-core.xml" -> core();
            case "aarch64-fpu.xml" -> fpu();
            default -> null;
        };
    }

    private static String core() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n"
                + "<feature name=\"org.gnu.gdb.aarch64.core\">\n");
        for (int n = 0; n <= 30; n++) {
            reg(sb, "x" + n, 64, null, n == 0 ? Registers.X0 : -1);
        }
        reg(sb, "sp", 64, "data_ptr", -1);
        reg(sb, "pc", 64, "code_ptr", -1);
        reg(sb, "cpsr", 32, null, -1);
        return sb.append("</feature>\n").toString();
    }

    private static String fpu() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n"
                + "<feature name=\"org.gnu.gdb.aarch64.fpu\">\n").append(FPU_TYPES);
        for (int n = 0; n <= 31; n++) {
            reg(sb, "v" + n, 128, "aarch64v", n == 0 ? Registers.V0 : -1);
        }
        reg(sb, "fpsr", 32, null, -1);
        reg(sb, "fpcr", 32, null, -1);
        return sb.append("</feature>\n").toString();
    }

    private static void reg(StringBuilder sb, String name, int bits, String type, int regnum) {
        sb.append("<reg name=\"").append(name).append("\" bitsize=\"").append(bits).append('"');
        if (type != null) {
            sb.append(" type=\"").append(type).append('"');
        }
        if (regnum >= 0) {
            sb.append(" regnum=\"").append(regnum).append('"');
        }
        sb.append("/>\n");
    }
}
