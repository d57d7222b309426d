package a64emu.guest.proc;

import a64emu.cpu.SystemIds;
import a64emu.guest.KernelLog;
import a64emu.guest.mm.FaultCounts;
import a64emu.guest.sched.Psi;

/**
 * What /proc reads about the kernel as a whole rather than one process: its clock, its load,
 * its CPU, the page faults of all processes, memory pressure and the kernel log. The kernel is seen through
 * {@link KernelProcesses}; tests give their own.
 */
public interface KernelState {
    /** Nanoseconds since boot on CLOCK_BOOTTIME (the kernel's monotonic clock: it never suspends). */
    long uptimeNanos();

    /** Nanoseconds the CPU has been idle: every thread asleep while the clock moved on. */
    long idleNanos();

    /** avenrun: the 1, 5 and 15 minute load averages in LoadAverage.FSHIFT-bit fixed point. */
    long[] loadAverages();

    /** The pid allocated last. */
    int lastPid();

    /** The CPU's identification registers (MIDR_EL1) and generic timer frequency. */
    SystemIds cpuIds();

    /** Page faults of every process since boot, by how they ended. */
    FaultCounts faultCounts();

    /** Memory pressure stall information (/proc/pressure/memory), or null before the kernel made it. */
    Psi psi();

    /** The kernel's message buffer, for the warnings proc's writers print. */
    KernelLog kernelLog();

    /** The kernel's IPC namespace (/proc/sysvipc), or null for none. */
    default a64emu.guest.ipc.IpcNamespace ipc() {
        return null;
    }
}
