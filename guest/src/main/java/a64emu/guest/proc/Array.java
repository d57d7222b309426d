package a64emu.guest.proc;

import a64emu.guest.loader.AuxVector;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.VmLayout;
import a64emu.guest.sched.ResourceUsage;
import a64emu.guest.sched.Scheduler;

/**
 * /proc/pid/stat ({@code do_task_stat}) and /proc/pid/status after Linux 6.x's fs/proc/array.c,
 * as on the reference machine's kernel
 * (proc_pid_status: task_state, task_mem, task_sig, task_cap, task_seccomp, task_cpus_allowed),
 * on arm64. Lines of status this kernel has no
 * counterpart for are left out rather than filled in: NSpgid and NSsid (no process groups or
 * sessions yet) and the context-switch counts (the scheduler does not count them per thread).
 */
final class Array {
    private Array() {}

    /** The PF_* task flags (6.1 include/linux/sched.h) this kernel has a notion of. */
    static final long PF_EXITING = 0x4;
    static final long PF_FORKNOEXEC = 0x40;
    static final long PF_SIGNALED = 0x400;
    /** Allocating memory: reclaim's own allocations ignore the watermarks (kswapd has it always). */
    static final long PF_MEMALLOC = 0x800;
    /** Never frozen for suspend (kthreadd; set_freezable clears it). */
    static final long PF_NOFREEZE = 0x8000;
    /** "I am kswapd". */
    static final long PF_KSWAPD = 0x20000;
    /** A kernel thread (copy_process sets it for kernel_thread's tasks). */
    static final long PF_KTHREAD = 0x200000;
    static final long PF_RANDOMIZE = 0x400000;
    static byte[] status(ProcessView p) {
        return status(p, p.pid());
    }

    /**
     * The status of thread {@code tid} of {@code p}: its Pid, State, SigPnd and SigBlk lines;
     * the rest is the group's.
     */
    static byte[] status(ProcessView p, int tid) {
        ProcessView.Thread t = p.thread(tid);
        SeqFile m = new SeqFile();
        m.puts("Name:\t").puts(escapeName(p.comm())).putc('\n');
        m.printf("Umask:\t%04o\n", p.umask());
        m.puts("State:\t").puts(stateName(t.state()));
        m.putDecimal("\nTgid:\t", p.pid());
        m.putDecimal("\nNgid:\t", 0);
        m.putDecimal("\nPid:\t", tid);
        m.putDecimal("\nPPid:\t", p.ppid());
        m.putDecimal("\nTracerPid:\t", 0);
        m.putDecimal("\nUid:\t", p.uid()).putDecimal("\t", p.euid()).putDecimal("\t", p.suid()).putDecimal("\t", p.fsuid());
        m.putDecimal("\nGid:\t", p.gid()).putDecimal("\t", p.egid()).putDecimal("\t", p.sgid()).putDecimal("\t", p.fsgid());
        m.putDecimal("\nFDSize:\t", p.fdTableSize());
        // Linux keeps its historical trailing space.
        m.puts("\nGroups:\t");
        java.util.List<Long> groups = p.groups();
        for (int g = 0; g < groups.size(); g++) {
            m.putDecimal(g == 0 ? "" : " ", groups.get(g));
        }
        m.putc(' ');
        m.puts("\nNStgid:").putDecimal("\t", p.pid());
        m.puts("\nNSpid:").putDecimal("\t", tid);
        // Kthread (Linux 6.x): whether the task is PF_KTHREAD.
        m.puts("\nKthread:\t").puts((p.taskFlags() & PF_KTHREAD) != 0 ? "1" : "0");
        m.putc('\n');
        if (p.mm() != null) {
            TaskMmu.taskMem(m, TaskMmu.counters(p));
            m.puts("HugetlbPages:\t").putDecimalWidth("", 0, 8).puts(" kB\n");
            m.puts("CoreDumping:\t0\n");
            // THP_enabled: this kernel has no transparent huge pages.
            m.puts("THP_enabled:\t0\n");
        }
        m.putDecimal("Threads:\t", p.tids().size());
        m.putDecimal("\nSigQ:\t", p.sigQueued()).putDecimal("/", p.sigQueueLimit());
        sigset(m, "\nSigPnd:\t", t.sigPending());
        sigset(m, "ShdPnd:\t", p.sigSharedPending());
        sigset(m, "SigBlk:\t", t.sigBlocked());
        sigset(m, "SigIgn:\t", p.sigIgnored());
        sigset(m, "SigCgt:\t", p.sigCaught());
        Capabilities caps = p.capabilities();
        m.printf("CapInh:\t%016x\n", caps.inheritable());
        m.printf("CapPrm:\t%016x\n", caps.permitted());
        m.printf("CapEff:\t%016x\n", caps.effective());
        m.printf("CapBnd:\t%016x\n", caps.bounding());
        m.printf("CapAmb:\t%016x\n", caps.ambient());
        m.putDecimal("NoNewPrivs:\t", p.noNewPrivs() ? 1 : 0);
        m.putDecimal("\nSeccomp:\t", p.seccompMode(tid));
        m.putDecimal("\nSeccomp_filters:\t", p.seccompFilters(tid));
        m.putc('\n');
        // The emulated CPU executes in order and does not speculate.
        m.puts("Speculation_Store_Bypass:\tnot vulnerable\n");
        m.puts("SpeculationIndirectBranch:\tnot affected\n");
        // Every CPU (the one emulated core) and the one memory node.
        m.printf("Cpus_allowed:\t%x\nCpus_allowed_list:\t%s\n", (1L << Scheduler.NR_CPUS) - 1,
                Scheduler.NR_CPUS == 1 ? "0" : "0-" + (Scheduler.NR_CPUS - 1));
        m.puts("Mems_allowed:\t1\nMems_allowed_list:\t0\n");
        return m.bytes();
    }

