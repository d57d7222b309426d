package a64emu.tools.difftest;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code a64emu difftest}: random instructions on a64emu and on Unicorn, compared. */
@Command(name = "difftest",
        sortOptions = false,
        description = {
            "Differential test of the instruction set: random valid encodings of every decoder class, "
                + "with random register, flag, FPCR/FPSR, vector and memory state, executed one "
                + "instruction at a time on a64emu (its interpreter, or its JIT with --engine jit) and on "
                + "Unicorn 1.0.14 (QEMU 2.2, in-process, MMU off), "
                + "comparing X0-X30, SP, PC, NZCV, V0-V31, FPCR, FPSR, TPIDR_EL0 and memory written.",
            "Each mismatch is printed as one line that starts with the command replaying it.",
            ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:no mismatches", "1:mismatches found", "2:invalid command line"})
public final class DifftestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--cases", paramLabel = "N", description = "Cases to run (default: ${DEFAULT-VALUE}).")
    long cases = 100_000;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--class", paramLabel = "NAME", description = "Only this decoder class (see --list-classes).")
    String className;

    @Option(names = "--encoding", paramLabel = "NAME", description = "Only this encoding of the decoder table.")
    String encodingName;

    @Option(names = "--post-v8.0", description = "Only encodings of extensions after ARMv8.0 (what Unicorn lacks).")
    boolean postV80;

    @Option(names = "--case", paramLabel = "K", description = "Run the single case K (replays a mismatch line).")
    Long singleCase;

    @Option(names = "--first", paramLabel = "K", description = "Index of the first case (default: ${DEFAULT-VALUE}).")
    long first;

    @Option(names = "--list-classes", description = "List the decoder classes and their encodings, then exit.")
    boolean listClasses;

    @Option(names = "--show", paramLabel = "N", description = "Mismatch lines to print (default: ${DEFAULT-VALUE}).")
    int show = 20;

    @Option(names = "--mismatch-file", paramLabel = "FILE", description = "Append every mismatch line to FILE.")
    Path mismatchFile;

    @Option(names = "--oracle", paramLabel = "ENGINE",
            description = "unicorn (in-process, default), qemu (qemu-aarch64 running a generated guest "
                    + "program; needs qemu-user and aarch64-linux-gnu-gcc), or unicorn+qemu (Unicorn, and "
                    + "qemu-aarch64 for the cases Unicorn lacks or has a documented quirk in).")
    String oracleName = "unicorn";

    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "a64emu's side: interp (the interpreter, default) or jit (the translator: each case's "
                    + "instruction translated on its first execution, as a unit of its own, so every class goes "
                    + "through the JIT's code generation against the same oracle).")
    String engineName = "interp";

    @Option(names = "--record", paramLabel = "FILE",
            description = "With --oracle qemu: write every case and qemu's outcome to FILE (test vectors).")
    Path recordFile;

    @Option(names = "--work-dir", paramLabel = "DIR", hidden = true,
            description = "Where the qemu oracle builds its guest program (default: a temporary directory).")
    Path workDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (listClasses) {
            for (DecoderClass c : DecoderClass.all()) {
                out.printf("%-26s %3d encodings: %s%n", c.name(), c.encodings().size(),
                        String.join(" ", c.encodings().stream().map(e -> e.name()).toList()));
            }
            out.flush();
            return 0;
        }
        List<DecoderClass> classes;
        String selection = "";
        try {
            if (encodingName != null) {
                classes = List.of(DecoderClass.ofEncoding(encodingName));
                selection = " --encoding " + encodingName;
            } else if (postV80) {
                classes = DecoderClass.postV80();
                selection = " --post-v8.0";
            } else if (className != null) {
                classes = List.of(DecoderClass.named(className));
                selection = " --class " + className;
            } else {
                classes = DecoderClass.all();
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        A64emuRunner.Engine engine;
        try {
            engine = A64emuRunner.Engine.named(engineName);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        long from = singleCase != null ? singleCase : first;
        long count = singleCase != null ? 1 : cases;
        if (!oracleName.equals("unicorn")) {
            selection += " --oracle " + oracleName;
        }
        Difftest run = new Difftest(seed, classes, selection, engine);
        int[] printed = {0};
        Consumer<String> sink = line -> {
            if (printed[0]++ < show || singleCase != null) {
                out.println(line);
            }
            if (mismatchFile != null) {
                append(mismatchFile, line);
            }
        };
        long start = System.nanoTime();
        boolean both = oracleName.equals("unicorn+qemu");
        try (Oracle oracle = oracle(both ? "unicorn" : oracleName, run.memory());
             Oracle second = both ? oracle("qemu", run.memory()) : null;
             PrintWriter record = recordFile == null ? null : new PrintWriter(Files.newBufferedWriter(recordFile))) {
            if (record != null) {
                QemuVectors.writeHeader(record, seed, "a64emu difftest --seed " + seed + selection
                        + " --first " + from + " --cases " + count);
            }
            out.printf("oracle: %s%n", oracle.name());
            if (engine == A64emuRunner.Engine.JIT) {
                out.printf("a64emu engine: jit (threshold 0, units of %d instruction)%n",
                        A64emuRunner.CASE_INSTRUCTIONS);
            }
            if (second != null) {
                out.printf("second oracle: %s%n", second.name());
            }
            run.run(oracle, second, from, count, oracle instanceof QemuOracle ? QemuOracle.BATCH : 1, out, sink,
                    record == null ? null : (c, o) -> record.println(QemuVectors.line(c, o)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run.report().printSummary(out, (System.nanoTime() - start) / 1e9, run.generator().rejected());
        if (engine == A64emuRunner.Engine.JIT) {
            out.printf("jit: %d cases ran as a translated unit, %d of them through the interpreter's semantics "
                    + "(instructions the translator does not generate code for)%n", run.translatedCases(),
                    run.fallbackCases());
        }
        return run.report().mismatchCount() == 0 ? 0 : 1;
    }

    private Oracle oracle(String name, ScratchMemory memory) throws IOException {
        if (recordFile != null && !oracleName.equals("qemu")) {
            throw new ParameterException(spec.commandLine(), "--record goes with --oracle qemu");
        }
        switch (name) {
            case "unicorn":
                return new UnicornRunner(memory);
            case "qemu":
                if (!QemuOracle.available()) {
                    throw new ParameterException(spec.commandLine(),
                            "--oracle qemu needs qemu-aarch64 and aarch64-linux-gnu-gcc on the PATH");
                }
                return new QemuOracle(memory, workDir != null ? workDir : Files.createTempDirectory("a64emu-qemu-oracle"));
            default:
                throw new ParameterException(spec.commandLine(), "--oracle must be unicorn, qemu or unicorn+qemu, not " + oracleName);
        }
    }

    private static void append(Path file, String line) {
        try {
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
