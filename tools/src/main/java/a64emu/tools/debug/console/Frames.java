package a64emu.tools.debug.console;

import a64emu.cpu.disasm.Disassembler;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Task;
import a64emu.guest.loader.ElfSymbols;
import a64emu.tools.debug.DebugSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The call chain of a stopped thread from the AAPCS64 frame records: x29 points at a pair
 * {previous x29, return address} that each function's prologue pushes
 * ({@code stp x29, x30, [sp, #-N]!; mov x29, sp}). A function stopped before its prologue
 * has pushed it still holds its return address in x30, and x29 is its caller's record.
 */
final class Frames {
    /** At most this many frames: a corrupt chain must not loop. */
    static final int MAX_FRAMES = 64;
    /** A prologue is looked for in a function's first instructions only. */
    private static final int PROLOGUE_INSNS = 8;

    private Frames() {}

    /** Where the frame record of the innermost function is, or -1 if it has not pushed one yet. */
    static long innermostRecord(DebugSession session, Task t, ElfSymbols symbols, Disassembler dis) {
        long pc = t.cpu.pc;
        Optional<ElfSymbols.Symbol> fn = symbols.containing(pc);
        if (fn.isEmpty()) {
            // No symbol to find the prologue in: trust x29 if it is set.
            return t.cpu.x[29] != 0 ? t.cpu.x[29] : -1;
        }
        boolean pushed = false;
        boolean established = false;
        for (long a = fn.get().value(); a < pc && a < fn.get().value() + 4L * PROLOGUE_INSNS; a += 4) {
            String text;
            try {
                text = dis.text(a, readWord(session, t, a));
            } catch (BadUserAddressException e) {
                return -1;
            }
            if (text.startsWith("stp\tx29, x30")) {
                pushed = true;
            } else if (pushed && (text.startsWith("mov\tx29, sp") || text.startsWith("add\tx29, sp"))) {
                established = true;
            }
        }
        if (!pushed) {
            return -1;
        }
        return established ? t.cpu.x[29] : t.cpu.sp;
    }

    /** The return address of the innermost function: from its frame record, or x30 before its prologue. */
    static long returnAddress(DebugSession session, Task t, ElfSymbols symbols, Disassembler dis)
            throws BadUserAddressException {
        long record = innermostRecord(session, t, symbols, dis);
        return record < 0 ? t.cpu.x[30] : readLong(session, t, record + 8);
    }

    /** The pcs of the chain, innermost first: the pc, then each return address. */
    static List<Long> chain(DebugSession session, Task t, ElfSymbols symbols, Disassembler dis) {
        List<Long> pcs = new ArrayList<>();
        pcs.add(t.cpu.pc);
        long record = innermostRecord(session, t, symbols, dis);
        long fp;
        if (record < 0) {
            if (t.cpu.x[30] != 0) {
                pcs.add(t.cpu.x[30]);
            }
            fp = t.cpu.x[29];
        } else {
            fp = record;
        }
        while (fp != 0 && (fp & 7) == 0 && pcs.size() < MAX_FRAMES) {
            long next;
            long ret;
            try {
                next = readLong(session, t, fp);
                ret = readLong(session, t, fp + 8);
            } catch (BadUserAddressException e) {
                break;
            }
            if (ret == 0) {
                break;
            }
            pcs.add(ret);
            if (Long.compareUnsigned(next, fp) <= 0) {
                break;
            }
            fp = next;
        }
        return pcs;
    }

    static int readWord(DebugSession session, Task t, long va) throws BadUserAddressException {
        return (int) littleEndian(session.read(t.process, va, 4));
    }

    static long readLong(DebugSession session, Task t, long va) throws BadUserAddressException {
        return littleEndian(session.read(t.process, va, 8));
    }

    static long littleEndian(byte[] b) {
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
