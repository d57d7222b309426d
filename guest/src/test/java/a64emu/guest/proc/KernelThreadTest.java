package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.mm.Kswapd;
import a64emu.guest.sched.ResourceUsage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kthreadd (pid 2) and kswapd0 (pid 3) in /proc: kernel threads without an mm, as Linux 6.1 shows them. */
class KernelThreadTest {
    @TempDir
    Path root;

    private final TestMachine m = new TestMachine(39, 64L << 20);
    private final TestProcess self = new TestProcess(4242, m.mm);
    private final Kswapd kswapd = new Kswapd(m.vmscan, m.frames.events(), () -> 0L);
    /** A kernel thread started after kswapd0 (lmkd, say): runnable while {@link #lmkdHasWork}. */
    private boolean lmkdHasWork;
    private long lmkdAskedAt = -1;
    private final ResourceUsage lmkdUsage = new ResourceUsage();
    private final a64emu.guest.KernelThread lmkd = new a64emu.guest.KernelThread() {
        @Override public String name() { return "lmkd"; }
        @Override public boolean runnable(long now) { lmkdAskedAt = now; return lmkdHasWork; }
        @Override public void run(long now) { }
        @Override public ResourceUsage usage() { return lmkdUsage; }
    };
    private final List<ProcessView> all = List.of(KernelThread.kthreadd(), KernelThread.kswapd(kswapd),
            KernelThread.other(lmkd, 0, () -> 77L), self);
    private final TestProcess.Kernel kernel = new TestProcess.Kernel();

    private GuestFiles files() {
        self.uid = 0;
        self.gid = 0;
        ProcessTable table = new ProcessTable() {
            @Override public ProcessView current() { return self; }
            @Override public int currentTid() { return self.pid; }
            @Override public ProcessView find(int pid) {
                return all.stream().filter(p -> p.pid() == pid).findFirst().orElse(null);
            }
            @Override public List<ProcessView> processes() { return all; }
        };
        return new GuestFiles(root, new ProcFs(table, kernel, m.frames));
    }

    @Test
    void kernelThreadsAreListedBeforeTheGuestsPidsInPidOrder() {
        List<String> names = files().names("/proc");
        assertEquals(List.of("self", "thread-self", "2", "3", "4", "4242"), names.subList(names.indexOf("self"), names.size()));
    }

    @Test
    void kthreaddsStatusHasNoMemoryLinesAndEverySignalIgnored() {
        assertEquals("Name:\tkthreadd\nUmask:\t0000\nState:\tS (sleeping)\nTgid:\t2\nNgid:\t0\nPid:\t2\nPPid:\t0\n"
                + "TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t64\nGroups:\t \nNStgid:\t2\nNSpid:\t2\n"
                + "Kthread:\t1\nThreads:\t1\nSigQ:\t0/18446744073709551615\nSigPnd:\t0000000000000000\n"
                + "ShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\tffffffffffffffff\n"
                + "SigCgt:\t0000000000000000\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
                + "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\n"
                + "Seccomp:\t0\nSeccomp_filters:\t0\nSpeculation_Store_Bypass:\tnot vulnerable\n"
                + "SpeculationIndirectBranch:\tnot affected\nCpus_allowed:\t1\nCpus_allowed_list:\t0\n"
                + "Mems_allowed:\t1\nMems_allowed_list:\t0\n", files().read("/proc/2/status"));
    }

    @Test
    void kswapdsStatShowsItsFlagsParentAndSystemTime() {
        kswapd.usage().systemNanos = 3_250_000_000L;
        String[] f = files().read("/proc/3/stat").trim().split(" ");
        assertEquals("3", f[0]);
        assertEquals("(kswapd0)", f[1]);
        assertEquals("S", f[2]);
        assertEquals("2", f[3], "ppid: kthreadd");
        assertEquals("0", f[4], "pgrp");
        assertEquals("0", f[5], "session");
        // PF_KTHREAD | PF_KSWAPD | PF_MEMALLOC | PF_FORKNOEXEC
        assertEquals(Long.toString(0x200000 | 0x20000 | 0x800 | 0x40), f[8]);
        assertEquals("0", f[13], "utime");
        assertEquals("325", f[14], "stime in USER_HZ ticks");
        assertEquals("0", f[22], "vsize");
        assertEquals("0", f[23], "rss");
        assertEquals("17", f[37], "exit_signal: SIGCHLD");
        assertEquals(52, f.length);
    }

