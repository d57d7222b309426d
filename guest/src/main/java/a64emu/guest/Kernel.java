package a64emu.guest;

import a64emu.cpu.Cpu;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.cpu.GuestException;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.loader.ElfFile;
import a64emu.guest.loader.ElfFormatException;
import a64emu.guest.loader.ElfLoader;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.loader.LoadedImage;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.OutOfFramesException;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.TranslationRegime;
import a64emu.guest.mm.VmLayout;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.guest.syscall.Syscalls;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;
import a64emu.mmu.Mmu;
import a64emu.mmu.Tlb;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The guest kernel: runs one static AArch64 Linux program from exec to exit (Linux's
 * {@code execve} for an ELF without interpreter, then the exception entry of
 * {@code arch/arm64/kernel/entry-common.c} in a loop).
 *
 * <p>The run loop gives the CPU a quantum of instructions; when it stops on an
 * exception the kernel dispatches on the exception class: SVC to the system calls,
 * instruction and data aborts to the page-fault handler (then the instruction is
 * retried), and undefined instructions, alignment faults and BRK to fatal signals.
 *
 * <p>Mistakes of the user (no such program, not a static AArch64 ELF) are one line on
 * stderr and status 127 or 126. A Java exception inside the run loop is an emulator bug:
 * one loud line with the guest PC and instruction word and status 134; the Java stack
 * trace is printed only with {@code A64EMU_DEBUG=1} in the environment.
 */
public final class Kernel {
    /** Instructions per quantum between checks for kernel work. */
    public static final long QUANTUM = 1L << 20;
    /** The pid of the first process. Fixed and not 1, which is init with its special signal rules. */
    public static final int FIRST_PID = 4242;
    /** Its parent: the process that ran a64emu is not visible, so init, as for an orphan. */
    public static final int FIRST_PPID = 1;
    /** The first process's ASID. ASID 0 is left unused, as Linux reserves it. */
    public static final int FIRST_ASID = 1;
    public static final int STATUS_NOT_FOUND = 127;
    public static final int STATUS_CANNOT_EXECUTE = 126;
    public static final int STATUS_EMULATOR_BUG = 134;
    /**
     * Seed of the process's random numbers (AT_RANDOM, getrandom): fixed, so that runs are
     * reproducible; taking it from the configuration comes with issue 5.
     */
    public static final long RANDOM_SEED = 0x6136_3465_6d75L;
    /** A fault that stays unresolved after this many handled retries is a kernel/MMU bug. */
    private static final int MAX_REPEATED_FAULTS = 8;

    private final KernelConfig config;
    private final PrintStream diagnostics;
    private RunStats stats = new RunStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public Kernel(KernelConfig config) {
        this.config = config;
        this.diagnostics = new PrintStream(config.stderr(), true, StandardCharsets.UTF_8);
    }

    /** What the last {@link #run} cost. */
    public RunStats stats() {
        return stats;
    }

    /**
     * Runs {@code program} with {@code argv} (argv[0] included; an empty list gives the
     * program path as argv[0]) and the environment {@code envp} ("NAME=value" strings).
     * Returns the exit status as a shell reports it: the exit code, or 128 + signal.
     */
    public int run(Path program, List<String> argv, List<String> envp) {
        String programPath = program.toString();
        PhysicalMemory ram = new PhysicalMemory(config.ramBytes());
        Mmu mmu = new Mmu(ram);
        FrameAllocator frames = new FrameAllocator(ram);
        FileSystem fs;
        try {
            fs = new FileSystem(config.root(), config.root() == null ? System.getProperty("user.dir") : "/");
        } catch (IllegalArgumentException e) {
            return fail(STATUS_CANNOT_EXECUTE, "a64emu: cannot use root '" + config.root() + "': " + e.getMessage());
        }
        OpenFile exe;
        try {
            exe = fs.openForExec(programPath);
        } catch (ErrnoException e) {
            int status = e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR
                    ? STATUS_NOT_FOUND : STATUS_CANNOT_EXECUTE;
            return fail(status, "a64emu: cannot run '" + programPath + "': " + strerror(e.errno()));
        }
        try {
            return runProgram(programPath, exe, fs, mmu, frames, argv, envp);
        } catch (RuntimeException | StackOverflowError | AssertionError e) {
            // A failure while loading, before the first instruction ran.
            return emulatorBug(null, e);
        } finally {
            exe.release();
        }
    }

