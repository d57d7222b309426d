package a64emu.cpu.decode;

import a64emu.cpu.Cpu;

/**
 * The meaning of one encoding: reads its fields from {@code word}, updates the CPU
 * state and sets the next PC. Implementations are static methods referenced from
 * the encoding tables, so the interpreter and the JIT share one definition.
 *
 * <p>Serializable only so that {@link Encoding#implementation()} can name the static method
 * a method reference stands for (its {@link java.lang.invoke.SerializedLambda}); nothing is
 * ever serialized.
 */
@FunctionalInterface
public interface Semantics extends java.io.Serializable {
    void execute(Cpu cpu, int word);
}
