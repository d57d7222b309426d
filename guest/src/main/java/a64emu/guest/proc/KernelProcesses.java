package a64emu.guest.proc;

import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.Task;
import java.util.ArrayList;
import java.util.List;

/** The kernel's process table and running thread, as /proc reads them. */
public final class KernelProcesses implements ProcessTable {
    private final Kernel kernel;
    private final ShmemInodes shmem = new ShmemInodes();

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
        Process p = kernel.process(pid);
        return p == null || p.isReaped() ? null : new ProcessAdapter(p, shmem);
    }

    @Override
    public List<ProcessView> processes() {
        List<ProcessView> out = new ArrayList<>();
        for (Process p : kernel.processes()) {
            if (!p.isReaped()) out.add(new ProcessAdapter(p, shmem));
        }
        return out;
    }
}
