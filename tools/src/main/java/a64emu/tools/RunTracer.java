package a64emu.tools;

import a64emu.cpu.Cpu;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.cpu.disasm.Disassembler;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.loader.ElfSymbols;
import a64emu.guest.mm.FaultCounts;
import a64emu.guest.mm.Vma;
import a64emu.guest.events.GuestEvents;
import a64emu.mmu.AccessType;
import a64emu.mmu.Fault;
import a64emu.mmu.Mmu;
import a64emu.mmu.StaleTranslation;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code run --trace-faults} and {@code run --tlb-check}: one line on stderr per MMU fault
 * the CPU takes (decoded, with the VMA and what the kernel did with it) and per stale TLB
 * entry the program uses. The guest's stdout is untouched.
 *
 * <p>What the kernel did is read from the fault handler's own counters around the fault
 * (zero-fill, file page, copy-on-write, access flag, stack growth, other, or the signal),
 * so the trace says what happened rather than guessing it again. Faults the kernel takes
 * itself while copying to or from user memory in a system call are not CPU exceptions
 * and are not traced.
 */
final class RunTracer implements GuestEvents {
    private static final Disassembler DISASSEMBLER = new Disassembler();

    private final PrintWriter err;
    private final boolean traceFaults;
    private final boolean tlbCheck;
    private final ElfSymbols symbols;

    private Process first;
    /** The fault the kernel is handling between two {@link #run} calls. */
    private Pending pending;
    private long faults;
    private long staleUses;
    private final Set<String> staleEntries = new HashSet<>();

    private record Pending(Process process, ExceptionInfo ex, Vma vmaBefore, FaultCounts countsBefore) {}

    RunTracer(PrintWriter err, boolean traceFaults, boolean tlbCheck, ElfSymbols symbols) {
        this.err = err;
        this.traceFaults = traceFaults;
        this.tlbCheck = tlbCheck;
        this.symbols = symbols;
    }

    long faults() {
        return faults;
    }

    long staleUses() {
        return staleUses;
    }

    int staleEntries() {
        return staleEntries.size();
    }

    @Override
    public void processStarted(Process process) {
        first = process;
        if (tlbCheck) {
            Mmu mmu = process.mm.pageTables().mmu();
            mmu.setTlbCheck(this::stale);
        }
    }

    @Override
    public ExceptionInfo run(Task thread, Cpu cpu, long quantum) {
        Process process = thread.process;
        finishPending();
        ExceptionInfo ex = cpu.run(quantum);
        if (traceFaults && ex != null && ex.isAbort() && ex.fault() != null) {
            pending = new Pending(process, ex, process.mm.find(untag(ex.far())), process.faults.counts());
        }
        return ex;
    }

    @Override
    public void processExiting(Process process) {
        finishPending();
    }

    /** The kernel has handled the pending fault: print it with what the kernel did. */
    private void finishPending() {
        Pending p = pending;
        if (p == null) {
            return;
        }
        pending = null;
        faults++;
        Vma vma = p.vmaBefore() != null ? p.vmaBefore() : p.process().mm.isReleased() ? null
                : p.process().mm.find(untag(p.ex().far()));
        err.println(faultLine(p.process().pid, p.ex(), vma, FaultOutcome.describe(p.countsBefore(), p.process().faults.counts())));
        err.flush();
    }

    /** One fault, for example {@code fault  pid 1  EC 0x24 data abort, EL0 ... pc 0x400560 <main+0x10>: ldr w0, [x1] ...}. */
    String faultLine(int pid, ExceptionInfo ex, Vma vma, String outcome) {
        Fault f = ex.fault();
        boolean data = f.access() != AccessType.EXECUTE;
        String pc = String.format("0x%x %s", ex.elr(), symbols.describe(ex.elr())).trim();
        // A data abort's instruction was fetched: show it (an instruction abort has none).
        String insn = data ? DISASSEMBLER.oneLine(ex.elr(), ex.insnWord()) : null;
        if (insn != null) {
            pc += ": " + insn;
        }
        return String.format(Locale.ROOT, "a64emu: fault  pid %d  EC 0x%02x %-15s  %s 0x%02x %-28s  %-5s  "
                        + "FAR 0x%016x  pc %-56s  VMA %s  -> %s",
                pid, ex.ec(), abortName(ex.ec()), data ? "DFSC" : "IFSC", f.fsc(), Esr.fscName(f.fsc()),
                data ? (f.access() == AccessType.WRITE ? "WnR=1" : "WnR=0") : "fetch", ex.far(), pc,
                vma == null ? "none" : vma.describe(), outcome);
    }

    private static String abortName(int ec) {
        return switch (ec) {
            case Esr.EC_DABT_LOWER -> "data abort, EL0";
            case Esr.EC_DABT_CUR -> "data abort, EL1";
            case Esr.EC_IABT_LOWER -> "inst abort, EL0";
            case Esr.EC_IABT_CUR -> "inst abort, EL1";
            default -> Esr.ecName(ec);
        };
    }

    /** A stale TLB use: the first of each entry is printed, every one is counted. */
    private void stale(StaleTranslation s) {
        staleUses++;
        String key = String.format("%x/%d/%x/%x", s.va() >>> 12, s.asid(), s.cachedPa() >>> 12,
                s.cachedPermissions());
        if (!staleEntries.add(key)) {
            return;
        }
        long pc = -1;
        if (first != null && first.kernel != null) {
            Task t = first.kernel.running();
            pc = t == null ? -1 : t.cpu.pc;
        }
        err.println(String.format(Locale.ROOT,
                "a64emu: stale TLB entry  pc 0x%x %s  %s VA 0x%016x ASID %d at EL%d: TLB has %s, tables now say %s",
                pc, symbols.describe(pc), WalkCommand.accessName(s.access()), s.va(), s.asid(), s.el(),
                s.cached(), s.tables()));
        err.flush();
    }

    /** The summary line after the run. */
    List<String> summary() {
        if (!tlbCheck) {
            return List.of();
        }
        return List.of(staleUses == 0
                ? "a64emu: --tlb-check: no stale TLB entry was used"
                : String.format(Locale.ROOT, "a64emu: --tlb-check: %d uses of %d stale TLB entries "
                        + "(a page-table change without the matching TLBI)", staleUses, staleEntries.size()));
    }

    /** FAR with a TBI tag removed, for the VMA lookup. */
    private static long untag(long va) {
        return (va & (1L << 55)) == 0 ? va & 0x00FF_FFFF_FFFF_FFFFL : va;
    }
}
