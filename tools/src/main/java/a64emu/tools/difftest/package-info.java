/**
 * {@code a64emu difftest}: differential testing of the instruction set against engines
 * no one here wrote.
 *
 * <p>Pipeline, one class each: {@link a64emu.tools.difftest.DecoderClass} (the decoder
 * table grouped by its isa group class), {@link a64emu.tools.difftest.CaseGenerator} (random
 * valid words per encoding, with {@link a64emu.tools.difftest.StateRandomiser} state and
 * {@link a64emu.tools.difftest.ScratchMemory}), {@link a64emu.tools.difftest.A64emuRunner}
 * and an {@link a64emu.tools.difftest.Oracle} ({@link a64emu.tools.difftest.UnicornRunner}
 * in-process, or {@link a64emu.tools.difftest.QemuOracle} through a generated guest program
 * under qemu-aarch64), {@link a64emu.tools.difftest.Comparator}, and
 * {@link a64emu.tools.difftest.DifftestReport}. Known oracle faults are named in
 * {@link a64emu.tools.difftest.OracleQuirk}, never skipped silently; what Unicorn cannot
 * check is replayed from recorded qemu-aarch64 outcomes ({@link a64emu.tools.difftest.QemuVectors}).
 */
package a64emu.tools.difftest;
