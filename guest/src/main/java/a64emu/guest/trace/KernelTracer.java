package a64emu.guest.trace;

import a64emu.cpu.Cpu;
import a64emu.cpu.ExceptionInfo;
import a64emu.guest.Process;

/**
 * What the debugging tools ({@code a64emu walk}, {@code ptdump}, {@code run --trace-faults},
 * {@code run --tlb-check}) see of a run: the kernel calls these at the points of a
 * process's life where its address space can be inspected. The defaults do nothing, so a
 * kernel without tools behaves as if no tracer were there.
 *
 * <p>A tracer observes; it does not change what the guest does, except that
 * {@link #run} may run fewer instructions than asked (to stop at a PC) and a tracer may
 * end the process (to inspect it where it stopped).
 */
public interface KernelTracer {
    /** The tracer that does nothing. */
    KernelTracer NONE = new KernelTracer() {};

    /**
     * {@code process}, the first of the run, is loaded (ELF mapped, initial stack written,
     * MMU programmed) and about to execute its first instruction at {@code process.cpu.pc}.
     */
    default void processStarted(Process process) {}

    /**
     * Runs {@code cpu} for at most {@code quantum} instructions, as {@link Cpu#run} does;
     * the kernel then handles the exception returned, if any. Before this call returns
     * the kernel has handled everything the previous call returned, so a tracer that
     * looks at a fault here sees it before the kernel resolves it, and at the next call
     * (or at {@link #processExiting}) what the kernel did.
     */
    default ExceptionInfo run(Process process, Cpu cpu, long quantum) {
        return cpu.run(quantum);
    }

    /**
     * {@code process} has exited or been killed (or is being replaced by execve); its page
     * tables, VMAs and frames are still as the program left them and are released when
     * this returns.
     */
    default void processExiting(Process process) {}
}
