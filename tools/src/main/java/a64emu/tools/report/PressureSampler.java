package a64emu.tools.report;

import a64emu.cpu.Cpu;
import a64emu.cpu.ExceptionInfo;
import a64emu.guest.Kernel;
import a64emu.guest.KernelLog;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.Lru;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.SwapSpace;
import a64emu.guest.mm.VmEvents;
import a64emu.guest.mm.VmEvents.Event;
import a64emu.guest.sched.Psi;
import a64emu.guest.events.GuestEvents;
import a64emu.guest.zram.Zram;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records a {@link PressureTimeline} while the guest runs: a tracer between the kernel and
 * the CPU (in front of any other tracer, which it calls in turn) that takes a sample whenever
 * the kernel's clock has passed the next multiple of the interval, and a listener on the
 * kernel log that notes each kill. The tracer sees the clock between stretches of guest code
 * (a time slice, or less when the guest enters the kernel), so a sample may come that much
 * late, and while every thread sleeps (the clock then jumps) there is none.
 *
 * <p>A sample costs little: the machine's page counts, zram's and PSI's numbers and each
 * process's RSS and swap entries are counters the kernel keeps (Linux's vmstat, mm_stat and
 * mm counters), read in constant time. Pss needs a walk of every page table, so it is taken
 * only at every {@code pssEvery}-th sample, and at the moments procrank tables are made: as
 * each victim is killed (before its memory is freed: the kill line is written first) and as
 * the first process exits, the end of the run (after that, the kernel kills what is left).
 *
 * <p>Reclaim bursts come from the vmstat event counters: the samples over which kswapd's
 * (pgscan_kswapd, pgsteal_kswapd) or direct reclaim's (pgscan_direct, allocstall) counters
 * moved, with pauses shorter than {@link #burstGapNanos} inside, make one burst.
 *
 * <p>The sampler only reads: the tables it walks, the counters, /proc files the kernel
 * generates for it as for any reader. It runs on the kernel's clock, which is the host's, so
 * its own time passes in the guest too; {@link PressureTimeline#samplerNanos} says how much.
 */
final class PressureSampler implements GuestEvents {
    /** lmkd's kill line (system/memory/lmkd/lmkd.cpp: "Kill '%s' (%d), uid %d, oom_score_adj %d to free ..."). */
    static final Pattern LMK_KILL = Pattern.compile("^Kill '([^']*)' \\((\\d+)\\)");
    /** The OOM killer's (mm/oom_kill.c __oom_kill_process: "Out of memory: Killed process %d (%s) ..."). */
    static final Pattern OOM_KILL = Pattern.compile("^Out of memory: Killed process (\\d+) \\(([^)]*)\\)");

    /** 4 KiB pages in a MiB. */
    static final double PAGES_PER_MIB = 256.0;

    private final Kernel kernel;
    private final GuestEvents next;
    private final long intervalNanos;
    private final int pssEvery;
    private final PressureTimeline timeline;

    private KernelView view;
    private long nextSample;
    private long lastSampleNanos;
    private int sampleCount;
    /** Each process image's name, read once from its cmdline when it first runs. */
    private final Map<Process, String> names = new IdentityHashMap<>();
    private VmCounters lastCounters;
    private Burst kswapd;
    private Burst direct;

    PressureSampler(Kernel kernel, PressureTimeline timeline, GuestEvents next) {
        this.kernel = kernel;
        this.next = next;
        this.timeline = timeline;
        this.intervalNanos = timeline.run().intervalNanos();
        this.pssEvery = timeline.run().pssEvery();
    }

    // ---- the tracer ---------------------------------------------------------------

    @Override
    public void processStarted(Process process) {
        next.processStarted(process);
        view = new KernelView(kernel);
        FrameAllocator frames = kernel.frames();
        timeline.setHardware(new PressureTimeline.Hardware(frames.totalFrames(),
                frames.swap() == null ? 0 : frames.swap().totalPages(),
                kernel.zram() == null ? 0 : kernel.zram().disksize()));
        lastCounters = VmCounters.of(kernel.frames().events());
        nameOf(process);
        sample(kernel.monotonicNanos(), true);
    }

    @Override
    public ExceptionInfo run(Task thread, Cpu cpu, long quantum) {
        Process process = thread.process;
        if (view != null && !names.containsKey(process)) {
            nameOf(process);
        }
        ExceptionInfo ex = next.run(thread, cpu, quantum);
        if (view != null) {
            long now = kernel.monotonicNanos();
            if (now >= nextSample) {
                sample(now, ++sampleCount % pssEvery == 0);
            }
        }
        return ex;
    }

    @Override
    public void processExiting(Process process) {
        if (view != null && process.pid == Kernel.FIRST_PID && process.hasExited() && timeline.end() == null) {
            // The end of the run: the first process's memory is still there; the others'
            // (those it has not reaped) too, until the kernel ends them after it.
            long now = kernel.monotonicNanos();
            sample(now, true);
            timeline.setEnd(snapshot(now, "as the first process (" + timeline.name(process.pid) + ") exits"));
        }
        next.processExiting(process);
    }

    // ---- the kernel log -------------------------------------------------------------

    /** A listener for the kernel log that notes each kill, then passes the message on. */
    Consumer<KernelLog.Message> logListener(Consumer<KernelLog.Message> then) {
        return m -> {
            kill(m);
            then.accept(m);
        };
    }

    private void kill(KernelLog.Message m) {
        PressureTimeline.EventKind kind;
        int pid;
        Matcher lmk = LMK_KILL.matcher(m.text());
        Matcher oom = OOM_KILL.matcher(m.text());
        if (lmk.find()) {
            kind = PressureTimeline.EventKind.LMK_KILL;
            pid = Integer.parseInt(lmk.group(2));
        } else if (oom.find()) {
            kind = PressureTimeline.EventKind.OOM_KILL;
            pid = Integer.parseInt(oom.group(1));
        } else {
            return;
        }
        timeline.add(new PressureTimeline.Event(kind, m.nanos(), m.nanos(), pid, m.dmesgLine()));
        if (view == null) {
            return;
        }
        // The victim as the killer saw it: the line is written before its memory goes.
        sample(m.nanos(), true);
        String who = kind == PressureTimeline.EventKind.LMK_KILL ? "lmkd" : "the OOM killer";
        timeline.addSnapshot(snapshot(m.nanos(), "as " + who + " kills " + timeline.name(pid) + " (" + pid + ")"));
    }

    // ---- samples ------------------------------------------------------------------------

    private void nameOf(Process p) {
        long start = System.nanoTime();
        names.put(p, cmdline(p));
        timeline.addSamplerNanos(System.nanoTime() - start);
    }

    /** argv[0], as procrank names a process; the comm when there is none. */
    private String cmdline(Process p) {
        String name = view.cmdline(p.pid);
        if (name == null) {
            name = p.comm();
        }
        timeline.name(p.pid, name);
        return name;
    }

    private void sample(long now, boolean withPss) {
        long start = System.nanoTime();
        FrameAllocator frames = kernel.frames();
        Lru lru = frames.lru();
        Zram zram = kernel.zram();
        SwapSpace swap = frames.swap();
        Psi psi = kernel.psi();
        PressureTimeline.Machine machine = new PressureTimeline.Machine(
                frames.totalFrames(), frames.freeFrames(),
                lru.size(Lru.ListId.ACTIVE_ANON), lru.size(Lru.ListId.INACTIVE_ANON),
                lru.size(Lru.ListId.ACTIVE_FILE), lru.size(Lru.ListId.INACTIVE_FILE),
                lru.size(Lru.ListId.UNEVICTABLE), frames.count(FrameAllocator.PageKind.ZSMALLOC),
                frames.count(FrameAllocator.PageKind.PAGE_TABLE), swap == null ? 0 : swap.usedPages(),
                zram == null ? 0 : zram.origDataSize(), zram == null ? 0 : zram.comprDataSize(),
                zram == null ? 0 : zram.memUsedTotal(),
                psi.averages(Psi.State.SOME)[0], psi.averages(Psi.State.FULL)[0],
                psi.total(Psi.State.SOME), psi.total(Psi.State.FULL));
        List<PressureTimeline.Proc> procs = new ArrayList<>();
        for (Process p : kernel.processes()) {
            if (p.isReleased() || p.mm.isReleased()) {
                continue;
            }
            PageTables pt = p.mm.pageTables();
            long pss = -1;
            long swapPss = -1;
            if (withPss) {
                Map<String, Long> m = view.memory(p.pid);
                if (m != null) {
                    pss = m.getOrDefault("Pss", 0L);
                    swapPss = m.getOrDefault("SwapPss", 0L);
                }
            }
            procs.add(new PressureTimeline.Proc(p.pid, pt.residentPages(), pt.swapEntries(), pss, swapPss,
                    p.oomScoreAdj()));
        }
        timeline.add(new PressureTimeline.Sample(now, machine, procs));
        reclaim(now);
        lastSampleNanos = now;
        // The next multiple of the interval: a sample taken late (the tracer sees the clock only
        // between stretches of guest code, up to a time slice apart) does not delay the rest.
        nextSample = Math.max(nextSample, (now / intervalNanos + 1) * intervalNanos);
        timeline.addSamplerNanos(System.nanoTime() - start);
    }

    // ---- reclaim bursts -----------------------------------------------------------------

    /** The vmstat counters that tell kswapd's and direct reclaim's work. */
    private record VmCounters(long scanKswapd, long stealKswapd, long scanDirect, long stealDirect, long stalls) {
        static VmCounters of(VmEvents e) {
            return new VmCounters(e.get(Event.PGSCAN_KSWAPD), e.get(Event.PGSTEAL_KSWAPD), e.get(Event.PGSCAN_DIRECT),
                    e.get(Event.PGSTEAL_DIRECT), e.get(Event.ALLOCSTALL_MOVABLE) + e.get(Event.ALLOCSTALL_NORMAL));
        }
    }

    /** An open reclaim burst: since when, and what it did so far. */
    private static final class Burst {
        final long start;
        long end;
        long scanned;
        long stolen;
        long stalls;

        Burst(long start) {
            this.start = start;
        }
    }

    private void reclaim(long now) {
        VmCounters c = VmCounters.of(kernel.frames().events());
        VmCounters d = new VmCounters(c.scanKswapd() - lastCounters.scanKswapd(),
                c.stealKswapd() - lastCounters.stealKswapd(), c.scanDirect() - lastCounters.scanDirect(),
                c.stealDirect() - lastCounters.stealDirect(), c.stalls() - lastCounters.stalls());
        lastCounters = c;
        kswapd = extend(kswapd, d.scanKswapd() + d.stealKswapd() > 0, now, d.scanKswapd(), d.stealKswapd(), 0,
                PressureTimeline.EventKind.KSWAPD_RECLAIM);
        direct = extend(direct, d.scanDirect() + d.stealDirect() + d.stalls() > 0, now, d.scanDirect(),
                d.stealDirect(), d.stalls(), PressureTimeline.EventKind.DIRECT_RECLAIM);
    }

    private Burst extend(Burst open, boolean active, long now, long scanned, long stolen, long stalls,
                         PressureTimeline.EventKind kind) {
        if (!active) {
            // kswapd sleeps and wakes many times a second under pressure: short pauses stay in the burst.
            if (open != null && now - open.end >= burstGapNanos()) {
                close(open, kind);
                return null;
            }
            return open;
        }
        Burst b = open != null ? open : new Burst(lastSampleNanos);
        b.end = now;
        b.scanned += scanned;
        b.stolen += stolen;
        b.stalls += stalls;
        return b;
    }

    /** A pause in reclaim at least this long ends a burst: 100 ms, or five samples if those are longer. */
    private long burstGapNanos() {
        return Math.max(100_000_000L, 5 * intervalNanos);
    }

    private void close(Burst b, PressureTimeline.EventKind kind) {
        double seconds = (b.end - b.start) / 1e9;
        String text = kind == PressureTimeline.EventKind.KSWAPD_RECLAIM
                ? String.format(Locale.ROOT, "kswapd0 scanned %d pages and reclaimed %d (%.1f MiB) in %.3f s",
                        b.scanned, b.stolen, b.stolen / PAGES_PER_MIB, seconds)
                : String.format(Locale.ROOT, "%d allocations stalled in direct reclaim, which scanned %d pages "
                        + "and reclaimed %d (%.1f MiB) in %.3f s", b.stalls, b.scanned, b.stolen,
                        b.stolen / PAGES_PER_MIB, seconds);
        timeline.add(new PressureTimeline.Event(kind, b.start, b.end, -1, text));
    }

    /** Closes the bursts still open when the run ends. */
    void finish() {
        if (kswapd != null) close(kswapd, PressureTimeline.EventKind.KSWAPD_RECLAIM);
        if (direct != null) close(direct, PressureTimeline.EventKind.DIRECT_RECLAIM);
        kswapd = null;
        direct = null;
    }

    private PressureTimeline.Snapshot snapshot(long now, String moment) {
        long start = System.nanoTime();
        Zram zram = kernel.zram();
        Procrank.Table t = Procrank.take(kernel.processes(), view, zram == null ? 0 : zram.memUsedTotal(),
                p -> names.computeIfAbsent(p, this::cmdline));
        timeline.addSamplerNanos(System.nanoTime() - start);
        return new PressureTimeline.Snapshot(now, moment, t);
    }
}
