package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.cpu.ExceptionInfo;
import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Mmu;
import a64emu.mmu.TlbiOp;
import a64emu.mmu.TranslationTrace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code run --trace-faults} and {@code run --tlb-check}. */
class RunTraceTest {
    private static final String HELLO = GuestPrograms.binary("hello").toString();

    @Test
    void traceFaultsPrintsOneDecodedLinePerFaultOnStderrAndLeavesStdoutClean() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--trace-faults", HELLO);
        assertEquals(0, run.status(), run.stderr());
        assertArrayEquals(GuestPrograms.expectedBytes("hello", ".stdout"), run.stdout());
        List<String> faults = run.stderr().lines().filter(l -> l.startsWith("a64emu: fault ")).toList();
        assertTrue(faults.size() >= 3, run.stderr());
        // The first fetch finds even the level 0 entry empty: the tables are filled on demand.
        assertTrue(faults.get(0).contains("EC 0x20 inst abort, EL0  IFSC 0x04 Translation fault, level 0"),
                faults.get(0));
        assertTrue(faults.get(0).contains("-> file page"), faults.get(0));
        assertTrue(faults.stream().anyMatch(l -> l.contains("rw-p [stack]") && l.contains("zero-fill")),
                run.stderr());
        assertTrue(faults.stream().anyMatch(l -> l.contains("WnR=1")), run.stderr());
    }

    @Test
    void traceFaultsShowsTheNullPointerReadEndingInSigsegv() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--trace-faults",
                GuestPrograms.binary("null_deref").toString());
        assertEquals(139, run.status());
        String last = run.stderr().lines().filter(l -> l.startsWith("a64emu: fault ")).reduce((a, b) -> b)
                .orElseThrow();
        assertTrue(last.contains("<main+"), last);
        assertTrue(last.contains(">: ldr w0, [x0]"), "the faulting instruction, disassembled: " + last);
        assertTrue(last.contains("EC 0x24 data abort, EL0"), last);
        assertTrue(last.contains("DFSC 0x06 Translation fault, level 2"), last);
        assertTrue(last.contains("FAR 0x0000000000000000  pc 0x"), last);
        assertTrue(last.contains("VMA none  -> SIGSEGV"), last);
        assertTrue(last.endsWith("-> SIGSEGV"), last);
    }

    @Test
    void traceFaultsNamesTheProcessSoAForkedChildsCopyOnWriteFaultsStandApart() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--trace-faults",
                GuestPrograms.binary("proc_fork_cow").toString());
        assertEquals(0, run.status(), run.stderr());
        Pattern cow = Pattern.compile("a64emu: fault  pid (\\d+)  .*-> COW$");
        java.util.Set<String> pids = new java.util.TreeSet<>();
        run.stderr().lines().map(cow::matcher).filter(Matcher::matches).forEach(m -> pids.add(m.group(1)));
        assertTrue(pids.size() >= 2, "COW faults in parent and child: " + pids + "\n" + run.stderr());
    }

    @Test
    void tlbCheckFindsNothingStaleWhenTheKernelFlushesAfterEveryChange() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--tlb-check", GuestPrograms.binary("malloc_qsort").toString());
        assertEquals(0, run.status(), run.stderr());
        assertArrayEquals(GuestPrograms.expectedBytes("malloc_qsort", ".stdout"), run.stdout());
        assertTrue(run.stderr().contains("a64emu: --tlb-check: no stale TLB entry was used"), run.stderr());
    }

    /**
     * A kernel hook plays a kernel with a missing flush: at the first system call it moves
     * the page the program is executing to a copy of its frame, writing the new descriptor
     * without a TLBI. The CPU keeps fetching through the stale entry (the copy has the same
     * bytes, so the program cannot tell) and --tlb-check reports it; at the next system
     * call the hook issues the TLBI and the reports stop.
     */
    @Test
    void tlbCheckReportsAStaleEntryLeftByAPageTableChangeWithoutTlbi() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        ByteArrayOutputStream guestOut = new ByteArrayOutputStream();
        RunTracer check = new RunTracer(errWriter, false, true, Inspection.symbols(Path.of(HELLO)));
        MissingFlush hook = new MissingFlush(check);
        Kernel kernel = new Kernel(KernelConfig.defaults()
                .withStreams(new ByteArrayInputStream(new byte[0]), guestOut, err));
        kernel.setEvents(hook);

        int status = kernel.run(Path.of(HELLO), List.of(HELLO), List.of());
        check.summary().forEach(errWriter::println);

        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertArrayEquals(GuestPrograms.expectedBytes("hello", ".stdout"), guestOut.toByteArray());
        String report = err.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("a64emu: stale TLB entry  pc 0x(\\p{XDigit}+) .* fetch VA 0x(\\p{XDigit}+) "
                + "ASID 1 at EL0: TLB has PA 0x(\\p{XDigit}+) EL0 r-x EL1 r-- nG, "
                + "tables now say PA 0x(\\p{XDigit}+) EL0 r-x EL1 r-- nG").matcher(report);
        assertTrue(m.find(), report);
        long pc = Long.parseUnsignedLong(m.group(1), 16);
        assertEquals(hook.movedPage, pc & -Descriptor.PAGE_SIZE, "the PC of the stale fetch is on the moved page");
        assertEquals(pc, Long.parseUnsignedLong(m.group(2), 16));
        assertEquals(hook.oldFrame, Long.parseUnsignedLong(m.group(3), 16) & -Descriptor.PAGE_SIZE);
        assertEquals(hook.newFrame, Long.parseUnsignedLong(m.group(4), 16) & -Descriptor.PAGE_SIZE);
        assertEquals(1, check.staleEntries(), "one entry, printed once");
        assertTrue(check.staleUses() > 1, "every use is counted: " + check.staleUses());
        assertTrue(report.contains("a64emu: --tlb-check: " + check.staleUses() + " uses of 1 stale TLB entries"),
                report);
    }

    /** The kernel hook: moves the code page at the first SVC without TLBI, flushes at the next. */
    private static final class MissingFlush implements a64emu.guest.events.GuestEvents {
        private final RunTracer inner;
        private int svcs;
        private long entryPa;
        private long oldDescriptor;
        long movedPage;
        long oldFrame;
        long newFrame;

        MissingFlush(RunTracer inner) {
            this.inner = inner;
        }

        @Override
        public void processStarted(Process process) {
            inner.processStarted(process);
        }

        @Override
        public ExceptionInfo run(Task thread, Cpu cpu, long quantum) {
        Process process = thread.process;
            ExceptionInfo ex = inner.run(thread, cpu, quantum);
            if (ex != null && ex.ec() == a64emu.cpu.Esr.EC_SVC64) {
                svcs++;
                Mmu mmu = process.mm.pageTables().mmu();
                PhysicalMemory ram = mmu.ram();
                if (svcs == 1) {
                    movedPage = cpu.pc & -Descriptor.PAGE_SIZE;
                    TranslationTrace t = mmu.traceWalk(movedPage, AccessType.EXECUTE, 0);
                    TranslationTrace.Step leaf = t.steps().get(t.steps().size() - 1);
                    entryPa = leaf.entryPa();
                    oldDescriptor = leaf.descriptor();
                    oldFrame = Descriptor.outputAddress(oldDescriptor, 3);
                    newFrame = ram.size() - Descriptor.PAGE_SIZE;
                    byte[] page = new byte[(int) Descriptor.PAGE_SIZE];
                    ram.read(oldFrame, page, 0, page.length);
                    ram.write(newFrame, page, 0, page.length);
                    ram.write64(entryPa, Descriptor.withOutputAddress(oldDescriptor, 3, newFrame));
                } else if (svcs == 2) {
                    ram.write64(entryPa, oldDescriptor);
                    mmu.tlbi(TlbiOp.VALE1IS, TlbiOp.operand(movedPage, mmu.asid()));
                }
            }
            return ex;
        }

        @Override
        public void processExiting(Process process) {
            inner.processExiting(process);
        }
    }
}
