package a64emu.tools.debug;

import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.guest.Process;
import a64emu.guest.proc.KernelProcesses;
import a64emu.guest.loader.ElfSymbols;
import a64emu.guest.mm.Vma;
import a64emu.mmu.AccessType;
import a64emu.mmu.Fault;
import a64emu.mmu.Mmu;
import a64emu.mmu.Tlb;
import a64emu.mmu.TranslationTrace;
import a64emu.mmu.vectors.VectorCapture;
import a64emu.tools.DebugCommand;
import java.util.List;

/**
 * The machine's memory-management state as text, for a stopped guest: what the console's
 * {@code info maps}, {@code walk}, {@code tlb}, {@code fault} and {@code ptdump} print and what
 * the gdb stub's {@code monitor} commands answer. Each method returns the whole text, lines
 * ending in a newline; none changes the guest (no TLB fill, no access flag, no fault).
 */
public final class Inspect {
    private Inspect() {}

    /** {@code p}'s areas as /proc/PID/maps lists them (the kernel's own maps file). */
    public static String maps(Process p) {
        String text = new KernelProcesses(p.kernel).maps(p.pid);
        return text == null ? "" : text;
    }

    /** {@link #walk(DebugSession, Process, long, AccessType, ElfSymbols)} without symbols. */
    public static String walk(DebugSession s, Process p, long va, AccessType access) {
        return walk(s, p, va, access, ElfSymbols.none());
    }

    /**
     * The walk of {@code va} in {@code p}'s tables for an EL0 {@code access}, level by level,
     * as {@code a64emu walk} prints it, with the live tables: the PA, or the fault with ESR_EL1
     * decoded.
     */
    public static String walk(DebugSession s, Process p, long va, AccessType access, ElfSymbols symbols) {
        String[] out = new String[1];
        s.kernel().withAddressSpace(p, () -> out[0] = DebugCommand.Printers.walk(p, mmuOf(p),
                "stopped (pc 0x" + Long.toHexString(pcOf(s, p)) + ")", symbols, va, access));
        return out[0];
    }

    /**
     * The walk of {@code va} in {@code p}'s live tables for an EL0 {@code access}, as a
     * self-contained vector case ({@link VectorCapture}): what the console's
     * {@code walk --as-vector} and the gdb stub's {@code monitor walk --as-vector} print, and what
     * {@code a64emu walk --as-vector} prints for a program run to a stop.
     */
    public static String walkAsVector(DebugSession s, Process p, long va, AccessType access) {
        return walkAsVector(s, p, va, access, 0);
    }

    /** {@link #walkAsVector(DebugSession, Process, long, AccessType)} for an access at {@code el} (0 or 1). */
    public static String walkAsVector(DebugSession s, Process p, long va, AccessType access, int el) {
        String[] out = new String[1];
        s.kernel().withAddressSpace(p, () -> {
            Mmu mmu = mmuOf(p);
            TranslationTrace trace = mmu.traceWalk(va, access, el);
            Vma vma = p.mm.find(va);
            List<String> comments = List.of(
                    String.format("Captured by the a64emu debugger: %s, pid %d, stopped (pc 0x%x)", p.comm(), p.pid,
                            pcOf(s, p)),
                    String.format("VA 0x%016x, %s at EL%d   VMA %s", va, VectorCapture.accessWord(access), el,
                            vma == null ? "none" : vma.describe()));
            out[0] = VectorCapture.capture(VectorCapture.caseName(p.comm(), va, access, el), comments, mmu, trace,
                    access, el);
        });
        return out[0];
    }

    /** {@code p}'s translation tables as merged ranges, as {@code a64emu ptdump} prints them. */
    public static String ptdump(DebugSession s, Process p) {
        String[] out = new String[1];
        s.kernel().withAddressSpace(p, () -> out[0] = DebugCommand.Printers.ptdump(p, mmuOf(p),
                "stopped (pc 0x" + Long.toHexString(pcOf(s, p)) + ")", ElfSymbols.none()));
        return out[0];
    }

