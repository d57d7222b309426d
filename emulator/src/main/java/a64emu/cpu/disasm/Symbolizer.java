package a64emu.cpu.disasm;

/**
 * Prints a code or data address that an instruction refers to. objdump prints
 * {@code 400530 <main+0x10>} for an ELF file with symbols and {@code 0x400530} for raw code.
 */
@FunctionalInterface
public interface Symbolizer {
    /** Raw code: {@code 0x400530}. */
    Symbolizer PLAIN = address -> "0x" + Long.toHexString(address);

    String address(long address);

    /**
     * objdump's form for a file with symbols: the address in hex without prefix, then the
     * symbol annotation that {@code describe} gives ({@code <main+0x10>}, or empty).
     */
    static Symbolizer withSymbols(java.util.function.LongFunction<String> describe) {
        return address -> {
            String annotation = describe.apply(address);
            String hex = Long.toHexString(address);
            return annotation.isEmpty() ? hex : hex + " " + annotation;
        };
    }
}
