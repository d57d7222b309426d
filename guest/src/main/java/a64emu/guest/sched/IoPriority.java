package a64emu.guest.sched;

import a64emu.guest.Errno;

/**
 * I/O priorities (Linux {@code block/ioprio.c}, {@code include/uapi/linux/ioprio.h}): a class
 * in bits 13-15 and a level below it. The guest kernel has no block layer to order requests
 * by them; they are checked, kept per thread and read back as Linux 6.1 does.
 */
public final class IoPriority {
    private IoPriority() {}

    public static final int IOPRIO_CLASS_NONE = 0;
    public static final int IOPRIO_CLASS_RT = 1;
    public static final int IOPRIO_CLASS_BE = 2;
    public static final int IOPRIO_CLASS_IDLE = 3;
    static final int IOPRIO_CLASS_SHIFT = 13;
    private static final int IOPRIO_CLASS_MASK = 0x07;
    private static final int IOPRIO_PRIO_MASK = (1 << IOPRIO_CLASS_SHIFT) - 1;
    /** IOPRIO_NR_LEVELS: RT and BE have levels 0 (highest) to 7. */
    public static final int IOPRIO_NR_LEVELS = 8;
    /** IOPRIO_DEFAULT since 5.19: class NONE, so that the value follows the nice value. */
    public static final int NONE = 0;

    /** The targets of ioprio_get/ioprio_set. */
    public static final int IOPRIO_WHO_PROCESS = 1;
    public static final int IOPRIO_WHO_PGRP = 2;
    public static final int IOPRIO_WHO_USER = 3;

    public static int classOf(int ioprio) {
        return (ioprio >> IOPRIO_CLASS_SHIFT) & IOPRIO_CLASS_MASK;
    }

    public static int value(int ioClass, int level) {
        return (ioClass << IOPRIO_CLASS_SHIFT) | (level & IOPRIO_PRIO_MASK);
    }

    /**
     * ioprio_check_cap: 0, -EPERM for the real-time class without CAP_SYS_ADMIN or
     * CAP_SYS_NICE, -EINVAL for an unknown class, a level of 8 or more (RT, BE) or any level
     * with NONE. IDLE takes any level.
     */
    public static int check(int ioprio, boolean mayRealTime) {
        int data = ioprio & IOPRIO_PRIO_MASK;
        switch (classOf(ioprio)) {
            case IOPRIO_CLASS_RT -> {
                if (!mayRealTime) return -Errno.EPERM;
                return data >= IOPRIO_NR_LEVELS ? -Errno.EINVAL : 0;
            }
            case IOPRIO_CLASS_BE -> {
                return data >= IOPRIO_NR_LEVELS ? -Errno.EINVAL : 0;
            }
            case IOPRIO_CLASS_IDLE -> {
                return 0;
            }
            case IOPRIO_CLASS_NONE -> {
                return data != 0 ? -Errno.EINVAL : 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /**
     * What ioprio_get reports for a thread (6.1 {@code __get_task_ioprio}): the value set, or
     * for class NONE the one its CPU scheduling implies: the class of its policy (SCHED_IDLE:
     * IDLE, FIFO/RR: RT, else BE) at level (nice + 20) / 5, so best-effort 4 at nice 0.
     */
    public static int effective(SchedParams p) {
        if (classOf(p.ioprio) != IOPRIO_CLASS_NONE) return p.ioprio;
        int ioClass = p.policy == SchedParams.SCHED_IDLE ? IOPRIO_CLASS_IDLE
                : p.isRealTime() ? IOPRIO_CLASS_RT : IOPRIO_CLASS_BE;
        return value(ioClass, (p.nice + 20) / 5);
    }
}
