package a64emu.guest.proc;

import a64emu.cpu.SystemIds;
import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.mm.FaultCounts;
import a64emu.guest.mm.Kswapd;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's process table, running thread, clock and counters, as /proc reads them. The
 * table lists the kernel threads first (kthreadd, and kswapd0 once the kernel has one), then
 * the guest's processes, as Linux lists pids in order.
 */
public final class KernelProcesses implements ProcessTable, KernelState {
    private final Kernel kernel;
    private final ShmemInodes shmem = new ShmemInodes();
    private final KernelThread kthreadd = KernelThread.kthreadd();
    /** kswapd0's view, made for the kernel's Kswapd when there is one. */
    private KernelThread kswapd;
    private Kswapd kswapdOf;

    public KernelProcesses(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public ProcessView current() {
        Task t = kernel.running();
        return t == null ? null : new ProcessAdapter(t.process, shmem);
    }

    @Override
    public int currentTid() {
        Task t = kernel.running();
        return t == null ? -1 : t.tid;
    }

    @Override
    public ProcessView find(int pid) {
        for (KernelThread k : kernelThreads()) {
            if (k.pid() == pid) return k;
        }
        Process p = kernel.process(pid);
        return p == null || p.isReaped() ? null : new ProcessAdapter(p, shmem);
    }

    @Override
    public List<ProcessView> processes() {
        List<ProcessView> out = new ArrayList<>(kernelThreads());
        for (Process p : kernel.processes()) {
            if (!p.isReaped()) out.add(new ProcessAdapter(p, shmem));
        }
        return out;
    }

    /** kthreadd and kswapd0, by pid; kswapd0 only once the kernel has started reclaim. */
    private List<KernelThread> kernelThreads() {
        Kswapd k = kernel.kswapd();
        if (k == null) return List.of(kthreadd);
        if (k != kswapdOf) {
            kswapd = KernelThread.kswapd(k);
            kswapdOf = k;
        }
        return List.of(kthreadd, kswapd);
    }

    @Override
    public long uptimeNanos() {
        return kernel.monotonicNanos();
    }

    /**
     * The one CPU is idle exactly while every thread sleeps, and then the kernel's clock
     * jumps to the next deadline instead of waiting: the idle time is the sum of those jumps.
     */
    @Override
    public long idleNanos() {
        return kernel.sleptNanos();
    }

    @Override
    public long[] loadAverages() {
        return kernel.scheduler().loadAverages();
    }

    @Override
    public int lastPid() {
        return kernel.lastPid();
    }

    /**
     * The one core's identification: the running thread's registers (every thread's are the
     * core's); with no thread running, the model every new CPU gets.
     */
    @Override
    public SystemIds cpuIds() {
        Task t = kernel.running();
        return t != null ? t.cpu.ids() : SystemIds.DEFAULT;
    }

    @Override
    public FaultCounts faultCounts() {
        return kernel.faultCounts();
    }
}
