package a64emu.guest.proc;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.Vma;
import a64emu.guest.sched.ResourceUsage;
import java.util.List;
import java.util.SortedMap;

/**
 * What /proc reads about one process (a thread group): the parts of Linux's task_struct,
 * signal_struct, mm_struct, fs_struct and files_struct that fs/proc shows. The kernel's
 * {@link a64emu.guest.Process} is seen through {@link ProcessAdapter}; tests build their own.
 */
public interface ProcessView {
    /** The thread group id (what getpid returns). */
    int pid();

    int ppid();

    /** Thread ids, the leader's (the pid) first. */
    List<Integer> tids();

    /** The command name (comm), at most 15 bytes. */
    String comm();

    /** Writes comm (/proc/pid/comm), truncating as set_task_comm does. */
    void setComm(String name);

    /** The thread {@code tid} of this process, or null if it has none of that id. */
    Thread thread(int tid);

    /** The leader's state letter (what /proc/pid/stat and status show): R, S, D, T, Z. */
    default char state() {
        return thread(pid()).state();
    }

    /** What the whole thread group used: its threads, those gone, the images before execve. */
    ResourceUsage usage();

    /** What its reaped children used, with what they had reaped (cutime, cstime, cmin_flt, cmaj_flt). */
    ResourceUsage childrenUsage();

    /** When the process was forked, in nanoseconds since boot (task->start_boottime). */
    long startBoottimeNanos();

    /** The PF_* flags of its threads (task->flags), those this kernel has a notion of. */
    long taskFlags();

    /** The process group and session ids (stat's pgrp and session). */
    int pgrp();

    int session();

    /** The signal the parent gets when it ends (the leader's exit_signal). */
    int exitSignal();

    /** A zombie's wait status (task->exit_code: the exit code << 8, or the signal); 0 while it lives. */
    int exitCode();

    /** RLIMIT_RSS's soft limit, RLIM_INFINITY as -1 (stat's rsslim). */
    long rssLimit();

    /** Real, effective, saved and filesystem uid. */
    long uid();

    long euid();

    default long suid() {
        return euid();
    }

    default long fsuid() {
        return euid();
    }

    long gid();

    long egid();

    default long sgid() {
        return egid();
    }

    default long fsgid() {
        return egid();
    }

    /** The supplementary groups (status's Groups). */
    default java.util.List<Long> groups() {
        return java.util.List.of();
    }

    /** The capability sets (the host process's, which the guest user inherits). */
    Capabilities capabilities();

    /** prctl(PR_SET_NO_NEW_PRIVS) was set (status NoNewPrivs); never for a kernel thread. */
    default boolean noNewPrivs() {
        return false;
    }

    /** Thread {@code tid}'s seccomp mode (status Seccomp: 0, 1 strict, 2 filter). */
    default int seccompMode(int tid) {
        return 0;
    }

    /** Seccomp filters thread {@code tid} runs (status Seccomp_filters). */
    default int seccompFilters(int tid) {
        return 0;
    }

    /** The address space, or null once it is gone (a zombie has no mm). */
    AddressSpace mm();

    /**
     * The argument strings as /proc/pid/cmdline shows them: each followed by a NUL, read from the
     * process's memory between arg_start and arg_end; empty for a zombie.
     */
    byte[] cmdline();

    /** The program's canonical guest path (/proc/pid/exe), or null once the mm is gone. */
    String exePath();

    /** The working directory's guest path (/proc/pid/cwd). */
    String cwd();

    int umask();

    /** Open descriptors and what each names (the text of /proc/pid/fd/N). */
    SortedMap<Integer, String> fds();

    /** The open file behind descriptor {@code fd}, or null: what the magic link fd/N reopens. */
    default a64emu.guest.fs.OpenFile openFile(int fd) {
        return null;
    }

    int oomScoreAdj();

    /** Sets oom_score_adj, already range-checked by the caller (-1000..1000). */
    void setOomScoreAdj(int adj);

    /** oom_score_adj_min: the floor of oom_score_adj for a writer without CAP_SYS_RESOURCE. */
    int oomScoreAdjMin();

    void setOomScoreAdjMin(int adj);

    /**
     * /proc/pid/oom_score: what the OOM killer's badness makes of the process, 0..2000 (0 for
     * one it never chooses: a kernel thread, oom_score_adj -1000, no memory).
     */
    long oomScore();

    /** Whether it is a vfork child still sharing its parent's memory (task->vfork_done). */
    default boolean inVfork() {
        return false;
    }

    /**
     * Device and inode of the file behind a file-backed area, for the maps columns
     * ("fe:00 260131"); null when the file cannot be stat'ed.
     */
    FileId mappedFile(Vma vma);

    /**
     * Signal masks of the process, bit (signo - 1) per signal: shared pending, ignored, caught
     * (each thread's own pending and blocked sets are in its {@link Thread}).
     */
    long sigSharedPending();

    long sigIgnored();

    long sigCaught();

    /** Signals queued to the process's user (sigqueue entries), and RLIMIT_SIGPENDING: status's SigQ. */
    int sigQueued();

    long sigQueueLimit();

    /**
     * The descriptor table's size (Linux fdt->max_fds), which status reports as FDSize; by
     * default the size a table grows to for the highest open descriptor.
     */
    default int fdTableSize() {
        SortedMap<Integer, String> f = fds();
        return f.isEmpty() || f.lastKey() < a64emu.guest.fs.FileTable.NR_OPEN_DEFAULT
                ? a64emu.guest.fs.FileTable.NR_OPEN_DEFAULT : a64emu.guest.fs.FileTable.tableSizeFor(f.lastKey());
    }

    /**
     * One thread's own part of a task_struct: its state letter, the signals pending for it
     * alone and those it blocks, and what it used.
     */
    record Thread(int tid, char state, long sigPending, long sigBlocked, ResourceUsage usage, int nice, int policy,
                  int rtPriority) {
        /** A SCHED_NORMAL thread at nice 0. */
        public Thread(int tid, char state, long sigPending, long sigBlocked, ResourceUsage usage) {
            this(tid, state, sigPending, sigBlocked, usage, 0, 0, 0);
        }

        /** task_prio(): prio - MAX_RT_PRIO, 20 + nice for a fair thread, -1 - rt_priority for a real-time one. */
        public int priority() {
            return rtPriority != 0 ? -1 - rtPriority : 20 + nice;
        }
    }

    /** Device number and inode of a mapped file, in the host's encoding of st_dev. */
    record FileId(long dev, long ino) {
        /** MAJOR() of the kernel's dev_t as userspace sees it (glibc's gnu_dev_major). */
        public long major() {
            return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        }

        public long minor() {
            return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        }
    }
}