    private int runProgram(String programPath, OpenFile exe, FileSystem fs, Mmu mmu, FrameAllocator frames, List<String> argv, List<String> envp) {
        VmLayout layout = VmLayout.forVaBits(config.vaBits());
        OpenFilePages exePages = new OpenFilePages(exe);
        ElfFile elf;
        try {
            elf = ElfFile.read(exePages, layout.taskSize());
        } catch (ElfFormatException e) {
            return fail(STATUS_CANNOT_EXECUTE, "a64emu: cannot run '" + programPath + "': " + e.getMessage());
        }
        PageTables pt;
        try {
            pt = new PageTables(frames, mmu, config.vaBits(), FIRST_ASID);
        } catch (OutOfFramesException e) {
            return fail(STATUS_CANNOT_EXECUTE, "a64emu: cannot run '" + programPath + "': " + e.getMessage());
        }
        AddressSpace mm = new AddressSpace(pt, layout);
        TranslationRegime.install(mmu, pt);
        LoadedImage image = ElfLoader.load(elf, exePages, exe.guestPath(), mm);
        mm.setStartBrk(image.startBrk());

        Cpu cpu = new Cpu(mmu);
        FaultHandler faults = new FaultHandler(mm, frames, mmu);
        UserMemory user = new UserMemory(mmu, faults);
        FileTable files = new FileTable(fs, config.stdin(), config.stdout(), config.stderr(), exe.guestPath());
        Process process = new Process(FIRST_PID, FIRST_PPID, hostCredentials(), cpu, mm, frames, faults, user, files,
                RANDOM_SEED);
        process.keepMappedFile(exe);

        List<String> args = argv.isEmpty() ? List.of(programPath) : argv;
        byte[] random = new byte[16];
        process.random.nextBytes(random);
        InitialStack.Layout stack;
        try {
            stack = InitialStack.build(mm, user, image, args, envp, programPath, random, process.credentials);
        } catch (BadUserAddressException e) {
            SignalInfo kill = user.takePendingKill();
            process.release();
            return fail(STATUS_CANNOT_EXECUTE, "a64emu: cannot run '" + programPath + "': "
                    + (kill != null ? kill.detail() : "the initial stack cannot be written: " + e.getMessage()));
        }
        cpu.sp = stack.sp();
        cpu.pc = image.entry();
        cpu.x[0] = 0;

        Syscalls syscalls = new Syscalls(process, diagnostics);
        long started = System.nanoTime();
        int status;
        try {
            runLoop(process, syscalls);
            status = report(process);
        } catch (RuntimeException | StackOverflowError | AssertionError e) {
            status = emulatorBug(cpu, e);
        }
        long residentAtExit = pt.residentPages();
        long nanos = System.nanoTime() - started;
        Tlb tlb = mmu.tlb();
        stats = new RunStats(cpu.instructions, nanos, tlb.hits(), tlb.misses(), tlb.walks(), tlb.walkReads(),
                faults.anonZeroFillFaults(), faults.fileFaults(), faults.otherFaults(), faults.signalledFaults(),
                residentAtExit, pt.peakResidentPages(), syscalls.count());
        process.release();
        return status;
    }

