package a64emu.jit;

import a64emu.cpu.Cpu;
import a64emu.cpu.decode.Semantics;
import java.util.ArrayList;
import java.util.List;

/**
 * Semantics that name no static method a unit could call directly (a lambda body, as the
 * decoder's UNALLOCATED): a unit calls them through this registry by number.
 */
final class Fallbacks {
    private Fallbacks() {}

    private static final List<Semantics> REGISTERED = new ArrayList<>();
    private static volatile Semantics[] table = new Semantics[0];

    static synchronized int register(Semantics s) {
        int i = REGISTERED.indexOf(s);
        if (i < 0) {
            REGISTERED.add(s);
            table = REGISTERED.toArray(new Semantics[0]);
            i = REGISTERED.size() - 1;
        }
        return i;
    }

    public static void execute(int id, Cpu cpu, int word) {
        table[id].execute(cpu, word);
    }
}
