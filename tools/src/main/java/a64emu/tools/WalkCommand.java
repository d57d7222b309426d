package a64emu.tools;

import a64emu.cpu.Esr;
import a64emu.guest.loader.ElfSymbols;
import a64emu.guest.mm.Vma;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Fault;
import a64emu.mmu.Mmu;
import a64emu.mmu.PageTableDump;
import a64emu.mmu.Tcr;
import a64emu.mmu.Tlb;
import a64emu.mmu.TranslationTrace;
import a64emu.mmu.vectors.VectorCapture;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code a64emu walk}: one translation table walk in a program's address space, level by
 * level, as the MMU makes it; the result is the physical address or the fault with its
 * ESR decoded field by field.
 */
@Command(name = "walk",
        sortOptions = false,
        description = {
            "Prints the translation table walk of one virtual address of a program, level by level.",
            "Runs PROGRAM to its exit (or to --at SYMBOL), then walks the translation tables for VA "
                + "as the MMU would for one access, and prints each level: the table, the index, the "
                + "descriptor in hex and in words, and the rights accumulated so far; then the "
                + "physical address, or the fault with ESR_EL1 decoded field by field.",
            "The walk reads the tables in emulated RAM and changes nothing (no TLB fill, no access "
                + "flag update). The guest's own output goes to stderr.",
            "With --as-vector the walk is printed as a page-table vector case instead (the format "
                + "'a64emu mmu-test' runs): the translation registers, the descriptors the walk read, "
                + "the access and the observed result as its expect line.",
            ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the access translates (with --as-vector: the case is printed, whatever its outcome)",
            "1:the access faults (the fault is printed), or the program never reached --at SYMBOL",
            "2:invalid command line"})
final class WalkCommand implements Callable<Integer> {
    @ParentCommand
    A64emu a64emu;

    @Spec
    CommandSpec spec;

    static final class Access {
        @Option(names = "--write", description = "Walk for a store (default: a load).")
        boolean write;
        @Option(names = "--exec", description = "Walk for an instruction fetch.")
        boolean exec;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Access access = new Access();

    @Option(names = "--el1", description = "Walk for a privileged (EL1) access instead of a user (EL0) one.")
    boolean el1;

    @Option(names = "--at", paramLabel = "SYMBOL",
            description = "Stop the program the first time its PC reaches SYMBOL (from the ELF .symtab) "
                    + "and walk there, instead of at exit.")
    String at;

    @Option(names = "--as-vector",
            description = "Print the walk as a self-contained vector case for 'a64emu mmu-test' "
                    + "(registers, the descriptors read, the access and its observed result).")
    boolean asVector;

    @Mixin
    MachineOptions machine;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The static AArch64 ELF executable.")
    String program;

    @Parameters(index = "1", paramLabel = "VA",
            description = "The virtual address: hexadecimal (0x...), decimal, or a symbol of PROGRAM, "
                    + "optionally with +OFFSET (main+0x10).")
    String va;

    @Parameters(index = "2..*", paramLabel = "ARGS", preprocessor = RunCommand.Verbatim.class,
            description = "Arguments for the program (its argv[1..]).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        AccessType type = access.write ? AccessType.WRITE : access.exec ? AccessType.EXECUTE : AccessType.READ;
        int el = el1 ? 1 : 0;
        PrintWriter out = spec.commandLine().getOut();
        long address = parseAddress(va, Inspection.symbols(Inspection.hostPath(program, machine.root)));
        return Inspection.command(spec, a64emu, machine, program, args, at,
                stop -> asVector ? printVector(out, stop, address, type, el) : print(out, stop, address, type, el));
    }

