package a64emu.guest.sched;

/**
 * A thread's scheduling attributes as the sched_* and priority system calls see them (Linux
 * task_struct's policy, static_prio as a nice value, rt_priority, cpus_mask). The scheduler
 * here runs every thread the same way; these are what a thread asked for and what it reads
 * back, inherited by fork and kept by exec as Linux keeps them.
 */
public final class SchedParams {
    /** The policies of include/uapi/linux/sched.h. */
    public static final int SCHED_OTHER = 0;
    public static final int SCHED_FIFO = 1;
    public static final int SCHED_RR = 2;
    public static final int SCHED_BATCH = 3;
    public static final int SCHED_IDLE = 5;
    public static final int SCHED_DEADLINE = 6;
    /** sched_setscheduler's flag: the child of a fork goes back to SCHED_OTHER at nice 0 or above. */
    public static final int SCHED_RESET_ON_FORK = 0x4000_0000;
    public static final int MIN_NICE = -20;
    public static final int MAX_NICE = 19;
    /** MAX_RT_PRIO - 1: the highest SCHED_FIFO/SCHED_RR priority. */
    public static final int MAX_USER_RT_PRIO = 99;

    public int policy = SCHED_OTHER;
    public int rtPriority;
    public int nice;
    public boolean resetOnFork;
    /** CPU n is bit n; every CPU the scheduler has. */
    public long cpusAllowed = (1L << Scheduler.NR_CPUS) - 1;
    /**
     * The I/O priority ioprio_set gave the thread (its io_context's ioprio), or
     * {@link IoPriority#NONE} when none was set: fork copies it, exec keeps it (copy_io).
     */
    public int ioprio = IoPriority.NONE;

    /** What a fork child gets (Linux sched_fork: SCHED_RESET_ON_FORK drops back to normal). */
    public void inheritForFork(SchedParams parent) {
        copyFrom(parent);
        if (parent.resetOnFork) {
            if (policy == SCHED_FIFO || policy == SCHED_RR) {
                policy = SCHED_OTHER;
                rtPriority = 0;
            }
            nice = Math.max(nice, 0);
            resetOnFork = false;
        }
    }

    /** What exec keeps: everything. */
    public void copyFrom(SchedParams other) {
        policy = other.policy;
        rtPriority = other.rtPriority;
        nice = other.nice;
        resetOnFork = other.resetOnFork;
        cpusAllowed = other.cpusAllowed;
        ioprio = other.ioprio;
    }

    public boolean isRealTime() {
        return policy == SCHED_FIFO || policy == SCHED_RR;
    }
}
