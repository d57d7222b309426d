package a64emu.guest.sched;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.UserMemory;

/**
 * Restartable sequences of one thread, as Linux 6.1 {@code kernel/rseq.c} keeps them: the
 * registered {@code struct rseq} area, its signature and the events (preemption, signal
 * delivery) seen since the last return to user space. On the way back to user space the
 * kernel writes the CPU number into the area and, if the thread was interrupted inside the
 * critical section that {@code rseq->rseq_cs} describes, moves its PC to the section's
 * abort handler ({@code rseq_ip_fixup}). a64emu has one CPU, number 0.
 *
 * <p>Layouts (include/uapi/linux/rseq.h), both 32 bytes and 32-byte aligned:
 * <pre>
 * struct rseq    { u32 cpu_id_start; u32 cpu_id; u64 rseq_cs; u32 flags; (padding) }
 * struct rseq_cs { u32 version; u32 flags; u64 start_ip; u64 post_commit_offset; u64 abort_ip; }
 * </pre>
 */
public final class Rseq {
    // struct rseq
    public static final int CPU_ID_START = 0;
    public static final int CPU_ID = 4;
    public static final int RSEQ_CS = 8;
    public static final int FLAGS = 16;
    /** sizeof(struct rseq) and its alignment: 6.1 accepts exactly this length. */
    public static final int SIZE = 32;
    public static final int ALIGN = 32;
    // struct rseq_cs
    static final int CS_VERSION = 0;
    static final int CS_FLAGS = 4;
    static final int CS_START_IP = 8;
    static final int CS_POST_COMMIT_OFFSET = 16;
    static final int CS_ABORT_IP = 24;
    static final int CS_SIZE = 32;

    /** The rseq() flags argument: unregister instead of register. */
    public static final int FLAG_UNREGISTER = 1;
    /** cpu_id of an area not (or no longer) registered (RSEQ_CPU_ID_UNINITIALIZED). */
    public static final int CPU_ID_UNINITIALIZED = -1;
    /** RSEQ_CS_FLAG_NO_RESTART_ON_{PREEMPT,SIGNAL,MIGRATE}: deprecated, EINVAL since 6.0. */
    static final int CS_NO_RESTART_FLAGS = 0x7;

    // rseq_event_mask bits (RSEQ_EVENT_*).
    static final int EVENT_PREEMPT = 1;
    static final int EVENT_SIGNAL = 2;

    /** The one CPU's number (raw_smp_processor_id). */
    static final int CPU = 0;

    /** The registered area (t->rseq), or 0. */
    private long area;
    private int sig;
    private int eventMask;
    /** TIF_NOTIFY_RESUME for rseq: check the area before the next return to user space. */
    private boolean notifyResume;

    public boolean registered() {
        return area != 0;
    }

    public long area() {
        return area;
    }

