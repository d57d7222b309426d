package a64emu.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * What a debugger asks of the CPU, as self-hosted debug hardware offers it (ARM ARM D2:
 * breakpoints, software step, watchpoints), but without the hardware's limits on their
 * number and without writing BRK into the guest's memory: the program's text, and what
 * /proc shows of it, stay as they are.
 *
 * <ul>
 * <li>A breakpoint stops the CPU before the instruction at its address executes: a
 *     Breakpoint exception ({@link Esr#EC_BREAKPT_LOWER}), ELR the address. Resuming
 *     from it ({@link #resumeAt}) executes that instruction once without stopping again.</li>
 * <li>Single step stops after each instruction that retires: a Software Step exception
 *     ({@link Esr#EC_SOFTSTP_LOWER}), ELR the next instruction. An instruction that takes
 *     another exception first (a page fault) is retried after the kernel handles it.</li>
 * <li>A watchpoint stops after the instruction that accessed a byte of its range, as
 *     QEMU's gdbstub reports them (the access done, so a debugger can show the new value):
 *     a Watchpoint exception ({@link Esr#EC_WATCHPT_LOWER}), FAR the first byte of the
 *     range that was touched, WnR whether it was a write.</li>
 * </ul>
 *
 * These exceptions are taken to the kernel's debugger, never to the guest. One set of hooks
 * serves every thread of a run (they share the core).
 */
public final class DebugHooks {
    /** What a watchpoint watches. */
    public enum WatchKind { WRITE, READ, ACCESS }

    /** A data watchpoint over [address, address + length). */
    public record Watchpoint(long address, long length, WatchKind kind) {
        boolean hits(long va, int size, boolean write) {
            boolean kindMatches = switch (kind) {
                case WRITE -> write;
                case READ -> !write;
                case ACCESS -> true;
            };
            return kindMatches && va < address + length && address < va + size;
        }
    }

    /** A watchpoint that an access hit: which, where, and whether it was a write. */
    public record WatchHit(Watchpoint watchpoint, long address, boolean write) {}

    private final LongSet breakpoints = new LongSet();
    private final List<Watchpoint> watchpoints = new ArrayList<>();
    private boolean singleStep;
    /** The breakpoint address a resume executes once without stopping, or -1. */
    private long resumeAt = -1;
    private WatchHit hit;
    /** The hit behind the last Watchpoint exception the CPU reported (for the debugger). */
    WatchHit watchStop;

    public void addBreakpoint(long va) {
        breakpoints.add(va);
    }

    public boolean removeBreakpoint(long va) {
        return breakpoints.remove(va);
    }

    public boolean hasBreakpoint(long va) {
        return breakpoints.contains(va);
    }

    public void setSingleStep(boolean on) {
        singleStep = on;
    }

    public boolean singleStep() {
        return singleStep;
    }

    public void addWatchpoint(Watchpoint w) {
        watchpoints.add(w);
    }

    public boolean removeWatchpoint(Watchpoint w) {
        return watchpoints.remove(w);
    }

    public List<Watchpoint> watchpoints() {
        return List.copyOf(watchpoints);
    }

    /** The next instruction, if it is at {@code pc}, runs without stopping at a breakpoint there. */
    public void resumeAt(long pc) {
        resumeAt = pc;
    }

    // ---- the CPU's side ----------------------------------------------------------------

    /** Whether the instruction at {@code pc} is to stop before it executes. */
    boolean breakpointAt(long pc) {
        if (resumeAt != -1) {
            boolean skip = resumeAt == pc;
            resumeAt = -1;
            if (skip) {
                return false;
            }
        }
        return !breakpoints.isEmpty() && breakpoints.contains(pc);
    }

    /** A data access of {@code size} bytes at {@code va}: remembers the first watchpoint it hits. */
    void access(long va, int size, boolean write) {
        if (hit != null || watchpoints.isEmpty()) {
            return;
        }
        for (Watchpoint w : watchpoints) {
            if (w.hits(va, size, write)) {
                hit = new WatchHit(w, Math.max(va, w.address()), write);
                return;
            }
        }
    }

    /** The watchpoint behind the last Watchpoint exception, taken out; or null. */
    public WatchHit takeWatchStop() {
        WatchHit h = watchStop;
        watchStop = null;
        return h;
    }

    /** The watchpoint hit by the instruction that just completed, taken out; or null. */
    WatchHit takeHit() {
        WatchHit h = hit;
        hit = null;
        return h;
    }

    boolean hasHit() {
        return hit != null;
    }

    /** An instruction that did not complete (it faulted) made no access. */
    void discardHit() {
        hit = null;
    }

    /** An open-addressing set of longs: a breakpoint test costs a multiply and a probe or two. */
    private static final class LongSet {
        private static final long EMPTY = 0x8000_0000_0000_0001L; // not a 4-byte aligned PC
        private long[] slots = newTable(16);
        private int size;

        private static long[] newTable(int n) {
            long[] t = new long[n];
            java.util.Arrays.fill(t, EMPTY);
            return t;
        }

        private int index(long v, int mask) {
            return (int) ((v * 0x9E37_79B9_7F4A_7C15L) >>> 40) & mask;
        }

        boolean isEmpty() {
            return size == 0;
        }

        boolean contains(long v) {
            int mask = slots.length - 1;
            for (int i = index(v, mask); ; i = (i + 1) & mask) {
                long s = slots[i];
                if (s == v) {
                    return true;
                }
                if (s == EMPTY) {
                    return false;
                }
            }
        }

        void add(long v) {
            if (contains(v)) {
                return;
            }
            if ((size + 1) * 2 > slots.length) {
                long[] old = slots;
                slots = newTable(old.length * 2);
                size = 0;
                for (long s : old) {
                    if (s != EMPTY) {
                        add(s);
                    }
                }
            }
            int mask = slots.length - 1;
            int i = index(v, mask);
            while (slots[i] != EMPTY) {
                i = (i + 1) & mask;
            }
            slots[i] = v;
            size++;
        }

        boolean remove(long v) {
            if (!contains(v)) {
                return false;
            }
            long[] old = slots;
            slots = newTable(old.length);
            size = 0;
            for (long s : old) {
                if (s != EMPTY && s != v) {
                    add(s);
                }
            }
            return true;
        }
    }
}
