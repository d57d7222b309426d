package a64emu.cpu.disasm;

import a64emu.cpu.decode.Encoding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encoding name to format: the disassembler's half of the decoding table. Each group of
 * the ARM ARM registers its formats from its own class; SVE and MTE format the entries of
 * {@link DisassemblyOnlyEncodings}, whose names (SVE_*, MTE_*) the CPU's table does not use.
 */
final class FormatTable {
    private FormatTable() {}

    private static final Map<String, Format> FORMATS = build();

    private static Map<String, Format> build() {
        Map<String, Format> t = new HashMap<>();
        DataProcessingImmediateFormats.register(t);
        DataProcessingRegisterFormats.register(t);
        BranchSystemFormats.register(t);
        LoadStoreIntegerFormats.register(t);
        LoadStoreSimdFpFormats.register(t);
        FloatingPointFormats.register(t);
        SimdFormats.register(t);
        SimdScalarFormats.register(t);
        SimdCopyFormats.register(t);
        CryptoFormats.register(t);
        SveFormats.register(t);
        MemoryTaggingFormats.register(t);
        return Collections.unmodifiableMap(t);
    }

    /** The format of the encoding named {@code name}, or null when the table has none. */
    static Format lookup(String name) {
        return FORMATS.get(name);
    }

    /** The entries of {@code table} that have no format: the disassembler's coverage gaps. */
    static List<String> missing(List<Encoding> table) {
        List<String> names = new ArrayList<>();
        for (Encoding e : table) {
            if (!FORMATS.containsKey(e.name())) {
                names.add(e.name());
            }
        }
        return names;
    }
}
