package a64emu.tools.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code run --report} recorded: the machine's memory and each process's, sampled on the
 * guest kernel's clock, the reclaim bursts and kills between, and procrank tables of chosen
 * moments. Times are nanoseconds since boot on the kernel's CLOCK_MONOTONIC, the clock of
 * the kernel log's {@code [seconds.micros]} stamps; sizes are pages unless a name says kB or
 * bytes.
 */
final class PressureTimeline {
    /** How the run was made and sampled. */
    record Run(String command, long intervalNanos, int pssEvery) {}

    /** The machine the kernel made: RAM frames, swap slots, zram0's size in bytes (0 without). */
    record Hardware(long ramPages, long swapPages, long zramDisksize) {}

    /**
     * The machine at one moment. The page counts from {@code free} to {@code otherKernel} add up
     * to {@code totalPages}: free, the four LRU lists and the unevictable one (anonymous and
     * shmem pages, page cache), zsmalloc's frames for zram, page tables, and whatever else the
     * kernel holds (the zero page, the swap cache outside the LRU, frame 0).
     */
    record Machine(long totalPages, long free, long anonActive, long anonInactive, long fileActive,
                   long fileInactive, long unevictable, long zramPool, long pageTables, long swapUsed,
                   long zramOrigBytes, long zramComprBytes, long zramMemUsedBytes,
                   long psiSomeAvg10, long psiFullAvg10, long psiSomeTotalNanos, long psiFullTotalNanos) {
        long otherKernel() {
            return totalPages - free - anonActive - anonInactive - fileActive - fileInactive - unevictable - zramPool
                    - pageTables;
        }

        long file() {
            return fileActive + fileInactive;
        }
    }

    /**
     * One process at one moment: its resident and swapped-out pages (the mm counters Linux
     * keeps, MM_*PAGES and MM_SWAPENTS) and oom_score_adj at every sample; Pss and SwapPss
     * (smaps_rollup, a walk of its page tables) only at every {@link Run#pssEvery}-th, else -1.
     */
    record Proc(int pid, long rss, long swap, long pssKb, long swapPssKb, int oomScoreAdj) {}

    record Sample(long nanos, Machine machine, List<Proc> processes) {
        Proc process(int pid) {
            for (Proc p : processes) {
                if (p.pid() == pid) return p;
            }
            return null;
        }
    }

    enum EventKind {
        KSWAPD_RECLAIM("kswapd reclaim"),
        DIRECT_RECLAIM("direct reclaim"),
        LMK_KILL("lmkd kill"),
        OOM_KILL("OOM kill");

        final String label;

        EventKind(String label) {
            this.label = label;
        }

        boolean isKill() {
            return this == LMK_KILL || this == OOM_KILL;
        }
    }

    /** A kill (at one moment, {@code pid} its victim) or a reclaim burst (over a stretch, pid -1). */
    record Event(EventKind kind, long startNanos, long endNanos, int pid, String text) {}

    /** A procrank table, and the moment it stands for. */
    record Snapshot(long nanos, String moment, Procrank.Table table) {}

    private final Run run;
    private Hardware hardware = new Hardware(0, 0, 0);
    private final List<Sample> samples = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Snapshot> snapshots = new ArrayList<>();
    /** Each pid's name: its last image's argv[0]. */
    private final Map<Integer, String> names = new TreeMap<>();
    private Snapshot end;
    private int exitStatus = -1;
    private long samplerNanos;

    PressureTimeline(Run run) {
        this.run = run;
    }

    Run run() {
        return run;
    }

    Hardware hardware() {
        return hardware;
    }

    void setHardware(Hardware h) {
        hardware = h;
    }

    void add(Sample s) {
        samples.add(s);
    }

    void add(Event e) {
        events.add(e);
    }

    void addSnapshot(Snapshot s) {
        snapshots.add(s);
    }

    void name(int pid, String name) {
        names.put(pid, name);
    }

    void setEnd(Snapshot s) {
        end = s;
    }

    void setExitStatus(int status) {
        exitStatus = status;
    }

    void addSamplerNanos(long nanos) {
        samplerNanos += nanos;
    }

    List<Sample> samples() {
        return Collections.unmodifiableList(samples);
    }

    /** Kills and reclaim bursts, by time. */
    List<Event> events() {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        return sorted;
    }

    List<Event> kills() {
        return events().stream().filter(e -> e.kind().isKill()).toList();
    }

    /** The procrank tables taken as each victim was killed. */
    List<Snapshot> snapshots() {
        return Collections.unmodifiableList(snapshots);
    }

    /** The procrank table of the first process's exit, or null if it never exited. */
    Snapshot end() {
        return end;
    }

    String name(int pid) {
        return names.getOrDefault(pid, Integer.toString(pid));
    }

    /** Every pid that appears in a sample, in order of first appearance. */
    List<Integer> pids() {
        java.util.Set<Integer> out = new java.util.LinkedHashSet<>();
        for (Sample s : samples) {
            for (Proc p : s.processes()) {
                out.add(p.pid());
            }
        }
        return new ArrayList<>(out);
    }

    int exitStatus() {
        return exitStatus;
    }

    /** Host time the sampler itself took. */
    long samplerNanos() {
        return samplerNanos;
    }
}
