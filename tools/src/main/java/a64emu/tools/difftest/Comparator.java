package a64emu.tools.difftest;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Compares a64emu's outcome of a case with the oracle's. Equal exception kinds match
 * (an undefined instruction is undefined in both; an access outside the scratch memory
 * aborts in both, whatever partial state each left). Retired instructions must agree on
 * every register of {@link MachineState} and on every byte either engine wrote.
 */
final class Comparator {
    private Comparator() {}

    /** The differing fields, "name: a64emu=... oracle=..." each; empty when the outcomes agree. */
    static List<String> differences(Outcome ours, Outcome theirs, byte[] reference, boolean compareTpidr) {
        List<String> d = new ArrayList<>();
        if (ours.kind() != theirs.kind()) {
            d.add("outcome: a64emu=" + ours + " oracle=" + theirs);
            return d;
        }
        if (ours.kind() != Outcome.Kind.RETIRED) {
            if (ours.kind() == Outcome.Kind.ENGINE_FAILURE) {
                d.add("outcome: a64emu=" + ours + " oracle=" + theirs);
            }
            return d;
        }
        MachineState a = ours.state();
        MachineState b = theirs.state();
        for (int i = 0; i < 31; i++) {
            field(d, "x" + i, a.x[i], b.x[i]);
        }
        field(d, "sp", a.sp, b.sp);
        field(d, "pc", a.pc, b.pc);
        field(d, "nzcv", a.nzcv >>> 28, b.nzcv >>> 28);
        for (int i = 0; i < 32; i++) {
            if (a.v[2 * i] != b.v[2 * i] || a.v[2 * i + 1] != b.v[2 * i + 1]) {
                d.add(String.format("v%d: a64emu=%016x%016x oracle=%016x%016x",
                        i, a.v[2 * i + 1], a.v[2 * i], b.v[2 * i + 1], b.v[2 * i]));
            }
        }
        field(d, "fpsr", a.fpsr, b.fpsr);
        field(d, "fpcr", a.fpcr, b.fpcr);
        if (compareTpidr) {
            field(d, "tpidr_el0", a.tpidr, b.tpidr);
        }
        TreeSet<Long> addresses = new TreeSet<>(ours.written().keySet());
        addresses.addAll(theirs.written().keySet());
        for (long at : addresses) {
            byte ref = reference[(int) at];
            byte x = ours.written().getOrDefault(at, ref);
            byte y = theirs.written().getOrDefault(at, ref);
            if (x != y) {
                d.add(String.format("mem[%x]: a64emu=%02x oracle=%02x", at, x & 0xFF, y & 0xFF));
            }
        }
        return d;
    }

    private static void field(List<String> d, String name, long a, long b) {
        if (a != b) {
            d.add(String.format("%s: a64emu=%x oracle=%x", name, a, b));
        }
    }
}
