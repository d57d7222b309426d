package a64emu.cpu.decode;

import a64emu.cpu.Cpu;

/**
 * The meaning of one encoding: reads its fields from {@code word}, updates the CPU
 * state and sets the next PC. Implementations are static methods referenced from
 * the encoding tables, so the interpreter and the JIT share one definition.
 */
@FunctionalInterface
public interface Semantics {
    void execute(Cpu cpu, int word);
}
