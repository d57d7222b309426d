package a64emu.tools;

import a64emu.guest.Kernel;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code a64emu} command. An instance carries what a process is given by
 * its parent (standard streams and environment), so that tests can run the
 * whole command line in-process with their own.
 */
@Command(name = "a64emu",
        mixinStandardHelpOptions = true,
        versionProvider = A64emu.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Runs unmodified AArch64 Linux programs (static or dynamically linked) on the JVM. Every load, store and "
                + "instruction fetch of the guest goes through an emulated ARMv8-A MMU that walks "
                + "translation tables kept in emulated RAM; a Java guest kernel plays Linux.",
            ""},
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success (for 'run': the guest's own exit status, 128+N if signal N killed it)",
            "2:invalid command line",
            "134:the emulator itself failed (a bug; the message gives the guest pc), or the guest aborted"})
public final class A64emu implements Callable<Integer> {
    /** The commands, in the order --help lists them (added by {@link #commandLine}, not by the annotation). */
    private static final List<Class<?>> COMMANDS = List.of(RunCommand.class, WalkCommand.class, PtdumpCommand.class,
            DisasmCommand.class, DebugCommand.class, a64emu.tools.difftest.DifftestCommand.class, MmuTestCommand.class,
            BinfmtCommand.class, CommandLine.HelpCommand.class);

    /** An internal error, as opposed to anything the guest did: the kernel's status for its own bugs. */
    static final int EXIT_EMULATOR_FAILURE = Kernel.STATUS_EMULATOR_BUG;

    final InputStream stdin;
    final OutputStream stdout;
    final OutputStream stderr;
    final List<String> environment;

    @Spec
    CommandSpec spec;

    /**
     * @param environment the guest's environment, "NAME=value" entries in order
     */
    public A64emu(InputStream stdin, OutputStream stdout, OutputStream stderr, List<String> environment) {
        this.stdin = Objects.requireNonNull(stdin);
        this.stdout = Objects.requireNonNull(stdout);
        this.stderr = Objects.requireNonNull(stderr);
        this.environment = List.copyOf(environment);
    }

    public static void main(String[] args) {
        // Unbuffered file descriptors: each guest write(2) becomes one host write, so
        // the guest's stdout and stderr interleave as they would under Linux.
        A64emu a64emu = new A64emu(new FileInputStream(FileDescriptor.in),
                new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err),
                HostEnvironment.entries());
        System.exit(a64emu.execute(HostEnvironment.arguments(args)));
    }

    /** Parses {@code args}, runs the command, and returns the process exit status. */
    public int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The command line that parses {@code args}. Picocli reads a command's options by reflection
     * when the command is added, which took a good part of every run's start; so when the first
     * argument names a command, other than help (which reads the others), only that command is
     * added: picocli takes that argument for it either way and parses the rest the same. A lone
     * --version (or -V) needs none.
     */
    CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(this);
        // Before the settings below, which picocli applies to the commands added so far.
        String first = args.length > 0 ? args[0] : null;
        boolean versionOnly = args.length == 1 && (first.equals("--version") || first.equals("-V"));
        boolean one = first != null && !first.equals("help") && COMMANDS.stream().anyMatch(c -> nameOf(c).equals(first));
        for (Class<?> command : COMMANDS) {
            if (!versionOnly && (!one || nameOf(command).equals(first))) {
                cl.addSubcommand(command);
            }
        }
        // Everything after PROGRAM belongs to the guest, even "--help" or "@file".
        cl.setStopAtPositional(true);
        cl.setExpandAtFiles(false);
        cl.setOut(new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true));
        cl.setParameterExceptionHandler(A64emu::usageError);
        // The kernel reports its own bugs inside the guest's run; this catches the rest
        // (loading, set-up) with the same status and the same A64EMU_DEBUG convention.
        cl.setExecutionExceptionHandler((e, command, parseResult) -> {
            PrintWriter err = command.getErr();
            err.println("a64emu: emulator bug outside the guest's run: " + e);
            if (environment.contains("A64EMU_DEBUG=1")) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                err.print(trace);
            } else {
                err.println("a64emu: set A64EMU_DEBUG=1 for the Java stack trace");
            }
            err.flush();
            return EXIT_EMULATOR_FAILURE;
        });
        return cl;
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /** A usage error, said briefly as GNU tools do: the problem, the synopsis, where to read more. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("a64emu: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.print(command.getHelp().fullSynopsis());
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: try 'a64emu run PROGRAM'");
    }

    /** The version Maven built, from a filtered resource (present in tests and in the jar). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = A64emu.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing from the class path");
                }
                p.load(in);
            }
            return new String[] {
                "a64emu " + p.getProperty("version"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
