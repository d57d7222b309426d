package a64emu.guest.events;

import a64emu.cpu.Cpu;
import a64emu.cpu.ExceptionInfo;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.signal.SignalInfo;

/**
 * What the tools see of a run, as guest-visible events: the kernel publishes them at the
 * points where the guest's state is architecturally defined, and the tracers
 * ({@code --trace-faults}, {@code --tlb-check}, {@code walk --at}, {@code --report}), the
 * console debugger and the gdb stub listen. The defaults do nothing, so a kernel with
 * {@link #NONE} behaves as if nobody listened.
 *
 * <p>Every event is defined on the run loop and the kernel, never on how the CPU executes
 * instructions: breakpoints, single step and watchpoints come back from {@link Cpu#run} as
 * the debug exceptions of {@link a64emu.cpu.DebugHooks}, whatever executes the code.
 *
 * <p>A listener observes; it does not change what the guest does, except where a method
 * says so: {@link #run} may run fewer instructions than asked (to stop somewhere),
 * {@link #signalDelivering} may drop or replace the signal (as a ptrace tracer does), and a
 * listener may end processes. A listener may block inside any event (a debugger waiting for
 * its user): the guest's clock does not advance meanwhile beyond the host time spent.
 */
public interface GuestEvents {
    /** The listener that does nothing. */
    GuestEvents NONE = new GuestEvents() {};

    /**
     * {@code process}, the first of the run, is loaded (ELF mapped, initial stack written,
     * MMU programmed) and about to execute its first instruction at {@code process.cpu.pc}.
     */
    default void processStarted(Process process) {}

    /**
     * Runs {@code thread}'s {@code cpu} for at most {@code quantum} instructions, as
     * {@link Cpu#run} does; the kernel then handles the exception returned, if any. Before
     * this call returns the kernel has handled everything the previous call returned, so a
     * listener that looks at a fault here sees it before the kernel resolves it, and at the
     * next call (or at {@link #processExiting}) what the kernel did.
     */
    default ExceptionInfo run(Task thread, Cpu cpu, long quantum) {
        return cpu.run(quantum);
    }

    /**
     * The CPU took {@code ex} from {@code thread} (an MMU fault, a system call, an undefined
     * instruction...) and the kernel is about to handle it: registers and memory are as the
     * exception left them.
     */
    default void exceptionTaken(Task thread, ExceptionInfo ex) {}

    /** The kernel has handled {@code ex} (the fault resolved or turned into a signal, the call done). */
    default void exceptionHandled(Task thread, ExceptionInfo ex) {}

    /**
     * A breakpoint, software step or watchpoint exception ({@link a64emu.cpu.Esr#EC_BREAKPT_LOWER},
     * {@code EC_SOFTSTP_LOWER}, {@code EC_WATCHPT_LOWER}) that the listener's debug hooks
     * raised. These belong to the debugger, never to the guest: the kernel does nothing else
     * with them, and the thread goes on (from ELR) when this returns.
     */
    default void debugException(Task thread, ExceptionInfo ex) {}

    /** System call {@code nr} is about to run in {@code thread} (arguments in x0-x5). */
    default void syscallEntry(Task thread, int nr) {}

    /** System call {@code nr} returned {@code result} (or blocked, to run again on wake-up). */
    default void syscallExit(Task thread, int nr, long result) {}

    /**
     * {@code signal} is about to be delivered to {@code thread} (taken from its pending set:
     * a handler will run, or the default action will stop or end the process). Returns the
     * signal to deliver: {@code signal} itself, another one, or null to drop it, as a ptrace
     * tracer may at its signal-delivery stop.
     */
    default SignalInfo signalDelivering(Task thread, SignalInfo signal) {
        return signal;
    }

    /** The run loop is about to run {@code to}; {@code from} (null at first) ran before. */
    default void threadSwitched(Task from, Task to) {}

    /** clone(2), fork(2) or vfork(2) in {@code parent} made {@code child} (a thread or a new process's leader). */
    default void threadCreated(Task parent, Task child) {}

    /** execve(2) replaced {@code before}'s image: {@code after} (same pid) is about to run its entry point. */
    default void execed(Process before, Process after) {}

    /**
     * {@code process} has exited or been killed (or is being replaced by execve); its page
     * tables, VMAs and frames are still as the program left them and are released when
     * this returns.
     */
    default void processExiting(Process process) {}
}
