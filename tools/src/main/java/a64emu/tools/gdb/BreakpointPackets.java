package a64emu.tools.gdb;

import a64emu.cpu.DebugHooks;
import a64emu.tools.debug.DebugSession;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Z and z: breakpoints (software and hardware alike: the session keeps a PC set and never
 * patches memory) and write, read and access watchpoints on the followed process; and what
 * a stop at one of them tells GDB.
 */
final class BreakpointPackets {
    /** Z/z types: software and hardware breakpoints, write, read and access watchpoints. */
    static final int Z_SOFTWARE = 0;
    static final int Z_HARDWARE = 1;
    static final int Z_WRITE = 2;
    static final int Z_READ = 3;
    static final int Z_ACCESS = 4;

    private final DebugSession session;
    private final Set<Long> hardwareBreakpoints = new HashSet<>();
    private final Map<String, DebugHooks.Watchpoint> watchpoints = new HashMap<>();
    private final Map<DebugHooks.Watchpoint, Integer> watchTypes = new HashMap<>();

    BreakpointPackets(DebugSession session) {
        this.session = session;
    }

    /** Whether GDB inserted the breakpoint at {@code pc} as a hardware one (Z1). */
    boolean isHardware(long pc) {
        return hardwareBreakpoints.contains(pc);
    }

    /** The stop reply's key for a stop at {@code w}: watch, rwatch or awatch. */
    String stopKey(DebugHooks.Watchpoint w) {
        return switch (watchTypes.getOrDefault(w, Z_WRITE)) {
            case Z_READ -> "rwatch";
            case Z_ACCESS -> "awatch";
            default -> "watch";
        };
    }

    /** Z/z TYPE,ADDR,KIND[;conditions]: the reply; conditions are not supported and ignored. */
    String handle(boolean insert, String args) {
        int semi = args.indexOf(';');
        String[] f = (semi < 0 ? args : args.substring(0, semi)).split(",");
        if (f.length != 3) {
            throw new IllegalArgumentException("Z packet needs TYPE,ADDR,KIND");
        }
        int type = Hex.count(f[0]);
        long addr = Hex.number(f[1]);
        int kind = Hex.count(f[2]);
        switch (type) {
            case Z_SOFTWARE, Z_HARDWARE -> {
                if (insert) {
                    session.addBreakpoint(addr);
                    if (type == Z_HARDWARE) {
                        hardwareBreakpoints.add(addr);
                    } else {
                        hardwareBreakpoints.remove(addr);
                    }
                } else {
                    session.removeBreakpoint(addr);
                    hardwareBreakpoints.remove(addr);
                }
            }
            case Z_WRITE, Z_READ, Z_ACCESS -> {
                if (kind <= 0) {
                    throw new IllegalArgumentException("watchpoint length " + kind);
                }
                String key = type + ":" + addr + ":" + kind;
                DebugHooks.Watchpoint existing = watchpoints.remove(key);
                if (existing != null) {
                    session.removeWatchpoint(existing);
                    watchTypes.remove(existing);
                }
                if (insert) {
                    DebugHooks.WatchKind watchKind = type == Z_WRITE ? DebugHooks.WatchKind.WRITE
                            : type == Z_READ ? DebugHooks.WatchKind.READ : DebugHooks.WatchKind.ACCESS;
                    DebugHooks.Watchpoint w = session.addWatchpoint(session.firstProcess(), addr, kind, watchKind);
                    watchpoints.put(key, w);
                    watchTypes.put(w, type);
                }
            }
            default -> {
                return "";
            }
        }
        return "OK";
    }
}