    @Test
    void kthreaddsFlagsAreThoseOfKthreadd() {
        String[] f = files().read("/proc/2/stat").trim().split(" ");
        // PF_KTHREAD | PF_NOFREEZE | PF_FORKNOEXEC: what a real kthreadd shows (2129984).
        assertEquals("2129984", f[8]);
        assertEquals("0", f[37], "rest_init creates kthreadd without an exit signal");
    }

    @Test
    void kswapdIsRunningWhileWokenAndNotYetBalanced() throws Exception {
        while (m.frames.freeFrames() > m.frames.zone().low()) {
            m.frames.allocateNoReclaim(FrameAllocator.PageKind.ANON);
        }
        m.vmscan.wakeKswapd(0);
        assertTrue(kswapd.runnable());
        GuestFiles f = files();
        assertTrue(f.read("/proc/3/stat").startsWith("3 (kswapd0) R 2 "));
        assertTrue(f.read("/proc/3/status").contains("\nState:\tR (running)\n"));
        assertTrue(f.read("/proc/loadavg").endsWith(" 2/4 4300\n"), "the reader and kswapd0 run");
    }

    @Test
    void aKernelThreadHasNoMemoryToShow() {
        GuestFiles f = files();
        assertEquals("", f.read("/proc/3/maps"));
        assertEquals("", f.read("/proc/3/smaps"));
        assertEquals("0 0 0 0 0 0 0\n", f.read("/proc/3/statm"));
        assertEquals("", f.read("/proc/3/cmdline"));
        assertEquals("", f.read("/proc/3/environ"));
        assertEquals("", f.read("/proc/3/auxv"));
        assertEquals("", f.read("/proc/3/pagemap"));
        assertEquals("errno " + Errno.ESRCH, f.read("/proc/3/smaps_rollup"));
        assertEquals("0\n", f.read("/proc/3/oom_score"));
        assertEquals("kswapd0\n", f.read("/proc/3/comm"));
        assertEquals("errno " + Errno.ENOENT, f.readlink("/proc/3/exe"));
        assertEquals("/", f.readlink("/proc/3/cwd"));
        assertEquals(List.of(".", ".."), f.names("/proc/3/fd"));
        assertEquals(List.of(".", "..", "3"), f.names("/proc/3/task"));
    }

    @Test
    void loadavgCountsTheKernelThreadsAndKeepsTheLastPid() {
        assertEquals("0.00 0.00 0.00 1/4 4300\n", files().read("/proc/loadavg"));
    }

    @Test
    void anotherKernelThreadFollowsKswapdAsKthreaddsChildWithItsOwnNameStateAndTime() {
        lmkdUsage.systemNanos = 120_000_000L;
        GuestFiles f = files();
        String[] stat = f.read("/proc/4/stat").trim().split(" ");
        assertEquals("(lmkd)", stat[1]);
        assertEquals("S", stat[2]);
        assertEquals(77L, lmkdAskedAt, "asked whether it has work at the kernel's time");
        assertEquals("2", stat[3], "ppid: kthreadd");
        // PF_KTHREAD | PF_NOFREEZE | PF_FORKNOEXEC, inherited from kthreadd.
        assertEquals("2129984", stat[8]);
        assertEquals("12", stat[14], "stime in USER_HZ ticks");
        assertEquals("17", stat[37], "exit_signal: SIGCHLD");
        assertTrue(f.read("/proc/4/status").contains("\nKthread:\t1\n"));
        assertEquals("", f.read("/proc/4/cmdline"));
        assertEquals("0\n", f.read("/proc/4/oom_score"));
        lmkdHasWork = true;
        assertTrue(f.read("/proc/4/stat").startsWith("4 (lmkd) R 2 "));
    }

    @Test
    void theKernelsThreadsTakePidsFromFourInTheOrderTheyWereStarted() {
        Kernel kernel = new Kernel(KernelConfig.defaults());
        kernel.addKernelThread(lmkd);
        a64emu.guest.KernelThread second = new a64emu.guest.KernelThread() {
            @Override public String name() { return "kworker"; }
            @Override public boolean runnable(long now) { return false; }
            @Override public void run(long now) { }
            @Override public ResourceUsage usage() { return new ResourceUsage(); }
        };
        kernel.addKernelThread(second);
        KernelProcesses table = new KernelProcesses(kernel);
        // Before the run kswapd0 does not exist yet; the others keep their pids.
        assertEquals(List.of(2, 4, 5), table.processes().stream().map(ProcessView::pid).toList());
        assertEquals("kworker", table.find(5).comm());
        table.find(4).setOomScoreAdj(-1000);
        assertEquals(-1000, table.find(4).oomScoreAdj(), "a view is made once per thread");
    }
}