    /**
     * /proc/pid/stat, or with {@code whole} false /proc/pid/task/tid/stat: do_task_stat's 52
     * fields of thread {@code tid}, with the faults and CPU times of the whole thread group
     * ({@code whole}) or of the thread alone. {@code permitted} says whether the reader passes
     * ptrace_may_access(PTRACE_MODE_READ), which shows the memory layout's addresses, wchan
     * and the exit code; otherwise Linux prints 1 for start_code and end_code and 0 for the rest.
     */
    static byte[] stat(ProcessView p, int tid, boolean whole, boolean permitted) {
        ProcessView.Thread t = p.thread(tid);
        AddressSpace mm = p.mm();
        TaskMmu.MmCounters c = TaskMmu.counters(p);
        int threads = p.tids().size();
        ResourceUsage used = whole ? p.usage() : t.usage();
        ResourceUsage children = p.childrenUsage();
        SeqFile m = new SeqFile();
        m.putDecimal("", tid).puts(" (").puts(p.comm()).puts(") ").putc(t.state());
        m.putSigned(" ", p.ppid()).putSigned(" ", p.pgrp()).putSigned(" ", p.session());
        // tty_nr 0 and tpgid -1: this kernel gives no session a controlling terminal.
        m.putSigned(" ", 0).putSigned(" ", -1);
        m.putDecimal(" ", p.taskFlags());
        m.putDecimal(" ", used.minorFaults).putDecimal(" ", children.minorFaults);
        m.putDecimal(" ", used.majorFaults).putDecimal(" ", children.majorFaults);
        m.putDecimal(" ", clockTicks(used.userNanos)).putDecimal(" ", clockTicks(used.systemNanos));
        m.putSigned(" ", clockTicks(children.userNanos)).putSigned(" ", clockTicks(children.systemNanos));
        m.putSigned(" ", t.priority()).putSigned(" ", t.nice());
        m.putSigned(" ", threads);
        // itrealvalue: no longer maintained (0 since Linux 2.6.17).
        m.putDecimal(" ", 0);
        m.putDecimal(" ", clockTicks(p.startBoottimeNanos()));
        m.putDecimal(" ", c.totalVm() * VmLayout.PAGE_SIZE);
        m.putDecimal(" ", c.rss());
        m.putDecimal(" ", p.rssLimit());
        m.putDecimal(" ", mm == null ? 0 : permitted ? mm.startCode() : 1);
        m.putDecimal(" ", mm == null ? 0 : permitted ? mm.endCode() : 1);
        m.putDecimal(" ", permitted && mm != null ? mm.startStack() : 0);
        // kstkesp and kstkeip: zeroed unless the task is dumping core, which it never does here
        // (RLIMIT_CORE is 0).
        m.putDecimal(" ", 0).putDecimal(" ", 0);
        // The obsolete signal fields: the first 31 signals, in decimal.
        m.putDecimal(" ", t.sigPending() & 0x7fffffffL).putDecimal(" ", t.sigBlocked() & 0x7fffffffL);
        m.putDecimal(" ", p.sigIgnored() & 0x7fffffffL).putDecimal(" ", p.sigCaught() & 0x7fffffffL);
        // wchan: a flag (does /proc/pid/wchan have something), 1 for a task that is not running.
        boolean wchan = permitted && (!whole || threads < 2) && t.state() != 'R';
        m.putDecimal(" ", wchan ? 1 : 0);
        // nswap and cnswap: never maintained.
        m.putDecimal(" ", 0).putDecimal(" ", 0);
        // A thread other than the leader has exit_signal -1 (copy_process for CLONE_THREAD).
        m.putSigned(" ", tid == p.pid() ? p.exitSignal() : -1);
        // processor: the one CPU; rt_priority and policy as sched_setscheduler left them;
        // delayacct_blkio_ticks: delay accounting is off; guest_time and cguest_time: no
        // virtual CPU runs here.
        m.putSigned(" ", 0);
        m.putDecimal(" ", t.rtPriority()).putDecimal(" ", t.policy());
        m.putDecimal(" ", 0);
        m.putDecimal(" ", 0).putSigned(" ", 0);
        if (mm != null && permitted) {
            m.putDecimal(" ", mm.startData()).putDecimal(" ", mm.endData()).putDecimal(" ", mm.startBrk());
            m.putDecimal(" ", mm.argStart()).putDecimal(" ", mm.argEnd());
            m.putDecimal(" ", mm.envStart()).putDecimal(" ", mm.envEnd());
        } else {
            m.puts(" 0 0 0 0 0 0 0");
        }
        m.putSigned(" ", permitted ? p.exitCode() : 0);
        m.putc('\n');
        return m.bytes();
    }

