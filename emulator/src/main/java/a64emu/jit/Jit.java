package a64emu.jit;

import a64emu.cpu.Cpu;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.cpu.GuestException;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;
import a64emu.mmu.HostTlb;
import a64emu.mmu.Mmu;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JIT of one core: it runs the CPUs' hot code as translated units and the rest in the
 * interpreter, with exactly the interpreter's behaviour (instructions retired per quantum,
 * exceptions, their PC and syndrome, the state left behind).
 *
 * <p>{@link #run} is the dispatcher. At each address execution arrives at by a taken branch
 * it translates the PC for execution (through the {@link HostTlb}, else the MMU, so an
 * instruction abort is raised as the interpreter raises it), then follows the previous
 * unit's successor link for that exit, else looks the unit up by address; an address with
 * no unit is interpreted to its next taken branch, and translated once execution has
 * arrived there {@link JitOptions#hotThreshold} times: on the JVM's one translating thread
 * while the interpreter goes on (the unit is installed at a later arrival, unless its frame
 * was written meanwhile), or at once when the options say so (tests, difftest).
 *
 * <p>Units are kept by physical address and watched through {@link PhysicalMemory}: any
 * write to a frame a unit was read from (a guest store, the kernel's copy into user memory,
 * a page-in, the frame's release) invalidates every unit of the frame before the bytes
 * change. A store made by a running unit into its own frame ends the unit after the storing
 * instruction, so not even the rest of that unit runs stale. A frame invalidated
 * {@link #MAX_RETRANSLATIONS} times is interpreted until it is freed (a guest that keeps
 * rewriting code next to its data).
 */
public final class Jit implements Cpu.Engine {
    /** After this many invalidations a frame's code is left to the interpreter. */
    static final int MAX_RETRANSLATIONS = 16;
    private static final int HOT_BITS = 14;
    private static final int JUMP_BITS = 12;

    private final Mmu mmu;
    private final PhysicalMemory ram;
    private final HostTlb host;
    private final JitOptions options;
    private final Translator translator;

    private final Map<Long, Unit> byPa = new HashMap<>();
    private final Map<Integer, List<Unit>> byFrame = new HashMap<>();
    /** Units by virtual address, direct-mapped: the lookup before the map. */
    private final Unit[] jumpCache = new Unit[1 << JUMP_BITS];
    /**
     * Arrivals per address, direct-mapped and tagged with the address: an address that takes
     * a slot over starts from zero, so a large program's many lukewarm addresses never add
     * up to a hot one (with untagged counters, python3's start-up translated 1,700 units
     * instead of 15 and ran at a third of the interpreter's speed).
     */
    private final int[] hot = new int[1 << HOT_BITS];
    private final long[] hotTag = new long[1 << HOT_BITS];
    /** Invalidations per frame, for frames invalidated at least once. */
    private final Map<Integer, Integer> invalidations = new HashMap<>();
    /** Translations asked of the background thread and not installed yet. */
    private final Set<Key> requested = new HashSet<>();
    /** What the background thread finished, for the guest's thread to install. */
    private final ConcurrentLinkedQueue<Ready> ready =
            new ConcurrentLinkedQueue<>();
    /** Writes seen per watched frame: a translation of older words is not installed. */
    private final Map<Integer, Integer> generations = new HashMap<>();
    private volatile Throwable failure;
    /** The unit running now, whose frame a store must not change under it. */
    private Unit running;
    /** A store changed the running unit's frame: the unit stops after that instruction. */
    boolean runningChanged;

    private long unitsTranslated;
    private long instructionsTranslated;
    private long fallbackInstructions;
    private long codeBytes;
    private long translateNanos;
    private long unitsInvalidated;
    private long unitRuns;
    private long chained;
    private long interpreted;

    public Jit(Mmu mmu, JitOptions options) {
        this.mmu = mmu;
        this.ram = mmu.ram();
        this.host = mmu.hostTlb();
        this.options = options;
        this.translator = new Translator();
        ram.addObserver(new PhysicalMemory.FrameObserver() {
            @Override
            public void watchedFrameWritten(int frame) {
                invalidateFrame(frame);
            }

            @Override
            public void frameReleased(int frame, byte[] array) {
                // The release reported the watched frame first, when it had units. The frame's
                // next contents are other code (or data): its count of rewrites starts afresh.
                invalidations.remove(frame);
            }
        });
    }

    public JitOptions options() {
        return options;
    }

    public JitStats stats() {
        // Every installed unit is listed under its frame, and leaves only by that frame's invalidation.
        return new JitStats(unitsTranslated, instructionsTranslated, fallbackInstructions, codeBytes,
                translateNanos, unitsInvalidated, unitRuns, chained, interpreted, unitsTranslated - unitsInvalidated);
    }

    @Override
    public ExceptionInfo run(Cpu cpu, long maxInstructions) {
        long start = cpu.instructions;
        Unit previous = null;
        int exit = UnitCode.EXIT_INDIRECT;
        while (true) {
            long remaining = maxInstructions - (cpu.instructions - start);
            if (remaining <= 0) {
                return null;
            }
            if (!ready.isEmpty()) {
                installReady();
            }
            long pc = cpu.pc;
            int i = HostTlb.index(pc);
            long pa;
            if ((pc & 3) != 0) {
                return interpretBlock(cpu, remaining); // raises the PC alignment fault
            } else if (host.execTag[i] == host.tag(pc)) {
                pa = host.execPa[i] | (pc & 0xFFF);
            } else {
                try {
                    pa = mmu.translateForHost(pc, AccessType.EXECUTE);
                } catch (GuestException ex) {
                    return cpu.exceptionTaken(ex, pc, 0);
                }
            }
            Unit u = exit >= 0 ? previous.successors[exit] : null;
            if (u != null && u.valid && u.va == pc && u.pa == pa) {
                chained++;
            } else {
                u = lookup(pc, pa);
                if (u == null && isHot(pc)) {
                    u = translate(pc, pa);
                }
                if (u == null) {
                    ExceptionInfo e = interpretBlock(cpu, remaining);
                    if (e != null) {
                        return e;
                    }
                    previous = null;
                    exit = UnitCode.EXIT_INDIRECT;
                    continue;
                }
                if (exit >= 0) {
                    previous.successors[exit] = u;
                }
            }
            unitRuns++;
            running = u;
            try {
                exit = u.code.run(cpu, remaining);
            } catch (GuestException ex) {
                return unitException(cpu, u, ex);
            } finally {
                running = null;
                runningChanged = false;
            }
            if (exit == UnitCode.EXIT_BUDGET) {
                return interpretRest(cpu, maxInstructions - (cpu.instructions - start));
            }
            previous = u;
        }
    }

    private ExceptionInfo interpretBlock(Cpu cpu, long remaining) {
        long before = cpu.instructions;
        ExceptionInfo e = cpu.interpret(remaining, true);
        interpreted += cpu.instructions - before;
        return e;
    }

    private ExceptionInfo interpretRest(Cpu cpu, long remaining) {
        long before = cpu.instructions;
        ExceptionInfo e = cpu.interpret(remaining, false);
        interpreted += cpu.instructions - before;
        return e;
    }

    /**
     * An instruction of {@code u} raised {@code ex}: the instructions before it retired
     * (and an SVC itself), the PC is the instruction's (after an SVC the next one, as its
     * semantics set it), exactly as the interpreter leaves them.
     */
    private ExceptionInfo unitException(Cpu cpu, Unit u, GuestException ex) {
        int at = cpu.jitAt;
        long done = cpu.jitRetired + (at - u.segmentStart[at]);
        if (ex.ec == Esr.EC_SVC64) {
            done++;
        }
        cpu.instructions += done;
        return cpu.exceptionTaken(ex, u.va + 4L * at, u.words[at]);
    }

    /**
     * Whether a store since the last call changed the running unit's own frame: the unit then
     * leaves after the storing instruction, to the next one, which is looked up afresh.
     */
    public boolean takeRunningChanged() {
        boolean changed = runningChanged;
        runningChanged = false;
        return changed;
    }

    private boolean isHot(long pc) {
        int slot = (int) ((pc >>> 2) * 0x9E3779B97F4A7C15L >>> (64 - HOT_BITS));
        if (hotTag[slot] != pc) {
            hotTag[slot] = pc;
            hot[slot] = 0;
        }
        return ++hot[slot] > options.hotThreshold();
    }

    private static int jumpSlot(long va) {
        return (int) (va >>> 2) & ((1 << JUMP_BITS) - 1);
    }

    private Unit lookup(long va, long pa) {
        Unit u = jumpCache[jumpSlot(va)];
        if (u != null && u.va == va && u.pa == pa) {
            return u;
        }
        if (!ram.isWatched((int) (pa >>> PhysicalMemory.FRAME_SHIFT))) {
            return null; // a frame with units is watched: cold code costs no map lookup
        }
        for (u = byPa.get(pa); u != null; u = u.nextAtPa) {
            if (u.va == va) {
                jumpCache[jumpSlot(va)] = u;
                return u;
            }
        }
        return null;
    }

    /** A unit translated in the background, and the frame's generation its words were read in. */
    private record Ready(Key key, Unit unit, int frame, int generation, long nanos) {}

    private record Key(long va, long pa) {
        // Written out, as the record's generated ones compute them: the generated ones are
        // linked at their first call, a cost of every start.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && va == k.va && pa == k.pa;
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(va) + Long.hashCode(pa);
        }
    }

    /**
     * Translates the code at {@code va} (physical {@code pa}): the unit at once, or with
     * {@link JitOptions#background} null, the unit to be installed when it is ready.
     */
    private Unit translate(long va, long pa) {
        int frame = (int) (pa >>> PhysicalMemory.FRAME_SHIFT);
        if (invalidations.getOrDefault(frame, 0) >= MAX_RETRANSLATIONS) {
            return null;
        }
        Key key = new Key(va, pa);
        if (requested.contains(key)) {
            return null;
        }
        long startNanos = System.nanoTime();
        int room = (int) ((0x1000 - (va & 0xFFF)) >>> 2);
        int n = Math.min(room, options.maxUnitInstructions());
        int[] words = new int[n];
        for (int k = 0; k < n; k++) {
            words[k] = ram.read32(pa + 4L * k);
        }
        // From now on a write to the frame is reported before it happens (and bumps its
        // generation, which a translation still under way then no longer matches), and the
        // host TLB gives no direct way to store into it.
        ram.watchFrame(frame);
        host.flushWritesTo(frame);
        if (!options.background()) {
            Unit u = translator.translate(va, pa, words);
            install(u, System.nanoTime() - startNanos);
            return u;
        }
        requested.add(key);
        int generation = generations.getOrDefault(frame, 0);
        background().execute(() -> {
            long t0 = System.nanoTime();
            Unit u = null;
            try {
                u = translator.translate(va, pa, words);
            } catch (RuntimeException | Error e) {
                // Any failure (a StackOverflowError in a deep method, too): reported by the
                // guest's thread at the next install, never lost with this thread.
                failure = e;
            }
            ready.add(new Ready(key, u, frame, generation, System.nanoTime() - t0));
        });
        return null;
    }

    /**
     * The one translating thread of the whole JVM (a daemon), shared by every JIT: a test
     * suite that runs hundreds of guests in one JVM does not leave a thread behind for each.
     */
    private static final class Background {
        static final ExecutorService THREAD =
                Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "a64emu-jit");
                    t.setDaemon(true);
                    return t;
                });
    }

    private static ExecutorService background() {
        return Background.THREAD;
    }

    /** Installs the units the background thread finished, unless their frame changed meanwhile. */
    private void installReady() {
        Ready r;
        while ((r = ready.poll()) != null) {
            requested.remove(r.key());
            if (failure != null) {
                Throwable f = failure;
                failure = null;
                throw new IllegalStateException("JIT: translation failed: " + f, f);
            }
            if (r.unit() != null && generations.getOrDefault(r.frame(), 0) == r.generation()
                    && invalidations.getOrDefault(r.frame(), 0) < MAX_RETRANSLATIONS) {
                install(r.unit(), r.nanos());
            }
        }
    }

    private void install(Unit u, long nanos) {
        long pa = u.pa;
        long va = u.va;
        int frame = u.frame();
        u.nextAtPa = byPa.get(pa);
        byPa.put(pa, u);
        byFrame.computeIfAbsent(frame, f -> new ArrayList<>()).add(u);
        jumpCache[jumpSlot(va)] = u;
        unitsTranslated++;
        instructionsTranslated += u.length();
        fallbackInstructions += u.fallbacks;
        codeBytes += u.codeBytes;
        translateNanos += nanos;
    }

    private void invalidateFrame(int frame) {
        generations.merge(frame, 1, Integer::sum);
        List<Unit> units = byFrame.remove(frame);
        if (units == null) {
            return;
        }
        for (Unit u : units) {
            u.valid = false;
            byPa.remove(u.pa);
            int slot = jumpSlot(u.va);
            if (jumpCache[slot] == u) {
                jumpCache[slot] = null;
            }
            unitsInvalidated++;
            if (u == running) {
                runningChanged = true;
            }
        }
        invalidations.merge(frame, 1, Integer::sum);
    }
}
