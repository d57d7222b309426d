package a64emu.tools;

import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.Process;
import a64emu.guest.loader.ElfSymbols;
import a64emu.mmu.AccessType;
import a64emu.mmu.Mmu;
import a64emu.tools.debug.DebugSession;
import a64emu.tools.debug.console.Console;
import a64emu.tools.debug.console.LineSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code a64emu debug}: a program under a console debugger that knows the MMU and the kernel:
 * gdb's breakpoints, steps, watchpoints and examine, plus the translation tables, the TLB, the
 * last fault and the kernel's processes and signals.
 */
@Command(name = "debug",
        sortOptions = false,
        description = {
            "Runs a static AArch64 Linux program under a console debugger.",
            "The program stops before its first instruction; type 'help' for the commands: gdb's "
                + "break, tbreak, watch, step, next, finish, until, continue, x/FMT, disas, bt, regs, "
                + "and the machine's own: info maps, walk, tlb, fault, info threads, info processes, signal. "
                + "The guest's output goes to stdout and stderr as with 'run'. By default the guest stops "
                + "before a fault signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP) is delivered.",
            ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "N:the guest's exit status as 'run' reports it (137 if the debugger killed it)",
            "2:invalid command line"})
public final class DebugCommand implements Callable<Integer> {
    @ParentCommand
    A64emu a64emu;

    @Spec
    CommandSpec spec;

    @Option(names = "-x", paramLabel = "FILE",
            description = "Execute the debugger commands in FILE first, then read the console (stdin) "
                    + "unless --batch.")
    Path commandFile;

    @Option(names = "--batch",
            description = "Read commands only from -x FILE (or stdin without -x) and exit at the end of them, "
                    + "like gdb -batch; a guest still stopped then is killed.")
    boolean batch;

    @Option(names = "--stop-on", paramLabel = "EVENT",
            description = "Also stop at EVENT. 'page-fault': every MMU fault, before the kernel handles it, "
                    + "those it resolves too (demand paging, copy-on-write, access flag).")
    List<String> stopOn = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the guest kernel's random numbers, as for 'run'.")
    long seed = KernelConfig.DEFAULT_SEED;

    @Option(names = "--no-aslr", description = "Do not randomise the address-space layout, as for 'run'.")
    boolean noAslr;

    @Mixin
    MachineOptions machine;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The static AArch64 ELF executable to debug.")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARGS", preprocessor = RunCommand.Verbatim.class,
            description = "Arguments for the program (its argv[1..]).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        boolean stopOnPageFaults = false;
        for (String event : stopOn) {
            if (!event.equals("page-fault")) {
                throw new ParameterException(spec.commandLine(), "--stop-on: unknown event '" + event
                        + "' (known: page-fault)");
            }
            stopOnPageFaults = true;
        }
        if (machine.root != null && !Files.isDirectory(machine.root)) {
            throw new ParameterException(spec.commandLine(), "--root: '" + machine.root + "' is not a directory");
        }
        LineSource input;
        try {
            input = LineSource.of(commandFile, commandFile == null || !batch ? a64emu.stdin : null, batch);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "-x: cannot read '" + commandFile + "': "
                    + e.getMessage());
        }
        KernelConfig config;
        try {
            config = new KernelConfig(machine.ramBytes, machine.vaBits, machine.root, a64emu.stdin, a64emu.stdout,
                    a64emu.stderr, seed, !noAslr).withMemory(machine.memory());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        HeapCheck.requireRoomFor(config, spec.commandLine());

        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(args);
        Kernel kernel = new Kernel(config);
        PrintWriter out = spec.commandLine().getOut();
        ElfSymbols symbols = Inspection.symbols(Inspection.hostPath(program, machine.root));
        Console console = new Console(out, input, symbols);
        DebugSession session = new DebugSession(kernel, console, null);
        session.setStopOnPageFaults(stopOnPageFaults);
        console.attach(session);
        int status = kernel.run(Path.of(program), argv, a64emu.environment);
        console.finished(status);
        try {
            a64emu.stdout.flush();
            a64emu.stderr.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
        return status;
    }

    /**
     * The printers of {@code walk} and {@code ptdump} for a live process, as text: the debugger
     * ({@link a64emu.tools.debug.Inspect}) shows the same tables as the commands do.
     */
    public static final class Printers {
        private Printers() {}

        /** {@code a64emu walk}'s output for {@code va}; {@code mmu} must have {@code p}'s tables installed. */
        public static String walk(Process p, Mmu mmu, String where, ElfSymbols symbols, long va, AccessType access) {
            StringWriter text = new StringWriter();
            PrintWriter w = new PrintWriter(text);
            WalkCommand.print(w, new Inspection.Stop(p, mmu, where, symbols), va, access, 0);
            w.flush();
            return text.toString();
        }

        /** {@code a64emu ptdump}'s output; {@code mmu} must have {@code p}'s tables installed. */
        public static String ptdump(Process p, Mmu mmu, String where, ElfSymbols symbols) {
            StringWriter text = new StringWriter();
            PrintWriter w = new PrintWriter(text);
            PtdumpCommand.print(w, new Inspection.Stop(p, mmu, where, symbols));
            w.flush();
            return text.toString();
        }
    }
}
