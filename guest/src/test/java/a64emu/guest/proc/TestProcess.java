package a64emu.guest.proc;

import a64emu.cpu.SystemIds;
import a64emu.guest.KernelLog;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FaultCounts;
import a64emu.guest.mm.Vma;
import a64emu.guest.sched.Psi;
import a64emu.guest.sched.ResourceUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A process built by hand for the /proc tests: a real address space, the rest plain fields. */
final class TestProcess implements ProcessView {
    int pid;
    int ppid = 1;
    List<Integer> tids = new ArrayList<>();
    String comm = "prog";
    char state = 'R';
    long uid = 1000;
    long gid = 1000;
    AddressSpace mm;
    String cmdline = "prog\0";
    String exe = "/bin/prog";
    String cwd = "/home";
    int umask = 022;
    SortedMap<Integer, String> fds = new TreeMap<>();
    int oomScoreAdj;
    int oomScoreAdjMin;
    long oomScore;
    boolean inVfork;
    Map<Vma, FileId> files = new HashMap<>();
    FileId everyFile;
    long pending;
    long blocked;
    long ignored;
    long caught;
    /** When set, the descriptors are this table's. */
    a64emu.guest.fs.FileTable fdTable;
    /** Each thread's usage, created on first use; the group's is their sum plus {@link #exitedUsage}. */
    Map<Integer, ResourceUsage> threadUsage = new HashMap<>();
    ResourceUsage exitedUsage = new ResourceUsage();
    ResourceUsage childrenUsage = new ResourceUsage();
    long startBoottimeNanos;
    long taskFlags;
    int exitCode;
    int exitSignal = 17;
    long rssLimit = -1;

    TestProcess(int pid, AddressSpace mm) {
        this.pid = pid;
        this.mm = mm;
        tids.add(pid);
        fds.put(0, "/dev/pts/0");
        fds.put(1, "/dev/pts/0");
        fds.put(2, "/dev/pts/0");
    }

    @Override public int pid() { return pid; }
    @Override public int ppid() { return ppid; }
    @Override public List<Integer> tids() { return tids; }
    @Override public String comm() { return comm; }
    @Override public void setComm(String name) { comm = name; }
    @Override public Thread thread(int tid) {
        if (!tids.contains(tid)) return null;
        return new Thread(tid, state, tid == pid ? pending : 0, blocked, usage(tid));
    }
    ResourceUsage usage(int tid) { return threadUsage.computeIfAbsent(tid, t -> new ResourceUsage()); }
    @Override public ResourceUsage usage() {
        ResourceUsage u = exitedUsage.copy();
        for (int t : tids) u.add(usage(t));
        return u;
    }
    @Override public ResourceUsage childrenUsage() { return childrenUsage; }
    @Override public long startBoottimeNanos() { return startBoottimeNanos; }
    @Override public long taskFlags() { return taskFlags; }
    @Override public int pgrp() { return 4242; }
    @Override public int session() { return 4242; }
    @Override public int exitSignal() { return exitSignal; }
    @Override public int exitCode() { return exitCode; }
    @Override public long rssLimit() { return rssLimit; }
    @Override public long uid() { return uid; }
    @Override public long euid() { return uid; }
    @Override public long gid() { return gid; }
    @Override public long egid() { return gid; }
    @Override public Capabilities capabilities() { return Capabilities.forUid(uid); }
    @Override public AddressSpace mm() { return mm; }
    @Override public byte[] cmdline() { return cmdline.getBytes(StandardCharsets.UTF_8); }
    @Override public String exePath() { return exe; }
    @Override public String cwd() { return cwd; }
    @Override public int umask() { return umask; }
    @Override public SortedMap<Integer, String> fds() {
        if (fdTable == null) return fds;
        SortedMap<Integer, String> out = new TreeMap<>();
        for (int fd = 0; fd < fdTable.maxFds(); fd++) {
            if (fdTable.file(fd) != null) out.put(fd, fdTable.file(fd).guestPath());
        }
        return out;
    }
    @Override public a64emu.guest.fs.OpenFile openFile(int fd) { return fdTable == null ? null : fdTable.file(fd); }
    @Override public int oomScoreAdj() { return oomScoreAdj; }
    @Override public void setOomScoreAdj(int adj) { oomScoreAdj = adj; }
    @Override public int oomScoreAdjMin() { return oomScoreAdjMin; }
    @Override public void setOomScoreAdjMin(int adj) { oomScoreAdjMin = adj; }
    @Override public long oomScore() { return oomScore; }
    @Override public boolean inVfork() { return inVfork; }
    @Override public FileId mappedFile(Vma vma) { return everyFile != null ? everyFile : files.get(vma); }
    @Override public long sigSharedPending() { return 0; }
    @Override public long sigIgnored() { return ignored; }
    @Override public long sigCaught() { return caught; }
    @Override public int sigQueued() { return Long.bitCount(pending); }
    @Override public long sigQueueLimit() { return 127431; }

    /** A kernel whose clock, load and counters the test sets. */
    static final class Kernel implements KernelState {
        long uptimeNanos;
        long idleNanos;
        long[] loadAverages = new long[3];
        int lastPid = 4300;
        SystemIds ids = SystemIds.DEFAULT;
        FaultCounts faults = FaultCounts.ZERO;
        /** PSI on this clock (null: the kernel has none); the log on it too. */
        Psi psi;
        final KernelLog log = new KernelLog(() -> uptimeNanos);

        @Override public long uptimeNanos() { return uptimeNanos; }
        @Override public long idleNanos() { return idleNanos; }
        @Override public long[] loadAverages() { return loadAverages.clone(); }
        @Override public int lastPid() { return lastPid; }
        @Override public SystemIds cpuIds() { return ids; }
        @Override public FaultCounts faultCounts() { return faults; }
        @Override public Psi psi() { return psi; }
        @Override public KernelLog kernelLog() { return log; }
    }

    /** A table holding these processes, the first one the caller. */
    static ProcessTable table(TestProcess... ps) {
        return new ProcessTable() {
            @Override public ProcessView current() { return ps[0]; }
            @Override public int currentTid() { return ps[0].tids.get(ps[0].tids.size() - 1); }
            @Override public ProcessView find(int pid) {
                for (TestProcess p : ps) if (p.pid == pid) return p;
                return null;
            }
            @Override public List<ProcessView> processes() { return List.of(ps); }
        };
    }
}