    /** Runs until the process exits or dies. */
    private void runLoop(Process process, Syscalls syscalls) {
        Cpu cpu = process.cpu;
        long lastFaultPc = -1;
        long lastFaultVa = -1;
        int repeats = 0;
        while (!process.hasExited()) {
            ExceptionInfo ex = cpu.run(QUANTUM);
            if (ex == null) {
                continue;
            }
            switch (ex.ec()) {
                case Esr.EC_SVC64 -> {
                    syscalls.handle(cpu);
                    SignalInfo kill = process.user.takePendingKill();
                    if (kill != null) {
                        process.kill(kill, ex.elr());
                    }
                }
                case Esr.EC_DABT_LOWER, Esr.EC_IABT_LOWER, Esr.EC_DABT_CUR, Esr.EC_IABT_CUR -> {
                    if (ex.fault() == null) {
                        throw new IllegalStateException("abort without a fault record: " + ex);
                    }
                    if (ex.elr() == lastFaultPc && ex.far() == lastFaultVa) {
                        if (++repeats > MAX_REPEATED_FAULTS) {
                            throw new IllegalStateException("the same fault recurs after being resolved "
                                    + repeats + " times: " + ex);
                        }
                    } else {
                        repeats = 0;
                        lastFaultPc = ex.elr();
                        lastFaultVa = ex.far();
                    }
                    FaultHandler.Result r = process.faults.handle(ex.fault());
                    if (!r.resolved()) {
                        process.kill(r.signal(), ex.elr());
                    }
                }
                case Esr.EC_UNKNOWN -> process.kill(SignalInfo.atPc(Signal.SIGILL, Signal.ILL_ILLOPC,
                        String.format("undefined instruction 0x%08x", ex.insnWord())), ex.elr());
                case Esr.EC_SYS64 -> process.kill(SignalInfo.atPc(Signal.SIGILL, Signal.ILL_ILLOPC,
                        String.format("system register access not allowed at EL0, instruction 0x%08x",
                                ex.insnWord())), ex.elr());
                case Esr.EC_PC_ALIGN -> process.kill(SignalInfo.fault(Signal.SIGBUS, Signal.BUS_ADRALN, ex.far(),
                        "exec, misaligned PC"), ex.elr());
                case Esr.EC_SP_ALIGN -> process.kill(SignalInfo.fault(Signal.SIGBUS, Signal.BUS_ADRALN, cpu.sp,
                        "stack pointer not 16-byte aligned"), ex.elr());
                case Esr.EC_BRK64 -> process.kill(SignalInfo.atPc(Signal.SIGTRAP, Signal.TRAP_BRKPT,
                        String.format("brk #0x%x", ex.iss() & 0xFFFF)), ex.elr());
                default -> throw new IllegalStateException("unexpected exception from the CPU: " + ex);
            }
        }
    }

    /** Prints the fatal signal's diagnosis, if the process died of one, and returns the shell status. */
    private int report(Process process) {
        Process.Termination t = process.termination();
        if (t.signal() != null) {
            SignalInfo s = t.signal();
            String line = "a64emu: " + s.diagnosis(t.pc());
            long handler = process.signals.userHandler(s.signo());
            if (handler != 0 && s.signo() != Signal.SIGKILL) {
                line += String.format(" (the program's handler at 0x%x was not run: "
                        + "signal delivery is not implemented yet)", handler);
            }
            diagnostics.println(line);
            diagnostics.flush();
        }
        return t.shellStatus();
    }

    /**
     * Reports a Java exception escaping the kernel or the CPU: one line naming the guest PC
     * and the instruction word there, the stack trace only with A64EMU_DEBUG=1.
     */
    private int emulatorBug(Cpu cpu, Throwable e) {
        String where = cpu == null ? "while loading the program"
                : String.format("at pc=0x%x (instruction %s)", cpu.pc, instructionWord(cpu));
        boolean debug = "1".equals(System.getenv("A64EMU_DEBUG"));
        diagnostics.println("a64emu: emulator bug " + where + ": " + e
                + (debug ? "" : " (A64EMU_DEBUG=1 prints the Java stack trace)"));
        if (debug) {
            e.printStackTrace(diagnostics);
        }
        diagnostics.flush();
        return STATUS_EMULATOR_BUG;
    }

    /** The instruction word at the PC for a bug report, or why it cannot be read. */
    private static String instructionWord(Cpu cpu) {
        try {
            return String.format("0x%08x", cpu.ram.read32(cpu.mmu.translate(cpu.pc, AccessType.EXECUTE)));
        } catch (GuestException unreadable) {
            return "unreadable: " + unreadable.getMessage();
        }
    }

    private int fail(int status, String line) {
        diagnostics.println(line);
        diagnostics.flush();
        return status;
    }

    /** The host user's ids, which the guest sees as its own (as under qemu-aarch64). */
    private static InitialStack.Credentials hostCredentials() {
        com.sun.security.auth.module.UnixSystem unix = new com.sun.security.auth.module.UnixSystem();
        return new InitialStack.Credentials(unix.getUid(), unix.getUid(), unix.getGid(), unix.getGid());
    }

    /** strerror(3) wording for the errors a program lookup can give. */
    static String strerror(int errno) {
        return switch (errno) {
            case Errno.ENOENT -> "No such file or directory";
            case Errno.EACCES -> "Permission denied";
            case Errno.ENOTDIR -> "Not a directory";
            case Errno.ELOOP -> "Too many levels of symbolic links";
            case Errno.ENAMETOOLONG -> "File name too long";
            case Errno.EISDIR -> "Is a directory";
            case Errno.EIO -> "Input/output error";
            default -> Errno.name(errno);
        };
    }
}
