package a64emu.jit;

import a64emu.cpu.Cpu;

/**
 * The code of one translation unit: the JVM method the {@link Translator} generates, in a
 * hidden class that extends this one. {@link #run} executes the unit's instructions from
 * its first one, keeping the guest registers in JVM locals, and on leaving writes them
 * back, adds what it retired to {@link Cpu#instructions} and sets {@link Cpu#pc}.
 */
public abstract class UnitCode {
    /** {@link #run}: left by an indirect branch (or a fallback that changed the PC): no successor slot. */
    public static final int EXIT_INDIRECT = -1;
    /**
     * {@link #run}: the next straight-line run has more instructions than the quantum has
     * left; the PC is at its start and the interpreter finishes the quantum exactly.
     */
    public static final int EXIT_BUDGET = -2;

    /**
     * Runs the unit, retiring at most {@code budget} instructions. Returns the index of the
     * direct exit taken (its successor slot), or {@link #EXIT_INDIRECT} or {@link #EXIT_BUDGET}.
     * An exception raised by an instruction leaves the registers written back and
     * {@link Cpu#jitAt}/{@link Cpu#jitRetired} saying where; the JIT completes the rest.
     */
    public abstract int run(Cpu cpu, long budget);
}
