package a64emu.guest.proc;

/**
 * /proc/pid/status after Linux 6.x's fs/proc/array.c, as on the reference machine's kernel
 * (proc_pid_status: task_state, task_mem, task_sig, task_cap, task_seccomp, task_cpus_allowed),
 * on arm64. Lines this kernel has no
 * counterpart for are left out rather than filled in: NSpgid and NSsid (no process groups or
 * sessions yet) and the context-switch counts (the scheduler does not count them per thread).
 */
final class Array {
    private Array() {}

    /** NR_OPEN_DEFAULT: a descriptor table starts with BITS_PER_LONG slots. */
    static final int NR_OPEN_DEFAULT = 64;

    static byte[] status(ProcessView p) {
        return status(p, p.pid());
    }

    /** The status of thread {@code tid} of {@code p} (its Pid line; the rest is the group's). */
    static byte[] status(ProcessView p, int tid) {
        SeqFile m = new SeqFile();
        m.puts("Name:\t").puts(escapeName(p.comm())).putc('\n');
        m.printf("Umask:\t%04o\n", p.umask());
        m.puts("State:\t").puts(stateName(p.state()));
        m.putDecimal("\nTgid:\t", p.pid());
        m.putDecimal("\nNgid:\t", 0);
        m.putDecimal("\nPid:\t", tid);
        m.putDecimal("\nPPid:\t", p.ppid());
        m.putDecimal("\nTracerPid:\t", 0);
        m.putDecimal("\nUid:\t", p.uid()).putDecimal("\t", p.euid()).putDecimal("\t", p.euid()).putDecimal("\t", p.euid());
        m.putDecimal("\nGid:\t", p.gid()).putDecimal("\t", p.egid()).putDecimal("\t", p.egid()).putDecimal("\t", p.egid());
        m.putDecimal("\nFDSize:\t", fdTableSize(p.highestFd()));
        // No supplementary groups; Linux keeps its historical trailing space.
        m.puts("\nGroups:\t").putc(' ');
        m.puts("\nNStgid:").putDecimal("\t", p.pid());
        m.puts("\nNSpid:").putDecimal("\t", tid);
        // Kthread (Linux 6.x): a user process is no kernel thread.
        m.puts("\nKthread:\t0");
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
        sigset(m, "\nSigPnd:\t", p.sigPending());
        sigset(m, "ShdPnd:\t", p.sigSharedPending());
        sigset(m, "SigBlk:\t", p.sigBlocked());
        sigset(m, "SigIgn:\t", p.sigIgnored());
        sigset(m, "SigCgt:\t", p.sigCaught());
        Capabilities caps = p.capabilities();
        m.printf("CapInh:\t%016x\n", caps.inheritable());
        m.printf("CapPrm:\t%016x\n", caps.permitted());
        m.printf("CapEff:\t%016x\n", caps.effective());
        m.printf("CapBnd:\t%016x\n", caps.bounding());
        m.printf("CapAmb:\t%016x\n", caps.ambient());
        m.puts("NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
        // The emulated CPU executes in order and does not speculate.
        m.puts("Speculation_Store_Bypass:\tnot vulnerable\n");
        m.puts("SpeculationIndirectBranch:\tnot affected\n");
        // One emulated CPU and one memory node.
        m.puts("Cpus_allowed:\t1\nCpus_allowed_list:\t0\n");
        m.puts("Mems_allowed:\t1\nMems_allowed_list:\t0\n");
        return m.bytes();
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

    /**
     * FDSize, the descriptor table's max_fds: NR_OPEN_DEFAULT until a descriptor beyond it is
     * used, then grown as alloc_fdtable does, to a power-of-two multiple of 128 slots
     * (1024 bytes of pointers) above the descriptor.
     */
    static int fdTableSize(int highestFd) {
        if (highestFd < NR_OPEN_DEFAULT) return NR_OPEN_DEFAULT;
        int perKb = 1024 / 8;
        int nr = highestFd / perKb;
        return Integer.highestOneBit(nr + 1) == nr + 1 ? (nr + 1) * perKb : Integer.highestOneBit(nr + 1) * 2 * perKb;
    }
}
