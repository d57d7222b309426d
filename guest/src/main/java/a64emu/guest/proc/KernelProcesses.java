package a64emu.guest.proc;

import a64emu.cpu.SystemIds;
import a64emu.guest.Kernel;
import a64emu.guest.KernelLog;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.mm.FaultCounts;
import a64emu.guest.mm.Kswapd;
import a64emu.guest.sched.Psi;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's process table, running thread, clock and counters, as /proc reads them. The
 * table lists the kernel threads first (kthreadd, kswapd0 once the kernel has one, then the
 * others the kernel started), then the guest's processes, as Linux lists pids in order.
 */
public final class KernelProcesses implements ProcessTable, KernelState {
    private final Kernel kernel;
    private final ShmemInodes shmem = new ShmemInodes();
    private final KernelThread kthreadd = KernelThread.kthreadd();
    /** kswapd0's view, made for the kernel's Kswapd when there is one. */
    private KernelThread kswapd;
    private Kswapd kswapdOf;
    /**
     * /proc/PID/maps of {@code pid}, as the guest would read it (device and inode of mapped
     * files included), or null if there is no such process: for the debugger's {@code info maps}.
     */
    public String maps(int pid) {
        ProcessView v = find(pid);
        return v == null ? null : new String(TaskMmu.maps(v), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The views of the other kernel threads, made once each so that what is written to them stays. */
    private final Map<a64emu.guest.KernelThread, KernelThread> others = new IdentityHashMap<>();

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

    /**
     * kthreadd, kswapd0 once the kernel has started reclaim, then the other kernel threads in
     * the order they were started: by pid.
     */
    private List<KernelThread> kernelThreads() {
        List<KernelThread> out = new ArrayList<>();
        out.add(kthreadd);
        Kswapd k = kernel.kswapd();
        if (k != null) {
            if (k != kswapdOf) {
                kswapd = KernelThread.kswapd(k);
                kswapdOf = k;
            }
            out.add(kswapd);
        }
        List<a64emu.guest.KernelThread> started = kernel.kernelThreads();
        for (int i = 0; i < started.size(); i++) {
            int index = i;
            out.add(others.computeIfAbsent(started.get(i),
                    t -> KernelThread.other(t, index, kernel::monotonicNanos)));
        }
        return out;
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

    @Override
    public Psi psi() {
        return kernel.psi();
    }

    @Override
    public a64emu.guest.ipc.IpcNamespace ipc() {
        return kernel.ipc();
    }

    @Override
    public KernelLog kernelLog() {
        return kernel.kernelLog();
    }
}
