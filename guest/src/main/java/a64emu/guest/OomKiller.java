package a64emu.guest;

import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.VmEvents;
import a64emu.guest.mm.VmLayout;
import a64emu.guest.mm.Vma;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's out-of-memory killer (Linux 6.1 {@code mm/oom_kill.c}): when an allocation
 * cannot be satisfied after reclaim has given up, it picks the process whose death frees the
 * most memory relative to its {@code oom_score_adj} ({@link #badness}: RSS + swap entries +
 * page-table pages, plus adj thousandths of RAM+swap), kills it with SIGKILL and lets the
 * allocation try again. A process with oom_score_adj -1000, a vfork child still sharing its
 * parent's memory, and processes without memory are never chosen; among equal scores the
 * one met last wins, as {@code select_bad_process} compares with {@code <}.
 *
 * <p>The victim's memory is freed at once: SIGKILL to another process ends it on the spot
 * here (its address space is released as exit_mmap would, which is what the oom_reaper
 * does on Linux when the victim cannot run), so the allocation's retry finds the frames.
 * When the victim is the allocating process itself, its fault ends in SIGKILL instead.
 *
 * <p>The kernel log gets the lines Linux writes (dump_header's first line, dump_tasks,
 * dump_oom_summary, the kill line); Linux also prints a stack dump and show_mem, which an
 * emulated kernel has no meaningful equivalent of.
 */
public final class OomKiller {
    /** OOM_SCORE_ADJ_MIN: never killed. */
    public static final int OOM_SCORE_ADJ_MIN = -1000;
    public static final int OOM_SCORE_ADJ_MAX = 1000;
    /** Linux's value of LONG_MIN for "not a candidate". */
    static final long UNKILLABLE = Long.MIN_VALUE;

    /** GFP_HIGHUSER_MOVABLE, user and page-cache pages (printed as the kernel prints a gfp mask). */
    static final String GFP_USER_PAGE = "0x100cca(GFP_HIGHUSER_MOVABLE)";
    /** GFP_PGTABLE_USER: GFP_KERNEL_ACCOUNT | __GFP_ZERO. */
    static final String GFP_PAGE_TABLE = "0x400dc0(GFP_KERNEL_ACCOUNT|__GFP_ZERO)";
    /** GFP_KERNEL, the kernel's own allocations. */
    static final String GFP_KERNEL = "0xcc0(GFP_KERNEL)";

    /** What became of an out-of-memory situation. */
    public enum Outcome {
        /** Another process was killed and its memory freed: retry the allocation. */
        KILLED_OTHER,
        /** The allocating process itself was chosen: its allocation fails and it dies. */
        KILL_CURRENT,
        /** No process could be killed. */
        NOTHING_TO_KILL
    }

    private final Kernel kernel;
    private long kills;
    /** Processes killed so far (tsk_is_oom_victim). */
    private final java.util.Set<Process> victims =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    OomKiller(Kernel kernel) {
        this.kernel = kernel;
    }

    /** OOM kills so far. */
    public long kills() {
        return kills;
    }

    /** totalpages of a global OOM: RAM plus swap, in pages. */
    static long totalPages(FrameAllocator frames) {
        return frames.totalFrames() - 1L + (frames.swap() == null ? 0 : frames.swap().totalPages());
    }

    /**
     * {@code oom_badness}: RSS, swap entries and page-table pages, plus
     * {@code oom_score_adj * totalpages / 1000}; {@link #UNKILLABLE} for a process that may
     * not be chosen.
     */
    static long badness(Process p, long totalPages) {
        if (p.hasExited() || p.isReleased() || p.mm.isReleased()) {
            return UNKILLABLE;
        }
        int adj = p.oomScoreAdj();
        if (adj == OOM_SCORE_ADJ_MIN || inVfork(p)) {
            return UNKILLABLE;
        }
        PageTables pt = p.mm.pageTables();
        long points = pt.residentPages() + pt.swapEntries() + pgtablesBytes(p) / VmLayout.PAGE_SIZE;
        return points + adj * (totalPages / 1000);
    }

    /** /proc/PID/oom_score: badness scaled into 0..2000 (0 for a process that cannot be chosen). */
    public static long oomScore(Process p, FrameAllocator frames) {
        long total = totalPages(frames);
        long badness = badness(p, total);
        if (badness == UNKILLABLE) {
            return 0;
        }
        return (1000 + badness * 1000 / total) * 2 / 3;
    }

    /** {@code in_vfork}: a vfork child that still shares its parent's address space. */
    private static boolean inVfork(Process p) {
        return p.vforkParent != null && p.vforkParent.process.mm == p.mm;
    }

    /** mm_pgtables_bytes: the table pages below the root. */
    private static long pgtablesBytes(Process p) {
        return (long) Math.max(0, p.mm.pageTables().tableFrames() - 1) * VmLayout.PAGE_SIZE;
    }

    /**
     * {@code out_of_memory} for an allocation of {@code order} of the kind {@code gfp}
     * describes, made on behalf of {@code current} (null when no process is running).
     */
    /**
     * {@code task_will_free_mem}: the process is dying already (its exit under way, or a kill
     * waiting for its return to user space), so its exit frees memory: nobody else need die
     * for its allocation, which fails.
     */
    public static boolean willFreeMemory(Process p) {
        return p.hasExited() || p.user.killPending();
    }

    public Outcome outOfMemory(Process current, String gfp, int order) {
        FrameAllocator frames = kernel.frames();
        long total = totalPages(frames);
        if (current != null && (victims.contains(current) || willFreeMemory(current))) {
            return Outcome.KILL_CURRENT; // tsk_is_oom_victim, task_will_free_mem
        }
        Process victim = null;
        long chosen = UNKILLABLE;
        List<Process> withMemory = new ArrayList<>();
        for (Process p : kernel.processes()) {
            if (p.hasExited() || p.isReleased() || p.mm.isReleased()) {
                continue;
            }
            withMemory.add(p);
            long points = badness(p, total);
            if (points != UNKILLABLE && points >= chosen) {
                chosen = points;
                victim = p;
            }
        }
        if (victim == null) {
            return Outcome.NOTHING_TO_KILL;
        }
        KernelLog log = kernel.kernelLog();
        String comm = current == null ? "kswapd0" : current.comm();
        int currentAdj = current == null ? 0 : current.oomScoreAdj();
        log.log(KernelLog.WARNING, String.format("%s invoked oom-killer: gfp_mask=%s, order=%d, oom_score_adj=%d",
                comm, gfp, order, currentAdj));
        dumpTasks(log, withMemory);
        log.log(KernelLog.INFO, String.format("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,"
                + "mems_allowed=0,global_oom,task_memcg=/,task=%s,pid=%d,uid=%d",
                victim.comm(), victim.pid, victim.credentials.uid()));
        MmCounters c = MmCounters.of(victim);
        log.log(KernelLog.ERR, String.format("Out of memory: Killed process %d (%s) total-vm:%dkB, anon-rss:%dkB, "
                        + "file-rss:%dkB, shmem-rss:%dkB, UID:%d pgtables:%dkB oom_score_adj:%d",
                victim.pid, victim.comm(), victim.mm.totalVm() >> 10, c.anon * 4, c.file * 4, c.shmem * 4,
                victim.credentials.uid(), pgtablesBytes(victim) >> 10, victim.oomScoreAdj()));
        kills++;
        victims.add(victim);
        frames.events().count(VmEvents.Event.OOM_KILL);
        // SIGKILL: another process ends at once and its memory is free for the retry; the
        // allocating process itself (or one sharing its memory) dies on its way back to user
        // space, and this allocation fails.
        boolean freed = kernel.killForMemory(victim, SignalInfo.fromKernel(Signal.SIGKILL, "killed by the OOM killer"));
        return freed ? Outcome.KILLED_OTHER : Outcome.KILL_CURRENT;
    }

    /**
     * {@code dump_tasks}: the memory of every process that has some, in pages (those that
     * may not be chosen are listed too, as Linux lists them).
     */
    private static void dumpTasks(KernelLog log, List<Process> candidates) {
        log.log(KernelLog.INFO, "Tasks state (memory values in pages):");
        log.log(KernelLog.INFO,
                "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
        for (Process p : candidates) {
            PageTables pt = p.mm.pageTables();
            log.log(KernelLog.INFO, String.format("[%7d] %5d %5d %8d %8d %8d %8d         %5d %s",
                    p.pid, p.credentials.uid(), p.pid, p.mm.totalVm() / VmLayout.PAGE_SIZE, pt.residentPages(),
                    pgtablesBytes(p), pt.swapEntries(), p.oomScoreAdj(), p.comm()));
        }
    }

    /** MM_ANONPAGES, MM_FILEPAGES and MM_SHMEMPAGES: the resident pages by kind. */
    record MmCounters(long anon, long file, long shmem) {
        static MmCounters of(Process p) {
            FrameAllocator frames = p.frames;
            long[] n = new long[3];
            for (Vma v : p.mm.vmas()) {
                p.mm.pageTables().forEachPresent(v.start(), v.end(), (va, pte) -> {
                    if (!PageTables.isSpecial(pte)) {
                        switch (frames.kind(PageTables.frameOf(pte))) {
                            case ANON -> n[0]++;
                            case SHMEM -> n[2]++;
                            default -> n[1]++;
                        }
                    }
                    return pte;
                });
            }
            return new MmCounters(n[0], n[1], n[2]);
        }
    }
}
