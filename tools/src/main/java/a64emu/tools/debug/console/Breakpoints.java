package a64emu.tools.debug.console;

import a64emu.cpu.DebugHooks;
import java.util.ArrayList;
import java.util.List;

/** The user's breakpoints and watchpoints, numbered in one sequence as gdb numbers them. */
final class Breakpoints {
    /** One breakpoint ({@code watch == null}) or watchpoint. */
    static final class Entry {
        final int number;
        final boolean temporary;
        final long address;
        final DebugHooks.Watchpoint watch;
        /** What the user asked for: the expression, and for a watchpoint its range. */
        final String what;
        int hits;

        Entry(int number, boolean temporary, long address, DebugHooks.Watchpoint watch, String what) {
            this.number = number;
            this.temporary = temporary;
            this.address = address;
            this.watch = watch;
            this.what = what;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private int lastNumber;

    Entry addBreakpoint(long address, boolean temporary, String what) {
        Entry e = new Entry(++lastNumber, temporary, address, null, what);
        entries.add(e);
        return e;
    }

    Entry addWatchpoint(DebugHooks.Watchpoint w, String what) {
        Entry e = new Entry(++lastNumber, false, w.address(), w, what);
        entries.add(e);
        return e;
    }

    List<Entry> all() {
        return List.copyOf(entries);
    }

    Entry byNumber(int n) {
        return entries.stream().filter(e -> e.number == n).findFirst().orElse(null);
    }

    void remove(Entry e) {
        entries.remove(e);
    }

    boolean hasBreakpointAt(long address) {
        return breakpointAt(address) != null;
    }

    /** The first breakpoint at {@code address}, or null. */
    Entry breakpointAt(long address) {
        return entries.stream().filter(e -> e.watch == null && e.address == address).findFirst().orElse(null);
    }

    Entry watchpoint(DebugHooks.Watchpoint w) {
        return entries.stream().filter(e -> e.watch == w).findFirst().orElse(null);
    }
}
