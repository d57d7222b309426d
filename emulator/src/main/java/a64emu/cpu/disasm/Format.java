package a64emu.cpu.disasm;

/**
 * How one encoding prints. Returns null when the word falls in a reserved corner of the
 * encoding (a field value the ARM ARM marks unallocated), which prints as objdump prints
 * an unallocated word.
 */
@FunctionalInterface
interface Format {
    Disassembly format(Insn insn);
}
