package a64emu.guest.proc;

import java.util.List;

/** The kernel's processes as /proc lists them, and which one is making the current system call. */
public interface ProcessTable {
    /** The process of the running thread: what /proc/self names (Linux's current->tgid). */
    ProcessView current();

    /** The running thread's id, for /proc/thread-self. */
    int currentTid();

    /** The process with thread group id {@code pid}, or null. */
    ProcessView find(int pid);

    /** Every process that has not been reaped, by ascending pid. */
    List<ProcessView> processes();
}
