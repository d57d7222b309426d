package a64emu.tools;

import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.net.HostNetwork;
import a64emu.jit.JitOptions;
import a64emu.guest.KernelLog;
import a64emu.guest.RunLimits;
import a64emu.guest.lmk.LmkConfig;
import a64emu.guest.events.GuestEvents;
import a64emu.guest.syscall.Syscalls;
import a64emu.tools.gdb.GdbStub;
import a64emu.tools.report.PressureReport;
import a64emu.tools.strace.Strace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code a64emu run}: one guest program, start to exit, like {@code qemu-aarch64 PROGRAM ARGS}. */
@Command(name = "run",
        sortOptions = false,
        description = {
            "Runs an AArch64 Linux ELF executable, static or dynamically linked, and exits with its status.",
            "The guest gets the host's environment and standard streams, as under qemu-aarch64. "
                + "Everything after PROGRAM is passed to it verbatim, even arguments that look like "
                + "options of a64emu.",
            ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "N:the guest's exit status, or 128+S if signal S killed it (139 for SIGSEGV)",
            "2:invalid command line",
            "124:--timeout expired (as timeout(1))",
            "125:--max-instructions were retired",
            "126:PROGRAM is not an executable a64emu can run",
            "127:PROGRAM, or the interpreter (PT_INTERP) of a dynamically linked one, was not found",
            "130:SIGINT (Ctrl-C) ended the run",
            "134:the emulator itself failed (a bug; the message gives the guest pc), or the guest aborted"})
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    A64emu a64emu;

    @Spec
    CommandSpec spec;

    @Option(names = "--ram", paramLabel = "SIZE", defaultValue = "1G", converter = ByteSize.Converter.class,
            description = "Emulated physical RAM: bytes, or a number with K, M or G (powers of 1024), "
                    + "at least 16M. Backed lazily: RAM the guest never touches costs no host memory. "
                    + "Default: ${DEFAULT-VALUE}.")
    long ramBytes;

    @Option(names = "--zram", paramLabel = "SIZE", converter = ByteSize.Converter.class,
            description = "Size of zram0, the compressed swap device (LZ4) reclaim swaps anonymous pages to: "
                    + "bytes, or a number with K, M or G; 0 turns swap off. Its compressed pages take frames "
                    + "of the emulated RAM. Default: 75%% of --ram, as the Android emulator and Cuttlefish set it.")
    Long zramBytes;

    @Option(names = "--swappiness", paramLabel = "N", defaultValue = "60",
            description = "vm.swappiness, 0..200: how readily reclaim swaps anonymous pages rather than "
                    + "dropping page cache (100: equal cost). Also /proc/sys/vm/swappiness. Default: ${DEFAULT-VALUE}.")
    int swappiness;

    @Option(names = "--hw-access-flag",
            description = "Set TCR_EL1.HA (FEAT_HAFDBS): the MMU sets a page's access flag itself on its next "
                    + "use after reclaim aged it, instead of the access flag fault the guest kernel takes by "
                    + "default.")
    boolean hardwareAccessFlag;

    @Option(names = "--lmk", paramLabel = "POLICY", defaultValue = "psi", converter = LmkPolicy.class,
            description = "Android's low memory killer daemon, lmkd, run as a guest kernel thread: it kills "
                    + "processes whose /proc/PID/oom_score_adj was set, highest adj first, before the kernel's OOM "
                    + "killer has to. 'psi': lmkd's default policy (PSI stall events; zone watermarks, free swap "
                    + "and page-cache thrashing decide); 'minfree': the old policy, free memory and file cache "
                    + "against Android's minfree table for --ram; 'minfree=PAGES,...,adj=ADJ,...': an explicit "
                    + "table (up to 6 levels, minfree increasing, adj -1000..1000); 'off': only the OOM killer. "
                    + "Default: ${DEFAULT-VALUE}.")
    LmkConfig lmk;

    @Option(names = "--va-bits", paramLabel = "BITS", defaultValue = "48", converter = VaBits.class,
            description = "User virtual address size: 48 (T0SZ=16, 4 table levels) or 39 (T0SZ=25, "
                    + "3 levels, as many Android kernels use). Default: ${DEFAULT-VALUE}.")
    int vaBits;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Confine the guest's file system to DIR, with chroot semantics (no escape "
                    + "through '..', symbolic links, /proc/self links or dirfds); PROGRAM too is a path inside "
                    + "DIR. Default: none, the guest sees the host file system and may read, write and delete "
                    + "whatever the user running a64emu may, as under qemu-aarch64.")
    Path root;

    @Option(names = "--read-only",
            description = "Mount the guest's files read-only (DIR with --root, else the whole host file "
                    + "system): every call that would create, change or remove a file fails with EROFS, as "
                    + "on a read-only mount; reading works, and /proc, /sys and /dev's devices are unchanged.")
    boolean readOnly;

    @Option(names = "--net", paramLabel = "MODE",
            description = "What the guest's AF_INET and AF_INET6 sockets reach: 'host' (forwarded to host "
                    + "sockets, as under qemu-aarch64) or 'none' (a network namespace with no interface up, "
                    + "as under 'unshare -n': socket(2) works and bind(2) takes 0.0.0.0 and 127.0.0.0/8, "
                    + "::1 and other addresses fail with EADDRNOTAVAIL, and connect(2) and every send to "
                    + "an address fail with ENETUNREACH). AF_UNIX sockets work in both. Default: host.")
    String net = "host";

    @Option(names = {"--sysroot", "-L"}, paramLabel = "DIR",
            description = "Load a dynamically linked program's interpreter (PT_INTERP) from DIR, and look up "
                    + "every absolute path the guest opens in DIR first, then as given, like "
                    + "'qemu-aarch64 -L DIR'. With --root, DIR is a path inside the root. Default: the "
                    + "environment variable A64EMU_LD_PREFIX, else the interpreter's own path, else "
                    + KernelConfig.DEFAULT_SYSROOT + " (Debian's libc6-arm64-cross).")
    String sysroot;

    private HostNetwork.Mode networkMode() {
        return switch (net) {
            case "host" -> HostNetwork.Mode.HOST;
            case "none" -> HostNetwork.Mode.NONE;
            default -> throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--net': '" + net + "' (expected host or none)");
        };
    }

    /** The environment variable that gives the sysroot when --sysroot does not (qemu's QEMU_LD_PREFIX). */
    static final String SYSROOT_ENV = "A64EMU_LD_PREFIX";

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the guest kernel's random numbers (address-space layout, AT_RANDOM, "
                    + "getrandom): the same seed gives the same run. Default: a fixed seed, so runs are "
                    + "reproducible.")
    long seed = KernelConfig.DEFAULT_SEED;

    @Option(names = "--no-aslr",
            description = "Do not randomise the address-space layout (stack, mmap base, brk), like "
                    + "'setarch -R' (personality ADDR_NO_RANDOMIZE).")
    boolean noAslr;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "jit", converter = EngineName.class,
            description = "What executes the guest's instructions: 'jit' translates hot code to JVM bytecode "
                    + "(every access still goes through the MMU and TLB), 'interp' interprets every "
                    + "instruction. Both give the same results. Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--jit-threshold", paramLabel = "N",
            description = "With the JIT: how many times execution must reach an address before the code "
                    + "there is translated; 0 translates everything on first use. Default: "
                    + "${DEFAULT-VALUE}.")
    int jitThreshold = JitOptions.DEFAULT.hotThreshold();

    @Option(names = "--timeout", paramLabel = "DURATION", converter = TimeoutDuration.Converter.class,
            description = "End the run when it has taken DURATION of host time (e.g. 10s, 500ms, 2m; seconds "
                    + "if no unit, as timeout(1)), with a line on stderr and status 124, wherever the guest is: "
                    + "spinning, or waiting for input. Default: no limit.")
    Long timeoutNanos;

    @Option(names = "--max-instructions", paramLabel = "N",
            description = "End the run when the guest's threads together have retired N instructions, with a "
                    + "line on stderr and status 125. Exact with either engine. Default: no limit.")
    Long maxInstructions;

    /** --engine's values. */
    static final class EngineName implements picocli.CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.equals("jit") && !value.equals("interp")) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not an engine: use 'jit' or 'interp'");
            }
            return value;
        }
    }

    @Option(names = "--stats",
            description = "After the run, print to stderr: instructions and MIPS, TLB hits (micro "
                    + "and main), misses, walks, evictions and TLBI invalidations, page faults by kind, "
                    + "resident pages, system calls, reclaim (pages scanned and stolen by kswapd and by "
                    + "direct reclaim, kswapd wake-ups), swap traffic and zRAM at its fullest.")
    boolean stats;

    @Option(names = "--trace-faults",
            description = "Print to stderr one line per MMU fault the program takes: the PC, the exception "
                    + "class, the fault status code in words with its level, read/write, FAR, the VMA, and "
                    + "what the kernel did (zero-fill, file page, COW, access flag set, stack growth, SIGSEGV...).")
    boolean traceFaults;

    @Option(names = "--kernel-log",
            description = "Copy the guest kernel's log (what dmesg shows: OOM kills, swap errors) to stderr as "
                    + "it is written, each line as dmesg prints it: [seconds.micros] text.")
    boolean kernelLog;

    @Option(names = {"-d", "--log"}, paramLabel = "ITEMS", split = ",",
            description = "Also write these kernel notices to stderr (as 'qemu-aarch64 -d' does; a successful run "
                    + "prints nothing of a64emu's own otherwise): 'unimp', the system calls the guest kernel does not "
                    + "implement (each number once, the call returns ENOSYS). They are in the kernel log "
                    + "(--kernel-log, dmesg) in any case.")
    List<String> log = new ArrayList<>();

    @Option(names = "--strace",
            description = "Print each system call to stderr as strace(1) does: its arguments decoded (strings, "
                    + "flags, AT_FDCWD, stat structs), its result or error name, the signals delivered and how each "
                    + "process ended; '[pid N]' in front while several threads run, as 'strace -f'.")
    boolean strace;

    @Option(names = "--strace-file", paramLabel = "FILE",
            description = "Write --strace's lines to FILE instead of stderr (implies --strace), as 'strace -o FILE'.")
    Path straceFile;

    @Option(names = "--tlb-check",
            description = "On every TLB hit, walk the tables again and report (to stderr, once per entry) "
                    + "a cached translation that no longer matches them: a page-table change without the "
                    + "matching TLBI. The stale entry is still used, as on hardware. Slow.")
    boolean tlbCheck;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Write FILE, an HTML page with charts of the run's memory over time: free, page cache, "
                    + "anonymous active and inactive, zRAM and swap, each process's RSS and swap, PSI; the kills "
                    + "(lmkd's and the OOM killer's) and reclaim bursts with their log lines; procrank and the "
                    + "dumpsys meminfo summary at the end and at each kill. FILE is created before the guest starts.")
    Path reportFile;

    @Option(names = "--report-interval", paramLabel = "MS",
            defaultValue = "" + PressureReport.DEFAULT_INTERVAL_MILLIS,
            description = "How often --report samples, in milliseconds of the guest kernel's clock "
                    + "(process Pss every " + PressureReport.PSS_EVERY + "th sample). Default: ${DEFAULT-VALUE}.")
    long reportIntervalMillis;

    @Option(names = {"-g", "--gdb"}, paramLabel = "PORT",
            description = "Wait for gdb (gdb-multiarch: 'target remote :PORT') before the first instruction, "
                    + "as 'qemu-aarch64 -g PORT' does, and let it drive the run: breakpoints, steps, watchpoints, "
                    + "registers, memory, threads, signals, and 'monitor walk|maps|ptdump|tlb|fault'. "
                    + "'unix:PATH' listens on a Unix socket instead. If gdb goes away, the guest runs on.")
    String gdb;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The AArch64 ELF executable to run: static, or dynamically linked (see --sysroot).")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARGS", preprocessor = Verbatim.class,
            description = "Arguments for the program (its argv[1..]).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        if (root != null && !Files.isDirectory(root)) {
            throw new ParameterException(spec.commandLine(), "--root: '" + root + "' is not a directory");
        }
        networkMode(); // a bad --net is a usage error before anything runs
        KernelConfig config;
        try {
            config = new KernelConfig(ramBytes, vaBits, root, a64emu.stdin, a64emu.stdout, a64emu.stderr,
                    seed, !noAslr);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--ram': " + e.getMessage());
        }
        try {
            KernelConfig.Memory memory = KernelConfig.Memory.DEFAULT.withSwappiness(swappiness)
                    .withHardwareAccessFlag(hardwareAccessFlag).withLmk(lmk);
            config = config.withMemory(zramBytes == null ? memory : memory.withZram(zramBytes));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--swappiness': "
                    + e.getMessage());
        }
        if (zramBytes != null && zramBytes != 0 && zramBytes < 2 * 4096) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--zram': " + zramBytes
                    + " bytes is smaller than a swap area can be (two pages); use 0 for no swap");
        }
        config = config.withSysroot(sysrootPath());
        if (jitThreshold < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--jit-threshold': "
                    + jitThreshold + " (must be 0 or more)");
        }
        if (engine.equals("jit")) {
            config = config.withJit(JitOptions.DEFAULT.withHotThreshold(jitThreshold));
        }
        HeapCheck.requireRoomFor(config, spec.commandLine());
        if (maxInstructions != null && maxInstructions < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--max-instructions': "
                    + maxInstructions + " (must be 1 or more)");
        }
        RunLimits limits = new RunLimits(timeoutNanos == null ? 0 : timeoutNanos,
                maxInstructions == null ? 0 : maxInstructions);

        // As with execve(2) from a shell, argv[0] is the program as it was typed.
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(args);
        PressureReport report = openReport();

        boolean logUnimplemented = logItems();
        PrintWriter straceOut = openStrace();

        Kernel kernel = new Kernel(config);
        kernel.setReadOnlyFiles(readOnly);
        kernel.setNetwork(networkMode());
        kernel.setRunLimits(limits);
        // A guest blocked in a host call that never returns cannot see a stop request:
        // --timeout and Ctrl-C then end a64emu itself, after the same line, with the same status.
        kernel.setStuckStop((why, line) -> {
            System.out.flush();
            System.err.println(line);
            System.err.flush();
            Runtime.getRuntime().halt(why.status);
        });
        if (kernelLog || logUnimplemented) {
            kernel.kernelLog().setListener(logCopy(logUnimplemented));
        }
        RunTracer tracer = null;
        if (traceFaults || tlbCheck) {
            tracer = new RunTracer(spec.commandLine().getErr(), traceFaults, tlbCheck,
                    Inspection.symbols(Inspection.hostPath(program, root)));
            kernel.setEvents(tracer);
        }
        if (report != null) {
            // In front of --trace-faults/--tlb-check's tracer, which it calls in turn; it notes
            // kills from the log, then --kernel-log copies the line.
            kernel.setEvents(report.attach(kernel, tracer != null ? tracer : GuestEvents.NONE));
            kernel.kernelLog().setListener(report.logListener(logCopy(logUnimplemented)));
        }
        if (straceOut != null) {
            // In front of all the other listeners, which it calls in turn.
            kernel.setEvents(new Strace(kernel, straceOut, kernel.events()));
        }
        GdbStub gdbStub = gdb == null ? null : waitForGdb();
        if (gdbStub != null) {
            gdbStub.attach(kernel);
        }
        int status;
        try (RunInterrupt ctrlC = new RunInterrupt(kernel)) {
            status = kernel.run(Path.of(program), argv, a64emu.environment);
        }
        if (gdbStub != null) {
            gdbStub.finish(status);
        }
        if (report != null) {
            writeReport(report, status);
        }
        if (straceFile != null) {
            straceOut.close();
        }
        try {
            a64emu.stdout.flush();
            a64emu.stderr.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tracer != null) {
            PrintWriter err = spec.commandLine().getErr();
            tracer.summary().forEach(err::println);
            err.flush();
        }
        if (stats) {
            PrintWriter err = spec.commandLine().getErr();
            err.print(StatsReport.format(kernel.stats()));
            if (kernel.jit() != null) {
                err.print(StatsReport.jit(kernel.jit().stats()));
            }
            err.flush();
        }
        return status;
    }

    /**
     * --sysroot (or A64EMU_LD_PREFIX) as a guest path: a host directory made absolute without
     * --root, a path inside the root with it; null for the default lookup.
     */
    private String sysrootPath() {
        String dir = sysroot;
        String from = "--sysroot";
        if (dir == null) {
            dir = System.getenv(SYSROOT_ENV);
            from = SYSROOT_ENV;
        }
        if (dir == null || dir.isEmpty()) {
            return null;
        }
        if (root != null) {
            Path inside = root.resolve(dir.startsWith("/") ? dir.substring(1) : dir);
            if (!Files.isDirectory(inside)) {
                throw new ParameterException(spec.commandLine(), from + ": '" + dir + "' is not a directory inside --root "
                        + root);
            }
            return dir.startsWith("/") ? dir : "/" + dir;
        }
        Path host = Path.of(dir).toAbsolutePath().normalize();
        if (!Files.isDirectory(host)) {
            throw new ParameterException(spec.commandLine(), from + ": '" + dir + "' is not a directory");
        }
        return host.toString();
    }

    /** --gdb: listens and waits for gdb's connection; a bad PORT is a usage error. */
    private GdbStub waitForGdb() {
        try {
            return GdbStub.accept(gdb, spec.commandLine().getErr(),
                    Inspection.hostPath(program, root).toAbsolutePath().toString());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--gdb': " + e.getMessage());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--gdb " + gdb + ": cannot listen: " + e.getMessage());
        }
    }

    /** --log's items: true for 'unimp'; anything else is a usage error. */
    private boolean logItems() {
        boolean unimp = false;
        for (String item : log) {
            if (!item.equals("unimp")) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--log': '" + item
                        + "' (the kernel notices a64emu can log: unimp)");
            }
            unimp = true;
        }
        return unimp;
    }

    /**
     * What of the kernel log goes to stderr as it is written: everything as dmesg prints it
     * with --kernel-log, else with --log unimp the notices of unimplemented calls as they are.
     */
    private Consumer<KernelLog.Message> logCopy(boolean unimplemented) {
        if (kernelLog) {
            return dmesgCopy();
        }
        if (!unimplemented) {
            return m -> { };
        }
        PrintWriter err = spec.commandLine().getErr();
        return m -> {
            if (Syscalls.isUnimplementedNotice(m.text())) {
                err.println(m.text());
                err.flush();
            }
        };
    }

    /** --strace's output: stderr, or --strace-file's FILE, created now (a usage error if it cannot be). */
    private PrintWriter openStrace() {
        if (straceFile == null) {
            return strace ? spec.commandLine().getErr() : null;
        }
        try {
            return new PrintWriter(Files.newBufferedWriter(straceFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--strace-file: cannot write '" + straceFile + "': "
                    + (e instanceof NoSuchFileException ? "no such directory"
                    : e instanceof AccessDeniedException ? "permission denied" : e.getMessage()));
        }
    }

    /** --kernel-log: each message to stderr as it is written, as dmesg prints it. */
    private Consumer<KernelLog.Message> dmesgCopy() {
        PrintWriter err = spec.commandLine().getErr();
        return m -> {
            err.println(m.dmesgLine());
            err.flush();
        };
    }

    /** --report's file, created now: one that cannot be written is a usage error before the guest runs. */
    private PressureReport openReport() {
        if (reportFile == null) {
            return null;
        }
        if (reportIntervalMillis < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--report-interval': "
                    + reportIntervalMillis + " is not a positive number of milliseconds");
        }
        // The whole command line as typed, "run" and the options included.
        List<String> command = new ArrayList<>(List.of("a64emu"));
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        try {
            return PressureReport.open(reportFile, reportIntervalMillis, String.join(" ", command));
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), "--report: cannot write '" + reportFile
                    + "': no such directory");
        } catch (AccessDeniedException e) {
            throw new ParameterException(spec.commandLine(), "--report: cannot write '" + reportFile
                    + "': permission denied");
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--report: cannot write '" + reportFile + "': "
                    + e.getMessage());
        }
    }

    /** Writes the report after the run; a failure now is said, the guest's status stays. */
    private void writeReport(PressureReport report, int status) {
        try {
            report.finish(status);
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("a64emu: --report: cannot write '" + report.file() + "': " + e.getMessage());
            err.flush();
        }
    }

    /**
     * Hands every argument after PROGRAM to the guest untouched. Stopping at the first
     * positional already keeps a64emu from reading them as options; this also keeps
     * picocli from dropping a lone empty argument, which a program may well be given.
     */
    static final class Verbatim implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> remaining, CommandSpec command, ArgSpec argSpec,
                                  Map<String, Object> info) {
            List<String> verbatim = new ArrayList<>();
            while (!remaining.isEmpty()) {
                verbatim.add(remaining.pop());
            }
            argSpec.setValue(verbatim);
            return true;
        }
    }

    /** --lmk: lmkd's policy; a bad minfree table is a usage error, before the guest starts. */
    static final class LmkPolicy implements ITypeConverter<LmkConfig> {
        @Override
        public LmkConfig convert(String value) {
            try {
                return LmkConfig.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Only the two VA sizes the MMU implements. */
    static final class VaBits implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return switch (value.trim()) {
                case "39" -> 39;
                case "48" -> 48;
                default -> throw new TypeConversionException("'" + value + "' is not 39 or 48");
            };
        }
    }
}
