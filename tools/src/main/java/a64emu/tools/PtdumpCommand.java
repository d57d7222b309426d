package a64emu.tools;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.Vma;
import a64emu.mmu.Mmu;
import a64emu.mmu.PageTableDump;
import a64emu.mmu.Tcr;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code a64emu ptdump}: a process's whole translation table as merged ranges, in the
 * layout of Linux's {@code /sys/kernel/debug/kernel_page_tables} (arm64 ptdump.c), each
 * range followed by the VMA it belongs to as {@code /proc/PID/maps} names it.
 */
@Command(name = "ptdump",
        sortOptions = false,
        description = {
            "Prints a program's translation tables as merged ranges, like Linux's page-table dump.",
            "Runs PROGRAM to its exit (or to --at SYMBOL), then prints every mapping in its translation "
                + "tables as Linux's arm64 page-table dump does: adjacent entries at one level with the "
                + "same attributes merged into one range, with the size, the level "
                + "(PGD, PUD, PMD, PTE), the descriptor bits (USR, ro/RW, NX/x, SHD, AF, NG, CON, BLK, "
                + "UXN, DBM), the memory type, and the VMA's permissions and name.",
            "The guest's own output goes to stderr.",
            ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the dump was printed",
            "1:the program never reached --at SYMBOL, or could not be run",
            "2:invalid command line"})
final class PtdumpCommand implements Callable<Integer> {
    @ParentCommand
    A64emu a64emu;

    @Spec
    CommandSpec spec;

    @Option(names = "--at", paramLabel = "SYMBOL",
            description = "Stop the program the first time its PC reaches SYMBOL (from the ELF .symtab) "
                    + "and dump there, instead of at exit.")
    String at;

    @Mixin
    MachineOptions machine;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The static AArch64 ELF executable.")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARGS", preprocessor = RunCommand.Verbatim.class,
            description = "Arguments for the program (its argv[1..]).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return Inspection.command(spec, a64emu, machine, program, args, at, stop -> {
            print(out, stop);
            return 0;
        });
    }

    static void print(PrintWriter out, Inspection.Stop stop) {
        Mmu mmu = stop.mmu();
        out.printf("a64emu ptdump: %s %s, pid %d, ASID %d%n", stop.process().comm(), stop.where(),
                stop.process().pid, mmu.asid());
        out.printf("TTBR0_EL1 0x%016x   TTBR1_EL1 0x%016x   MAIR_EL1 0x%016x%n", mmu.ttbr0(), mmu.ttbr1(), mmu.mair());
        out.printf("TCR_EL1   0x%016x   %s%n", mmu.tcr(), Tcr.describe(mmu.tcr()));
        out.println("---[ User space ]---");
        for (String line : lines(mmu, stop.process().mm)) {
            out.println(line);
        }
        out.println("---[ Kernel space ]---");
        if (Tcr.epd(mmu.tcr(), true)) {
            out.println("(none: TCR_EL1.EPD1=1, TTBR1_EL1 is never walked; the guest kernel is Java code, "
                    + "not mapped memory)");
        } else {
            for (PageTableDump.Mapping m : PageTableDump.mappings(mmu, true)) {
                out.println(PageTableDump.format(m, mmu.mair()));
            }
        }
    }

    /** The TTBR0 ranges, split where a VMA begins or ends, each with its VMA. */
    static List<String> lines(Mmu mmu, AddressSpace mm) {
        List<String> out = new ArrayList<>();
        for (PageTableDump.Mapping m : PageTableDump.mappings(mmu, false)) {
            long va = m.va();
            while (va < m.end()) {
                Vma vma = mm.find(va);
                long end = m.end();
                if (vma != null) {
                    end = Math.min(end, vma.end());
                } else {
                    Vma next = mm.findEndingAbove(va);
                    if (next != null && next.start() > va) {
                        end = Math.min(end, next.start());
                    }
                }
                PageTableDump.Mapping part = m.slice(va, end);
                String name = vma == null ? "(no VMA)"
                        : vma.permString() + (vma.displayName().isEmpty() ? "" : " " + vma.displayName());
                out.add(PageTableDump.format(part, mmu.mair()) + "   " + name);
                va = end;
            }
        }
        return out;
    }
}