    /**
     * Prints the walk as a vector case ({@link VectorCapture}), with where it was captured as
     * comments; returns 0.
     */
    static int printVector(PrintWriter out, Inspection.Stop stop, long va, AccessType type, int el) {
        Mmu mmu = stop.mmu();
        TranslationTrace trace = mmu.traceWalk(va, type, el);
        Vma vma = stop.process().mm.find(va);
        List<String> comments = List.of(
                String.format("Captured by a64emu walk --as-vector: %s %s, pid %d", stop.process().comm(),
                        stop.where(), stop.process().pid),
                String.format("VA 0x%016x%s, %s at EL%d   VMA %s", va, symbolOf(stop.symbols(), va),
                        accessName(type), el, vma == null ? "none" : vma.describe()));
        out.print(VectorCapture.capture(VectorCapture.caseName(stop.process().comm(), va, type, el), comments, mmu,
                trace, type, el));
        return 0;
    }

    /** VA as hex, decimal, SYMBOL or SYMBOL+OFFSET. */
    long parseAddress(String text, ElfSymbols symbols) {
        String t = text.trim();
        try {
            return parseNumber(t);
        } catch (NumberFormatException notANumber) {
            String name = t;
            long offset = 0;
            int plus = t.indexOf('+');
            if (plus > 0) {
                name = t.substring(0, plus);
                try {
                    offset = parseNumber(t.substring(plus + 1));
                } catch (NumberFormatException e) {
                    throw new ParameterException(spec.commandLine(), "VA: bad offset in '" + text + "'");
                }
            }
            String symbol = name;
            return symbols.find(symbol).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "VA: '" + text + "' is neither an address nor a symbol of " + program)).value() + offset;
        }
    }

    private static long parseNumber(String t) {
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return Long.parseUnsignedLong(t.substring(2).replace("_", ""), 16);
        }
        return Long.parseLong(t);
    }

    /** Prints the walk; returns 0 if the access translates, 1 if it faults. */
    static int print(PrintWriter out, Inspection.Stop stop, long va, AccessType type, int el) {
        Mmu mmu = stop.mmu();
        TranslationTrace trace = mmu.traceWalk(va, type, el);
        boolean upper = trace.ttbr1();
        long tcr = mmu.tcr();
        out.printf("a64emu walk: %s %s, pid %d%n", stop.process().comm(), stop.where(), stop.process().pid);
        Vma vma = stop.process().mm.find(va);
        out.printf("VA 0x%016x%s, %s at EL%d   VMA %s%n", va, symbolOf(stop.symbols(), va),
                accessName(type), el, vma == null ? "none" : vma.describe());
        out.printf("%s 0x%016x   ASID %d   %d-bit VA, 4K granule, start level %d%n",
                upper ? "TTBR1_EL1" : "TTBR0_EL1", upper ? mmu.ttbr1() : mmu.ttbr0(), trace.asid(),
                trace.inputSize(), Descriptor.startLevel(Tcr.txsz(tcr, upper)));
        out.printf("TCR_EL1 0x%016x   %s%n", tcr, Tcr.describe(tcr));
        out.println();
        out.printf("%-5s  %-18s  %5s  %-18s  %-18s  %s%n", "level", "table", "index", "descriptor at",
                "descriptor", "decoded");
        List<TranslationTrace.Step> steps = trace.steps();
        for (int i = 0; i < steps.size(); i++) {
            TranslationTrace.Step s = steps.get(i);
            boolean leaf = Descriptor.isLeaf(s.descriptor(), s.level());
            out.printf("L%-4d  0x%016x  %5d  0x%016x  0x%016x  %s%n", s.level(), s.tableAddress(), s.index(),
                    s.entryPa(), s.descriptor(), Descriptor.describe(s.descriptor(), s.level()));
            String rights;
            if (leaf && trace.permissions() >= 0) {
                rights = "rights: " + Tlb.describePermissions(trace.permissions()) + "   "
                        + PageTableDump.memoryType(mmu.memoryAttribute(Descriptor.attrIndxOf(s.descriptor())));
            } else if (Descriptor.isTable(s.descriptor(), s.level())) {
                long limits = i + 1 < steps.size() ? steps.get(i + 1).tableLimits()
                        : s.tableLimits() | (s.descriptor() & TABLE_LIMIT_BITS);
                rights = "below at most: " + Tlb.describePermissions(upperBound(limits));
            } else {
                rights = null;
            }
            if (rights != null) {
                out.printf("%-5s  %-18s  %5s  %-18s  %-18s  %s%n", "", "", "", "", "", rights);
            }
        }
        out.println();
        if (!trace.faulted()) {
            out.printf("=> PA 0x%016x   %s at EL%d allowed (%s)%n", trace.pa(), accessName(type), el,
                    Tlb.describePermissions(trace.permissions()));
            return 0;
        }
        printFault(out, trace.fault());
        return 1;
    }

    private static final long TABLE_LIMIT_BITS =
            Descriptor.PXN_TABLE | Descriptor.UXN_TABLE | Descriptor.AP_TABLE_MASK;

    /** The most a leaf below tables with these hierarchical attributes can allow. */
    static int upperBound(long tableLimits) {
        int mask = Tlb.PERMISSION_MASK;
        if ((tableLimits & Descriptor.AP_TABLE_NO_EL0) != 0) {
            mask &= ~(Tlb.permissionBit(AccessType.READ, 0) | Tlb.permissionBit(AccessType.WRITE, 0));
        }
        if ((tableLimits & Descriptor.AP_TABLE_RDONLY) != 0) {
            mask &= ~(Tlb.permissionBit(AccessType.WRITE, 0) | Tlb.permissionBit(AccessType.WRITE, 1));
        }
        if ((tableLimits & Descriptor.UXN_TABLE) != 0) {
            mask &= ~Tlb.permissionBit(AccessType.EXECUTE, 0);
        }
        if ((tableLimits & Descriptor.PXN_TABLE) != 0) {
            mask &= ~Tlb.permissionBit(AccessType.EXECUTE, 1);
        }
        return mask;
    }

    /** The fault and ESR_EL1/FAR_EL1 as the kernel would receive them, field by field. */
    static void printFault(PrintWriter out, Fault f) {
        int esr = f.esr();
        int iss = Esr.iss(esr);
        boolean data = f.access() != AccessType.EXECUTE;
        out.printf("=> %s%n", Esr.fscName(f.fsc()));
        out.printf("   ESR_EL1 0x%08x%n", esr);
        out.printf("     EC     0x%02x      %s%n", Esr.ec(esr), Esr.ecName(Esr.ec(esr)));
        out.printf("     IL     %d         %s%n", (esr & Esr.IL) != 0 ? 1 : 0,
                (esr & Esr.IL) != 0 ? "32-bit instruction" : "16-bit instruction");
        out.printf("     ISS    0x%07x%n", iss);
        if (data) {
            out.printf("       FnV    %d       %s%n", bit(iss, Esr.ISS_FNV), (iss & Esr.ISS_FNV) != 0
                    ? "FAR is not valid" : "FAR is valid");
            out.printf("       CM     %d       %s%n", bit(iss, Esr.ISS_DA_CM), (iss & Esr.ISS_DA_CM) != 0
                    ? "cache maintenance instruction" : "not a cache maintenance instruction");
        }
        out.printf("       S1PTW  %d       %s%n", bit(iss, Esr.ISS_DA_S1PTW), (iss & Esr.ISS_DA_S1PTW) != 0
                ? "stage 2 fault on the stage 1 walk" : "not a stage 2 fault on the stage 1 walk");
        if (data) {
            out.printf("       WnR    %d       %s%n", bit(iss, Esr.ISS_DA_WNR), (iss & Esr.ISS_DA_WNR) != 0
                    ? "write" : "read");
        }
        out.printf("       %s   0x%02x    %s%n", data ? "DFSC" : "IFSC", f.fsc(), Esr.fscName(f.fsc()));
        out.printf("   FAR_EL1 0x%016x%n", f.va());
    }

    private static int bit(int iss, int mask) {
        return (iss & mask) != 0 ? 1 : 0;
    }

    static String symbolOf(ElfSymbols symbols, long va) {
        String s = symbols.describe(va);
        return s.isEmpty() ? "" : " " + s;
    }

    static String accessName(AccessType type) {
        return switch (type) {
            case READ -> "read";
            case WRITE -> "write";
            case EXECUTE -> "fetch";
        };
    }
}
