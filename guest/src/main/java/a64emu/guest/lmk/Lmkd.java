package a64emu.guest.lmk;

import a64emu.guest.Kernel;
import a64emu.guest.KernelLog;
import a64emu.guest.KernelThread;
import a64emu.guest.Process;
import a64emu.guest.lmk.AdjSlots.Record;
import a64emu.guest.lmk.PsiPolicy.Level;
import a64emu.guest.lmk.PsiPolicy.Poll;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.VmEvents;
import a64emu.guest.proc.KernelProcesses;
import a64emu.guest.proc.ProcessView;
import a64emu.guest.sched.Psi;
import a64emu.guest.sched.ResourceUsage;
import a64emu.guest.sched.Scheduler;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * Android's low memory killer daemon ({@code system/memory/lmkd/lmkd.cpp}) as a kernel thread:
 * it kills cached apps when memory runs short, before the kernel's OOM killer has to, by
 * oom_score_adj from 1000 down, as AOSP's lmkd does. On a device lmkd is a user process that
 * reads /proc and sleeps in epoll; here it reads the same numbers from the kernel and the
 * scheduler runs it between the guest's slices when it has work, as it runs kswapd0.
 *
 * <p><b>PSI policy</b> ({@link LmkConfig.Mode#PSI}, {@code ro.lmk.use_psi}, the default): two
 * PSI triggers, "some 70 ms in 1 s" (medium) and "full 700 ms in 1 s" (critical), wake it and
 * ask the running thread to give up the CPU ({@link Kernel#requestResched}), as the epoll wake-up
 * of a SCHED_FIFO lmkd preempts on a device. Each event is judged by {@link PsiPolicy}
 * ({@code mp_event_psi}) and starts polling: every 100 ms of the kernel's clock, 10 ms while swap
 * is low or after a kill, for a second after the event, extended while it kills or direct reclaim
 * runs ({@code call_handler}, {@code mainloop}). After a kill lmkd waits for the victim to die
 * (its pidfd, {@code start_wait_for_proc_kill}) with polling paused, at most kill_timeout_ms; here a
 * SIGKILL ends the victim at once and frees its memory, so the wait ends at lmkd's next turn and
 * polling resumes at once with the short interval, as {@code kill_done_handler} resumes it. One
 * input differs from a device's: the watermark free memory is below counts a breach since lmkd's
 * last look that the allocator's counters show, because kswapd here balances the zone in one go
 * just before lmkd runs ({@link MemoryState#lowestWatermark} says why).
 *
 * <p><b>Minfree policy</b> ({@link LmkConfig.Mode#MINFREE}, {@code ro.lmk.use_minfree_levels}):
 * vmpressure events drive it, the fallback lmkd uses without PSI monitors. The kernel's
 * vmpressure ({@code mm/vmpressure.c}) reports once per {@link #VMPRESSURE_WIN} pages that reclaim
 * (kswapd's or direct) has scanned; lmkd here notices a window at the next scheduling point
 * after the scan counters pass it, and judges it by {@link MinfreePolicy} ({@code mp_event_common}).
 * There is no polling, and a kill within kill_timeout_ms of the last one waits while the victim
 * is still dying.
 *
 * <p><b>Kills</b> ({@code find_and_kill_process}, {@code kill_one_process}): the registered
 * processes ({@link AdjSlots}: those whose oom_score_adj someone wrote) from adj 1000 down to the
 * decision's minimum, which is never below 0; within a level the least recently prioritised, or
 * the heaviest (largest RSS) at or below PERCEPTIBLE_APP_ADJ (200) or with kill_heaviest_task.
 * The victim gets SIGKILL; its line, in lmkd's words, goes to the kernel log at KERN_INFO
 * ({@link LmkKill#logLine}); the kills are counted per adj ({@code inc_killcnt}) and kept for
 * {@code --stats} and reports ({@link #kills}, {@link #lastKill}, {@link #killed}).
 *
 * <p>The kernel's clock stands in for CLOCK_MONOTONIC_COARSE, truncated to the tick.
 */
public final class Lmkd implements KernelThread {
    /** Its name, as /proc/PID/comm would show it. */
    public static final String NAME = "lmkd";
    /** vmpressure_win: SWAP_CLUSTER_MAX * 16 pages scanned make one vmpressure event. */
    public static final long VMPRESSURE_WIN = 512;

    private final Kernel kernel;
    private final LmkConfig config;
    private final LmkProperties props;
    private final ResourceUsage usage = new ResourceUsage();
    private final AdjSlots slots = new AdjSlots();
    private final PsiPolicy psiPolicy;
    private MinfreePolicy minfreePolicy;
    /** /proc as lmkd reads it, for the victim's cmdline. */
    private final KernelProcesses proc;
    private boolean started;

    // Events and polling (mainloop's polling_params), PSI policy only.
    private final boolean[] pending = new boolean[Level.values().length];
    private final Polling polling = new Polling();
    // vmpressure, minfree policy only: the scan count where the current window began.
    private long vmpressureWindowStart;
    // The allocator's counters at the PSI policy's last look.
    private long lookAllocstalls;
    private long lookKswapd;

    // The wait for the last victim (last_kill_pid_or_fd, last_kill_tm).
    private Process victim;
    private long lastKillNanos;
    private long killSkipCount;

    /** The time of the wake-up being handled. */
    private long now;
    private long wakeups;
    private long pressureEvents;
    private long skippedWakeups;
    private final TreeMap<Integer, Long> killsByAdj = new TreeMap<>();
    private final List<LmkKill> killed = new ArrayList<>();

    /** lmkd with {@code config}'s policy and the default properties. */
    public Lmkd(Kernel kernel, LmkConfig config) {
        this(kernel, config, LmkProperties.DEFAULTS);
    }

    public Lmkd(Kernel kernel, LmkConfig config, LmkProperties props) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("lmkd with --lmk off");
        }
        this.kernel = kernel;
        this.config = config;
        this.props = props;
        this.psiPolicy = new PsiPolicy(props);
        this.proc = new KernelProcesses(kernel);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ResourceUsage usage() {
        return usage;
    }

    public LmkConfig config() {
        return config;
    }

    /** The minfree table the minfree policy uses (null under the PSI policy, or before lmkd started). */
    public MinfreeTable minfreeTable() {
        return minfreePolicy == null ? null : minfreePolicy.table();
    }

    /** Processes killed so far. */
    public long kills() {
        return killed.size();
    }

    /** {@code get_killcnt}: kills of processes with oom_score_adj in {@code minAdj..maxAdj}. */
    public long kills(int minAdj, int maxAdj) {
        long n = 0;
        for (long k : killsByAdj.subMap(minAdj, true, maxAdj, true).values()) {
            n += k;
        }
        return n;
    }

    /** The last kill, or null before the first. */
    public LmkKill lastKill() {
        return killed.isEmpty() ? null : killed.get(killed.size() - 1);
    }

    /** Every kill so far, oldest first. */
    public List<LmkKill> killed() {
        return Collections.unmodifiableList(killed);
    }

    /** Times lmkd ran (events, polls and the end of waits for a victim). */
    public long wakeups() {
        return wakeups;
    }

    /** Memory pressure events it received: PSI trigger firings, or vmpressure windows. */
    public long pressureEvents() {
        return pressureEvents;
    }

    /** Wake-ups it skipped because a victim was still dying. */
    public long skippedWakeups() {
        return skippedWakeups;
    }

    // ---- the thread -------------------------------------------------------------------

    @Override
    public boolean runnable(long time) {
        if (!start()) {
            return false;
        }
        long t = coarse(time);
        if (victim != null && killWaitOver(t)) {
            return true;
        }
        if (config.mode() == LmkConfig.Mode.MINFREE) {
            return vmpressureEventDue();
        }
        for (boolean p : pending) {
            if (p) {
                return true;
            }
        }
        return polling.timerDue(t);
    }

    @Override
    public void run(long time) {
        wake(time);
        if (victim != null && killWaitOver(now)) {
            // kill_done_handler, or the kill timeout in mainloop: stop waiting, poll again at once.
            stopWaitingForKill();
            polling.resume(now);
        }
        if (config.mode() == LmkConfig.Mode.MINFREE) {
            if (vmpressureEventDue()) {
                vmpressureWindowStart = scanned();
                pressureEvents++;
                minfreeEvent();
            }
            return;
        }
        if (polling.pollNow(now)) {
            callPsiHandler(polling.level(), false);
        }
        for (Level level : Level.values()) {
            if (pending[level.ordinal()]) {
                pending[level.ordinal()] = false;
                callPsiHandler(level, true);
            }
        }
        polling.sleep(now);
    }

    /** Every wake-up starts here: the coarse clock, the count, the apps' oom_score_adj records. */
    private void wake(long time) {
        now = coarse(time);
        wakeups++;
        slots.observe(kernel.processes());
    }

    /** init_monitors, once the kernel has PSI: the triggers, or the vmpressure baseline. */
    private boolean start() {
        if (started) {
            return true;
        }
        Psi psi = kernel.psi();
        if (psi == null || kernel.frames() == null) {
            return false;
        }
        started = true;
        if (config.mode() == LmkConfig.Mode.PSI) {
            // init_psi_monitors: the new strategy's medium and critical levels over PSI_WINDOW_SIZE_MS.
            long window = Polling.WINDOW_MS * 1_000_000L;
            psi.addTrigger(Psi.State.SOME, props.psiPartialStallMs() * 1_000_000L, window,
                    () -> pressureEvent(Level.MEDIUM));
            psi.addTrigger(Psi.State.FULL, props.psiCompleteStallMs() * 1_000_000L, window,
                    () -> pressureEvent(Level.CRITICAL));
        } else {
            FrameAllocator frames = kernel.frames();
            minfreePolicy = new MinfreePolicy(config.minfreeFor(frames.zone().managedPages() * MemoryState.PAGE_KB));
            vmpressureWindowStart = scanned();
        }
        return true;
    }

    /**
     * The allocator is about to call the kernel OOM killer. On a device the allocating task
     * would by now have stalled in reclaim far longer than psi_complete_stall_ms, and lmkd,
     * woken by its critical trigger, would already have killed. Here guest code runs tens of
     * times slower than on a phone while reclaim runs at host speed, so PSI's time-based
     * triggers can come after memory is gone; this is lmkd's critical event at the moment its
     * condition certainly holds, so that it acts before the OOM killer, as on a device.
     * True when it killed a process whose memory is free now.
     */
    @Override
    public boolean beforeOutOfMemory(long time) {
        if (!start()) {
            return false;
        }
        // wake() looks at the apps too: they may have registered since lmkd last ran, and a
        // fast allocator can use up memory between two of its wake-ups.
        wake(time);
        if (victim != null && victim.hasExited()) {
            stopWaitingForKill();
        }
        int killsBefore = killed.size();
        if (config.mode() == LmkConfig.Mode.MINFREE) {
            minfreeEvent();
        } else {
            pressureEvents++;
            callPsiHandler(Level.CRITICAL, true, true);
        }
        // A victim that is gone already (possibly forgotten again by a wake-up its exit caused)
        // has freed its memory; one still dying is the allocating process itself.
        return killed.size() > killsBefore && (victim == null || victim.hasExited());
    }

    /**
     * The last victim is dead (or kill_timeout_ms is over). lmkd did not look at memory while it
     * waited, so the watermark breaches the allocator left behind meanwhile happened before the
     * kill took effect: they must not read as "breached even after kill" at the next look.
     */
    private void stopWaitingForKill() {
        victim = null;
        VmEvents e = kernel.frames().events();
        lookAllocstalls = e.get(VmEvents.Event.ALLOCSTALL_MOVABLE) + e.get(VmEvents.Event.ALLOCSTALL_NORMAL);
        lookKswapd = e.get(VmEvents.Event.KSWAPD_WAKEUPS) + e.get(VmEvents.Event.PGSCAN_KSWAPD);
    }

    /** A PSI trigger fired (inside a stall's accounting): lmkd becomes runnable and preempts. */
    private void pressureEvent(Level level) {
        pending[level.ordinal()] = true;
        pressureEvents++;
        kernel.requestResched();
    }

    /** call_handler for the PSI policy: mp_event_psi, then the polling update. */
    private void callPsiHandler(Level level, boolean event) {
        callPsiHandler(level, event, false);
    }

    private void callPsiHandler(Level level, boolean event, boolean allocatorStalled) {
        Poll poll;
        if (victim != null) {
            // The last victim is still dying: skip (mp_event_psi's kill_pending), polling paused.
            skippedWakeups++;
            poll = Poll.PAUSE;
        } else {
            poll = psiPolicy.handle(level, event, now, readPsiState(), killer, allocatorStalled);
        }
        polling.handled(level, poll, now);
    }

    /** The state for mp_event_psi, with the watermark breaches since the last look ({@link MemoryState#lowestWatermark}). */
    private MemoryState readPsiState() {
        VmEvents e = kernel.frames().events();
        long allocstalls = e.get(VmEvents.Event.ALLOCSTALL_MOVABLE) + e.get(VmEvents.Event.ALLOCSTALL_NORMAL);
        long kswapd = e.get(VmEvents.Event.KSWAPD_WAKEUPS) + e.get(VmEvents.Event.PGSCAN_KSWAPD);
        MemoryState.Watermark breached = MemoryState.breachedSince(lookAllocstalls, allocstalls, lookKswapd, kswapd);
        lookAllocstalls = allocstalls;
        lookKswapd = kswapd;
        return MemoryState.read(kernel.frames(), kernel.psi(), breached);
    }

    /** mp_event_common's kill timeout, then the minfree decision. */
    private void minfreeEvent() {
        if (props.killTimeoutMs() > 0 && PsiPolicy.millis(now - lastKillNanos) < props.killTimeoutMs()) {
            if (victim != null) {
                killSkipCount++;
                skippedWakeups++;
                return; // the last victim is still freeing its memory
            }
        }
        victim = null;
        if (killSkipCount > 0) {
            log(String.format("%d memory pressure events were skipped after a kill!", killSkipCount));
            killSkipCount = 0;
        }
        minfreePolicy.handle(now, MemoryState.read(kernel.frames(), kernel.psi(), MemoryState.Watermark.NONE), killer,
                this::log);
    }

    private boolean vmpressureEventDue() {
        return scanned() - vmpressureWindowStart >= VMPRESSURE_WIN;
    }

    /** Pages reclaim has scanned, kswapd's and direct. */
    private long scanned() {
        VmEvents e = kernel.frames().events();
        return e.get(VmEvents.Event.PGSCAN_KSWAPD) + e.get(VmEvents.Event.PGSCAN_DIRECT);
    }

    /** The victim is dead (its pidfd would be readable), or kill_timeout_ms has passed. */
    private boolean killWaitOver(long t) {
        return victim.hasExited()
                || (props.killTimeoutMs() > 0 && PsiPolicy.millis(t - lastKillNanos) >= props.killTimeoutMs());
    }

    // ---- killing ----------------------------------------------------------------------

    /** What the policies kill through. */
    private final Killer killer = new Killer() {
        @Override
        public long findAndKill(int minAdj, KillReason reason, String description) {
            return Lmkd.this.findAndKill(minAdj, reason, description);
        }

        @Override
        public boolean waitingForKill() {
            return victim != null;
        }
    };

    /** {@code find_and_kill_process}: see {@link Killer#findAndKill}. */
    private long findAndKill(int minAdj, KillReason reason, String description) {
        return slots.findAndKill(minAdj, props.killHeaviestTask(), this::rssPages,
                r -> killOne(r, minAdj, reason, description));
    }

    /** statm's resident field of the record's process, or -1 when it is gone. */
    private long rssPages(Record r) {
        Process p = live(r.pid());
        return p == null ? -1 : p.mm.pageTables().residentPages();
    }

    private Process live(int pid) {
        Process p = kernel.process(pid);
        return p == null || p.hasExited() || p.isReleased() || p.mm.isReleased() ? null : p;
    }

    /**
     * {@code kill_one_process}: SIGKILL to the record's process, its line to the kernel log;
     * the pages it held, or -1 when it is already gone (a zombie has no VmRSS).
     */
    private long killOne(Record r, int minAdj, KillReason reason, String description) {
        Process p = live(r.pid());
        if (p == null) {
            return -1;
        }
        long rssKb = p.mm.pageTables().residentPages() * MemoryState.PAGE_KB;
        long swapKb = p.mm.pageTables().swapEntries() * MemoryState.PAGE_KB;
        LmkKill k = new LmkKill(now, r.pid(), taskName(p), r.uid(), r.adj(), minAdj, rssKb, swapKb, reason,
                description);
        // On a device the reaper frees the victim's memory after lmkd has logged the kill; here SIGKILL
        // frees it at once, so the line goes first, while the victim still holds what it names.
        log(k.logLine());
        killed.add(k);
        victim = p;
        // A process whose kernel path is running (lmkd ran from its allocation) dies on its way out.
        kernel.killForMemory(p, SignalInfo.fromKernel(Signal.SIGKILL,
                "killed by lmkd" + (description == null ? "" : " (" + description + ")")));
        lastKillNanos = now;
        killsByAdj.merge(r.adj(), 1L, Long::sum);
        return rssKb / MemoryState.PAGE_KB;
    }

    /**
     * {@code proc_get_name}: /proc/PID/cmdline up to the first NUL or space; the comm if the
     * command line cannot be read.
     */
    private String taskName(Process p) {
        ProcessView v = proc.find(p.pid);
        byte[] cmdline = v == null ? new byte[0] : v.cmdline();
        int end = 0;
        while (end < cmdline.length && cmdline[end] != 0 && cmdline[end] != ' ') {
            end++;
        }
        return end == 0 ? p.comm() : new String(cmdline, 0, end, StandardCharsets.UTF_8);
    }

    private void log(String line) {
        kernel.kernelLog().log(KernelLog.INFO, line);
    }

    /** CLOCK_MONOTONIC_COARSE: the clock as of the last tick. */
    private static long coarse(long nanos) {
        return nanos - Math.floorMod(nanos, Scheduler.TICK_NANOS);
    }
}