    /**
     * The valid TLB entries (micro-TLB, then main TLB), or with {@code vaOrNull} only those
     * translating that address: VA range, PA, size, ASID or global, leaf level, permissions.
     */
    public static String tlb(DebugSession s, Long vaOrNull) {
        Tlb tlb = machineMmu(s).tlb();
        List<Tlb.EntryView> entries = tlb.snapshot();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("TLB: %s; %d micro and %d main entries valid; current ASID %d%n", tlb.geometry(),
                tlb.validMicroEntries(), tlb.validEntries(), machineMmu(s).asid()));
        sb.append(String.format("%-5s %5s  %-18s  %-18s  %4s  %-6s  %5s  %s%n", "tlb", "slot", "va", "pa", "size",
                "asid", "level", "permissions"));
        int shown = 0;
        for (Tlb.EntryView e : entries) {
            if (vaOrNull != null && !e.contains(vaOrNull)) {
                continue;
            }
            shown++;
            sb.append(String.format("%-5s %5d  0x%016x  0x%016x  %4s  %-6s  %5s  %s%n", e.micro() ? "micro" : "main",
                    e.slot(), e.va(), e.pa(), sizeName(e.size()), e.global() ? "global" : Integer.toString(e.asid()),
                    "L" + e.level(), Tlb.describePermissions(e.permissions())));
        }
        if (shown == 0) {
            sb.append(vaOrNull == null ? "(the TLB is empty)\n"
                    : String.format("(no entry translates 0x%x)%n", vaOrNull));
        }
        return sb.toString();
    }

    private static String sizeName(long size) {
        if (size >= 1L << 30) {
            return (size >> 30) + "G";
        }
        if (size >= 1L << 20) {
            return (size >> 20) + "M";
        }
        return (size >> 10) + "K";
    }

    /**
     * The last MMU fault any thread took: thread and pc, the exception class, the fault status
     * in words with its level, read or write, FAR, the VMA, and what the kernel does or did.
     */
    public static String fault(DebugSession s) {
        DebugSession.LastFault f = s.lastFault();
        if (f == null) {
            return "No MMU fault yet.\n";
        }
        ExceptionInfo ex = f.exception();
        Fault fault = f.fault();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Fault in thread %d (pid %d) at pc 0x%x%n", f.thread().tid, f.thread().process.pid,
                ex.elr()));
        sb.append(String.format("  EC    0x%02x  %s%n", ex.ec(), Esr.ecName(ex.ec())));
        sb.append(String.format("  FSC   0x%02x  %s%n", fault.fsc(), Esr.fscName(fault.fsc())));
        sb.append(String.format("  WnR   %d     %s%n", (fault.iss() & Esr.ISS_DA_WNR) != 0 ? 1 : 0,
                fault.access() == AccessType.EXECUTE ? "instruction fetch"
                        : fault.access() == AccessType.WRITE ? "write" : "read"));
        sb.append(String.format("  ESR   0x%08x%n", ex.esr()));
        sb.append(String.format("  FAR   0x%016x%n", ex.far()));
        sb.append("  VMA   ").append(f.vma() == null ? "none (no mapping at this address)" : f.vma().describe())
                .append('\n');
        String outcome = f.outcome();
        sb.append("  =>    ").append(outcome != null ? outcome : "not handled yet: " + expected(f)).append('\n');
        return sb.toString();
    }

    /** What the kernel will do with a fault it has not handled yet, from the fault and the VMA. */
    private static String expected(DebugSession.LastFault f) {
        Fault fault = f.fault();
        Vma vma = f.vma();
        if (vma == null) {
            return "SIGSEGV (SEGV_MAPERR) unless the stack can grow down to it";
        }
        boolean allowed = switch (fault.access()) {
            case READ -> vma.readable();
            case WRITE -> vma.writable();
            case EXECUTE -> vma.executable();
        };
        if (!allowed) {
            return "SIGSEGV (SEGV_ACCERR): the VMA does not allow this access";
        }
        return switch (fault.kind()) {
            case TRANSLATION -> vma.isAnonymous() ? "demand paging (zero-fill or swap-in)" : "demand paging (file page)";
            case ACCESS_FLAG -> "set the access flag";
            case PERMISSION -> fault.access() == AccessType.WRITE ? "copy-on-write or mark dirty" : "fix permissions";
            default -> "SIGBUS or SIGSEGV";
        };
    }

    private static Mmu mmuOf(Process p) {
        return p.mm.pageTables().mmu();
    }

    /** The MMU the guest runs on: the selected thread's, else the first process's. */
    private static Mmu machineMmu(DebugSession s) {
        if (s.selected() != null) {
            return s.selected().cpu.mmu;
        }
        return s.firstProcess().cpu.mmu;
    }

    private static long pcOf(DebugSession s, Process p) {
        if (s.selected() != null && s.selected().process == p) {
            return s.selected().cpu.pc;
        }
        return p.leader().cpu.pc;
    }
}
