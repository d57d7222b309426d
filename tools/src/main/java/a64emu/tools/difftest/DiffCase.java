package a64emu.tools.difftest;

import a64emu.cpu.decode.Encoding;

/**
 * One differential case: the instruction word (at {@code input.pc}), the encoding the
 * generator filled in, and the state both engines start from. {@code index} with the
 * run's seed and class selection regenerates it exactly; {@code stateSeed} with the
 * encoding, word and PC regenerates the input state alone
 * ({@link CaseGenerator#inputState}).
 */
record DiffCase(long index, String className, Encoding encoding, int word, long stateSeed, MachineState input) {}
