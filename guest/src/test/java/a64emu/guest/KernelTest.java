package a64emu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.loader.ElfImageBuilder;
import a64emu.guest.loader.ProgramHeader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs: exec, the run loop, system calls, faults and how a run ends. */
class KernelTest {
    /** Tiny assembly programs (sources and build.sh beside them); tests run in the module directory. */
    private static final Path ELF = Path.of("src/test/resources/elf");
    private static final Path GLIBC_PROGRAMS = Path.of("programs/bin");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Kernel kernel;

    private int run(Path program, String... args) {
        return runIn(null, program, args);
    }

    private int runIn(Path root, Path program, String... args) {
        KernelConfig config = KernelConfig.defaults()
                .withRam(64L << 20)
                .withRoot(root)
                .withStreams(new ByteArrayInputStream(new byte[0]), out, err);
        kernel = new Kernel(config);
        List<String> argv = new java.util.ArrayList<>();
        argv.add(program.toString());
        argv.addAll(List.of(args));
        return kernel.run(program, argv, List.of("A64EMU_TEST=1"));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String canonical(Path p) throws IOException {
        return p.toRealPath().toString();
    }

    @Test
    void programThatWritesAndExitsGivesItsOutputAndStatus() {
        assertEquals(5, run(ELF.resolve("write_exit")));
        assertEquals("kernel test\n", stdout());
        assertEquals("", stderr());
        RunStats s = kernel.stats();
        assertEquals(2, s.syscalls());
        assertTrue(s.instructions() >= 8, "instructions " + s.instructions());
        assertTrue(s.fileFaults() >= 1);
        assertTrue(s.tlb().walks() >= 1);
    }

    @Test
    void writeToAHostStdoutWhosePipeHasNoReaderDiesOfSigpipe() {
        java.io.OutputStream brokenPipe = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        KernelConfig config = KernelConfig.defaults()
                .withRam(64L << 20)
                .withStreams(new ByteArrayInputStream(new byte[0]), brokenPipe, err);
        kernel = new Kernel(config);
        Path program = ELF.resolve("write_exit");
        assertEquals(128 + 13, kernel.run(program, List.of(program.toString()), List.of()));
    }

    @Test
    void readFromAnUnmappedAddressDiesOfSigsegvMaperr() {
        assertEquals(128 + 11, run(ELF.resolve("read_unmapped")));
        assertEquals("a64emu: SIGSEGV (SEGV_MAPERR) at 0x1000 pc=0x40007c: read, no mapping (instruction: ldr x0, [x1])\n", stderr());
        assertEquals(1, kernel.stats().segvFaults());
    }

    @Test
    void writeToReadOnlyTextDiesOfSigsegvAccerrNamingTheArea() throws IOException {
        assertEquals(139, run(ELF.resolve("write_text")));
        assertEquals("a64emu: SIGSEGV (SEGV_ACCERR) at 0x400078 pc=0x40007c: write, VMA 0x400000-0x401000 r-xp "
                + canonical(ELF.resolve("write_text")) + " (instruction: str xzr, [x1])\n", stderr());
    }

    @Test
    void sigsegvWithAnInstalledHandlerRunsTheHandlerInsteadOfDying() {
        assertEquals(1, run(ELF.resolve("segv_with_handler")));
        assertEquals("", stderr());
    }

    @Test
    void undefinedInstructionDiesOfSigill() {
        assertEquals(128 + 4, run(ELF.resolve("undefined")));
        assertEquals("a64emu: SIGILL (ILL_ILLOPC) at pc=0x40007c: undefined instruction 0x00000000\n", stderr());
    }

    @Test
    void anEl1RegisterReadDiesOfSigillNamingTheInstruction() {
        assertEquals(128 + 4, run(ELF.resolve("el1_sysreg")));
        assertEquals("a64emu: SIGILL (ILL_ILLOPC) at pc=0x40007c: undefined instruction 0xd5381000 (mrs x0, sctlr_el1)\n",
                stderr());
    }

    @Test
    void breakpointInstructionDiesOfSigtrap() {
        assertEquals(128 + 5, run(ELF.resolve("breakpoint")));
        assertTrue(stderr().startsWith("a64emu: SIGTRAP (TRAP_BRKPT) at pc="), stderr());
        assertTrue(stderr().endsWith(": brk #0x3e8\n"), stderr());
    }

    @Test
    void misalignedStackPointerDiesOfSigbus() {
        assertEquals(128 + 7, run(ELF.resolve("sp_misaligned")));
        assertTrue(stderr().startsWith("a64emu: SIGBUS (BUS_ADRALN) at 0x"), stderr());
        assertTrue(stderr().endsWith(": stack pointer not 16-byte aligned\n"), stderr());
    }

    @Test
    void misalignedPcDiesOfSigbus() {
        assertEquals(128 + 7, run(ELF.resolve("pc_misaligned")));
        assertEquals("a64emu: SIGBUS (BUS_ADRALN) at 0x40007a pc=0x40007a: instruction fetch, misaligned PC\n", stderr());
    }

    @Test
    void stackGrowsOnDemandWithinRlimitStack() {
        assertEquals(42, run(ELF.resolve("stack_grow")));
    }

    @Test
    void stackAccessFarBelowTheLimitIsSigsegv() {
        assertEquals(139, run(ELF.resolve("stack_grow"), "far"));
        assertTrue(stderr().contains("SEGV_MAPERR"), stderr());
    }

    @Test
    void bssAfterTheDataOnTheSamePageReadsAsZero() {
        assertEquals(7, run(ELF.resolve("bss_zero")));
    }

    @Test
    void missingProgramIsStatus127WithShellWording() {
        assertEquals(127, run(Path.of("no/such/program")));
        assertEquals("a64emu: cannot run 'no/such/program': No such file or directory\n", stderr());
    }

    @Test
    void nonElfFileIsStatus126(@TempDir Path dir) throws IOException {
        Path script = executable(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n".getBytes());
        assertEquals(126, run(script));
        assertEquals("a64emu: cannot run '" + script + "': not an ELF file (no \\x7fELF magic)\n", stderr());
    }

    @Test
    void dynamicallyLinkedProgramWhoseInterpreterIsMissingIsStatus127SayingWhatToInstall(@TempDir Path dir)
            throws IOException {
        // A root with the program only: no /lib/ld-linux-aarch64.so.1, no /usr/aarch64-linux-gnu.
        ElfImageBuilder b = ElfImageBuilder.minimal();
        byte[] interp = "/lib/ld-linux-aarch64.so.1\0".getBytes();
        b.add(ProgramHeader.PT_INTERP, ProgramHeader.PF_R, 0x200, 0x400200, interp.length, interp.length, 1);
        byte[] image = b.build();
        System.arraycopy(interp, 0, image, 0x200, interp.length);
        executable(dir.resolve("dyn"), image);
        assertEquals(127, runIn(dir, Path.of("/dyn")));
        assertTrue(stderr().contains("dynamically linked, and its interpreter /lib/ld-linux-aarch64.so.1 is not found"),
                stderr());
        assertTrue(stderr().contains("apt-get install libc6-arm64-cross"), stderr());
        assertEquals(1, stderr().lines().count());
    }

    @Test
    void glibcHelloWorldPrintsItsGreetingThroughThePageTables() {
        assertEquals(0, run(GLIBC_PROGRAMS.resolve("hello")));
        assertEquals("Hello from AArch64, running on a64emu!\n", stdout());
        RunStats s = kernel.stats();
        assertTrue(s.anonZeroFillFaults() > 0 && s.fileFaults() > 0, s.toString());
        assertTrue(s.peakResidentPages() >= s.residentPages() && s.residentPages() > 0, s.toString());
    }

    @Test
    void glibcProgramSeesItsArgumentsAndEnvironment() {
        assertEquals(0, run(GLIBC_PROGRAMS.resolve("echo_args"), "one", "two words"));
        String o = stdout();
        assertTrue(o.contains("argc=3\n"), o);
        assertTrue(o.contains("argv[2]=\"two words\" (9 bytes)\n"), o);
        assertTrue(o.contains("env \"A64EMU_TEST=1\"\n"), o);
        assertTrue(o.contains("AT_UID matches getuid(): yes\n"), o);
        assertTrue(stderr().contains("echo_args: 2 arguments\n"), stderr());
    }

    @Test
    void glibcExitStatusIsPassedThrough() {
        assertEquals(42, run(GLIBC_PROGRAMS.resolve("exit_code")));
    }

    @Test
    void withARootTheProgramPathIsAGuestPathInsideIt() {
        assertEquals(0, runIn(GLIBC_PROGRAMS.getParent(), Path.of("/bin/hello")));
        assertEquals("Hello from AArch64, running on a64emu!\n", stdout());
        assertEquals(127, runIn(GLIBC_PROGRAMS, Path.of("/bin/hello")));
    }

    @Test
    void programThatUsesMoreThanTheRamWithoutSwapIsKilledWithAMessage() {
        assertEquals(0, run(ELF.resolve("touch_heap")), "fits in 64 MiB");
        // 32 MiB and a page, no swap: the 32 MiB brk passes the overcommit heuristic (not
        // larger than all RAM), but with nowhere to put anonymous pages reclaim frees too
        // little, and the frames run out before every page is touched.
        KernelConfig small = KernelConfig.defaults()
                .withRam((32L << 20) + 4096)
                .withMemory(KernelConfig.Memory.DEFAULT.withZram(0))
                .withStreams(new ByteArrayInputStream(new byte[0]), out, err);
        kernel = new Kernel(small);
        assertEquals(128 + 9, kernel.run(ELF.resolve("touch_heap"), List.of("touch_heap"), List.of()));
        // The access that finds no frame is a store to the heap, or the fetch of a text page
        // reclaim dropped, whichever comes first.
        assertTrue(stderr().matches("a64emu: SIGKILL \\(SI_KERNEL\\) at 0x[0-9a-f]+ pc=0x[0-9a-f]+: (write|instruction fetch), "
                + "out of memory: \\d+ of 8193 physical frames in use \\(min watermark \\d+ free\\), no swap"
                + "( \\(instruction: str x1, \\[x1\\]\\))?\n"), stderr());
        // The OOM killer chose it, the only process, and said so in the kernel log.
        List<String> log = kernel.kernelLog().messages().stream().map(KernelLog.Message::text).toList();
        assertTrue(log.stream().anyMatch(l -> l.startsWith("touch_heap invoked oom-killer: "
                + "gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0")
                || l.startsWith("touch_heap invoked oom-killer: gfp_mask=0x400dc0")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Out of memory: Killed process 4242 (touch_heap) ")),
                log.toString());
    }

    @Test
    void programThatUsesMoreThanTheRamRunsWithZramSwap() {
        // The same program and machine with zRAM (75% of RAM, the default): its pages are
        // swapped out compressed and it finishes.
        KernelConfig small = KernelConfig.defaults()
                .withRam((32L << 20) + 4096)
                .withStreams(new ByteArrayInputStream(new byte[0]), out, err);
        kernel = new Kernel(small);
        assertEquals(0, kernel.run(ELF.resolve("touch_heap"), List.of("touch_heap"), List.of()), stderr());
        assertTrue(kernel.stats().memory().swapOut() > 0, "pages went to swap");
    }

    private static Path executable(Path p, byte[] content) throws IOException {
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