    /**
     * The rseq system call (SYSCALL_DEFINE4(rseq)) for the calling thread; 0 or -errno.
     * {@code taskSize} is TASK_SIZE, the end of user addresses (access_ok).
     */
    public long syscall(UserMemory user, long rseq, int rseqLen, int flags, int sig, long taskSize) {
        if ((flags & FLAG_UNREGISTER) != 0) {
            if ((flags & ~FLAG_UNREGISTER) != 0) {
                return -Errno.EINVAL;
            }
            if (area == 0 || area != rseq || rseqLen != SIZE) {
                return -Errno.EINVAL;
            }
            if (this.sig != sig) {
                return -Errno.EPERM;
            }
            // rseq_reset_rseq_cpu_id: a later reader sees that it must register again.
            try {
                user.write32(rseq + CPU_ID_START, 0);
                user.write32(rseq + CPU_ID, CPU_ID_UNINITIALIZED);
            } catch (BadUserAddressException e) {
                return -Errno.EFAULT;
            }
            area = 0;
            this.sig = 0;
            return 0;
        }
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        if (area != 0) {
            // Already registered: the same area and signature is EBUSY, anything else an error.
            if (area != rseq || rseqLen != SIZE) {
                return -Errno.EINVAL;
            }
            if (this.sig != sig) {
                return -Errno.EPERM;
            }
            return -Errno.EBUSY;
        }
        if ((rseq & (ALIGN - 1)) != 0 || rseqLen != SIZE) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(rseq, taskSize) >= 0 || Long.compareUnsigned(taskSize - rseq, rseqLen) < 0) {
            return -Errno.EFAULT; // access_ok: the range is checked, not the mapping
        }
        area = rseq;
        this.sig = sig;
        // cpu_id_start and cpu_id are written before the return to user space.
        notifyResume = true;
        return 0;
    }

    /** rseq_preempt: the thread was switched out; its critical section, if any, restarts. */
    public void preempt() {
        if (area != 0) {
            eventMask |= EVENT_PREEMPT;
            notifyResume = true;
        }
    }

    /** Whether the return to user space has rseq work to do (TIF_NOTIFY_RESUME). */
    public boolean notifyResumePending() {
        return notifyResume;
    }

    /**
     * The return to user space (rseq_handle_notify_resume): the abort fixup and the CPU
     * number. False if the area or its critical-section descriptor is bad: the caller then
     * forces SIGSEGV on the thread (force_sigsegv).
     */
    public boolean handleNotifyResume(UserMemory user, Cpu cpu, long taskSize) {
        notifyResume = false;
        if (area == 0) {
            return true;
        }
        return ipFixup(user, cpu, taskSize) && updateCpuId(user);
    }

    /**
     * rseq_signal_deliver: called as a handler frame is built, before the interrupted PC is
     * saved in it, so that a handler interrupting a critical section returns to the abort
     * handler. False as for {@link #handleNotifyResume}.
     */
    public boolean signalDeliver(UserMemory user, Cpu cpu, long taskSize) {
        if (area == 0) {
            return true;
        }
        eventMask |= EVENT_SIGNAL;
        return handleNotifyResume(user, cpu, taskSize);
    }

    /**
     * rseq_fork: a child process (no CLONE_VM) keeps the registration, since the area is at
     * the same address in its copy of the memory; a new thread starts unregistered.
     */
    public void inheritFrom(Rseq parent, boolean sharesVm) {
        if (sharesVm) {
            area = 0;
            sig = 0;
            eventMask = 0;
        } else {
            area = parent.area;
            sig = parent.sig;
            eventMask = parent.eventMask;
        }
        notifyResume = area != 0;
    }

    private boolean updateCpuId(UserMemory user) {
        try {
            user.write32(area + CPU_ID_START, CPU);
            user.write32(area + CPU_ID, CPU);
            return true;
        } catch (BadUserAddressException e) {
            return false;
        }
    }

    /** rseq_ip_fixup: a PC inside [start_ip, start_ip + post_commit_offset) goes to abort_ip. */
    private boolean ipFixup(UserMemory user, Cpu cpu, long taskSize) {
        try {
            long csPtr = user.read64(area + RSEQ_CS);
            if (csPtr == 0) {
                return true;
            }
            if (Long.compareUnsigned(csPtr, taskSize) >= 0) {
                return false;
            }
            long startIp = user.read64(csPtr + CS_START_IP);
            long postCommitOffset = user.read64(csPtr + CS_POST_COMMIT_OFFSET);
            long abortIp = user.read64(csPtr + CS_ABORT_IP);
            int version = user.read32(csPtr + CS_VERSION);
            int csFlags = user.read32(csPtr + CS_FLAGS);
            // rseq_get_rseq_cs: every address in user space, no wrap, abort_ip outside the section.
            if (Long.compareUnsigned(startIp, taskSize) >= 0
                    || Long.compareUnsigned(startIp + postCommitOffset, taskSize) >= 0
                    || Long.compareUnsigned(abortIp, taskSize) >= 0 || version != 0
                    || Long.compareUnsigned(startIp + postCommitOffset, startIp) < 0
                    || Long.compareUnsigned(abortIp - startIp, postCommitOffset) < 0) {
                return false;
            }
            // The signature word just before abort_ip must be the registered one, so that
            // the kernel never jumps to an arbitrary address the descriptor names.
            if (user.read32(abortIp - 4) != sig) {
                return false;
            }
            // in_rseq_cs: one unsigned comparison covers both ends.
            if (Long.compareUnsigned(cpu.pc - startIp, postCommitOffset) >= 0) {
                user.write64(area + RSEQ_CS, 0); // the lazy clear of rseq_cs
                return true;
            }
            // rseq_need_restart: any flags (deprecated or unknown) in either structure are EINVAL.
            if (csFlags != 0 || user.read32(area + FLAGS) != 0) {
                return false;
            }
            int events = eventMask;
            eventMask = 0;
            if (events == 0) {
                return true;
            }
            user.write64(area + RSEQ_CS, 0);
            cpu.pc = abortIp;
            return true;
        } catch (BadUserAddressException e) {
            return false;
        }
    }
}