    /** Linux nsec_to_clock_t: nanoseconds in USER_HZ ticks, truncated. */
    static long clockTicks(long nanos) {
        return nanos / (1_000_000_000L / AuxVector.CLOCK_TICKS);
    }

    /** Linux render_sigset_t: 64 signals as 16 hex digits, then a newline. */
    private static void sigset(SeqFile m, String label, long set) {
        m.puts(label).printf("%016x\n", set);
    }

    /** Linux get_task_state's task_state_array. */
    static String stateName(char state) {
        return switch (state) {
            case 'R' -> "R (running)";
            case 'S' -> "S (sleeping)";
            case 'D' -> "D (disk sleep)";
            case 'T' -> "T (stopped)";
            case 't' -> "t (tracing stop)";
            case 'X' -> "X (dead)";
            case 'Z' -> "Z (zombie)";
            case 'P' -> "P (parked)";
            case 'I' -> "I (idle)";
            default -> throw new IllegalArgumentException("no task state '" + state + "'");
        };
    }

    /**
     * Linux proc_task_name with escaping for status: seq_escape_str(ESCAPE_SPACE | ESCAPE_SPECIAL,
     * "\n\\") turns a newline into "\n" and a backslash into "\\".
     */
    static String escapeName(String comm) {
        return comm.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
    }
}
