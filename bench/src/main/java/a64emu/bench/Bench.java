package a64emu.bench;

import a64emu.guest.RunStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The benchmark harness behind {@code bench/run}: page-fault service (zero-fill and swap-in)
 * of a64emu against qemu-aarch64 measured in the same run, zRAM against raw lz4-java on
 * the same pages (JMH), and whole benchmark programs on a64emu, qemu-aarch64, Unicorn and
 * natively ({@link SpeedBench}). Prints one table per part, every figure with the peer's figure
 * beside it and their ratio.
 */
public final class Bench {
    private static final String USAGE = """
            usage: bench/run [OPTION]...
              --only LIST        parts to run, comma-separated: zero, swapin, zram, anatomy, speed
                                 (default: zero, swapin, zram)
              --pages N          pages each zero-fill round touches (default 4096)
              --rounds N         rounds per zero-fill run (default 32)
              --swap-pages N     pages the swap-in program pages out and back per round (default 2048)
              --swap-rounds N    rounds per swap-in run (default 8)
              --warmup N         a64emu runs in this JVM before the measured ones (default 6)
              --runs N           measured runs per program and emulator (default 3)
              --ram SIZE         the guest's --ram, in MiB (default 1024)
              --qemu PATH        the peer (default qemu-aarch64; 'none' skips it)
              --program PATH     the guest program (default bench/programs/bin/faultbench)
              --elf PATH         the ELF whose pages the zRAM corpus holds (default guest/programs/bin/hello)
              --corpus LIST      zRAM corpora, comma-separated (default: mix,same,elf,text,data,random)
              --jmh-warmup N     JMH warm-up iterations of 1 s (default 2)
              --jmh-iterations N JMH measured iterations of 1 s (default 3)
              --speed-runs N     speed: runs per program and engine, the best counts (default 3)
              --programs LIST    speed: the programs (default: hash,sieve,sort,matmul,ptrchase,pagetouch,
                                 fp,neon,syscall)
              --engines LIST     speed: the engines (default: jit,interp,qemu,unicorn,native)
              --a64emu-jar PATH  speed: the a64emu command line's jar (default tools/BUILD_DIR/a64emu.jar,
                                 BUILD_DIR from A64EMU_BUILD_DIR as bench/run builds it)
              --quick            fewer rounds and runs, the mix corpus only: a smoke run
              --verbose          every round's rate
            """;

    private final Map<String, String> options = new LinkedHashMap<>();
    private final Set<String> parts = new LinkedHashSet<>(List.of("zero", "swapin", "zram"));
    private boolean verbose;

    public static void main(String[] args) throws RunnerException {
        Bench bench = new Bench();
        if (!bench.parse(args)) {
            System.err.print(USAGE);
            System.exit(2);
        }
        bench.run();
    }

    private boolean parse(String[] args) {
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--verbose" -> verbose = true;
                case "-h", "--help" -> {
                    return false;
                }
                default -> {
                    if (!a.startsWith("--") || i + 1 == args.length) {
                        System.err.println("bench: unknown argument '" + a + "'");
                        return false;
                    }
                    options.put(a.substring(2), args[++i]);
                }
            }
        }
        if (quick) {
            options.putIfAbsent("rounds", "8");
            options.putIfAbsent("swap-rounds", "4");
            options.putIfAbsent("warmup", "2");
            options.putIfAbsent("runs", "2");
            options.putIfAbsent("corpus", "mix");
            options.putIfAbsent("jmh-warmup", "1");
            options.putIfAbsent("jmh-iterations", "2");
            options.putIfAbsent("speed-runs", "1");
        }
        if (options.containsKey("only")) {
            parts.clear();
            for (String p : options.get("only").split(",")) {
                if (!List.of("zero", "swapin", "zram", "anatomy", "speed").contains(p)) {
                    System.err.println("bench: no part '" + p + "'");
                    return false;
                }
                parts.add(p);
            }
        }
        String wrong = SpeedBench.checkNames(list(option("programs", "")), list(option("engines", "")));
        if (wrong != null) {
            System.err.println("bench: " + wrong);
            return false;
        }
        return true;
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private int intOption(String name, int fallback) {
        return Integer.parseInt(option(name, Integer.toString(fallback)));
    }

    private void run() throws RunnerException {
        String qemu = option("qemu", "qemu-aarch64");
        String qemuVersion = qemu.equals("none") ? null : FaultBench.qemuVersion(qemu);
        System.out.printf(Locale.ROOT, "a64emu bench: %d cores, %s %s, max heap %d MiB; peer: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                qemuVersion == null ? "none" : qemuVersion);
        Path program = Path.of(option("program", "bench/programs/bin/faultbench"));
        if ((parts.contains("zero") || parts.contains("swapin")) && !Files.isRegularFile(program)) {
            throw new IllegalArgumentException("no guest program at " + program.toAbsolutePath());
        }
        List<String[]> rows = new ArrayList<>();
        if (parts.contains("zero")) {
            rows.add(faultRow("zero-fill write fault", program, "zero", intOption("pages", 4096),
                    intOption("rounds", 32), qemuVersion == null ? null : qemu, s -> s.faults().zeroFill()));
        }
        if (parts.contains("swapin")) {
            rows.add(faultRow("swap-in read fault (zram)", program, "swapin", intOption("swap-pages", 2048),
                    intOption("swap-rounds", 8), qemuVersion == null ? null : qemu,
                    s -> s.faults().swapIn() + s.faults().swapCache()));
        }
        if (!rows.isEmpty()) {
            System.out.println();
            System.out.printf(Locale.ROOT, "Page-fault service: faultbench, median round of %d measured runs after "
                    + "%d warm-up runs; rate = pages touched / touch-loop time%n", intOption("runs", 3),
                    intOption("warmup", 6));
            printTable(new String[] {"benchmark", "a64emu faults/s", "(min..max)", "first run", "us/fault",
                    "cpu us/fault", "faults/page", "qemu faults/s", "a64emu/qemu"}, rows);
            System.out.println("  first run: the median round of the first run in a fresh JVM (a64emu warming up); "
                    + "us/fault: 1 / the median rate;");
            System.out.println("  cpu us/fault: host CPU time of the whole measured runs (start-up, mmap, munmap "
                    + "included) per fault the guest kernel counted.");
            if (parts.contains("swapin")) {
                System.out.println("  swap-in under qemu: the host has no swap, so MADV_PAGEOUT leaves the pages"
                        + " resident and its touch loop takes no fault: not a like-for-like peer.");
            }
        }
        if (parts.contains("zram")) {
            zram();
        }
        if (parts.contains("anatomy")) {
            anatomy();
        }
        if (parts.contains("speed")) {
            speed(qemuVersion == null ? "none" : qemu);
        }
    }

    /** Whole benchmark programs on every engine ({@link SpeedBench}). */
    private void speed(String qemu) {
        String buildDir = System.getProperty("a64emu.buildDir", "target");
        new SpeedBench(new SpeedBench.Settings(Path.of("bench/programs/bin"), Path.of("a64emu").toAbsolutePath(),
                Path.of(option("a64emu-jar", "tools/" + buildDir + "/a64emu.jar")).toAbsolutePath(), qemu,
                Path.of("bench", buildDir, "native").toAbsolutePath(), Path.of("guest/programs/bin/hello"),
                intOption("speed-runs", 3), list(option("programs", "")), list(option("engines", "")), verbose))
                .run();
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated.isEmpty() ? List.of() : List.of(commaSeparated.split(","));
    }

    private String[] faultRow(String name, Path program, String mode, int pages, int rounds, String qemu,
                              ToLongFunction<RunStats> faults) {
        List<String> args = List.of(mode, Integer.toString(pages), Integer.toString(rounds));
        long ram = (long) intOption("ram", 1024) << 20;
        int warmup = intOption("warmup", 6);
        int runs = intOption("runs", 3);
        progress("%s: a64emu, %d warm-up + %d measured runs of %d rounds x %d pages", name, warmup, runs, rounds,
                pages);
        FaultBench.GuestRun first = null;
        for (int i = 0; i < warmup; i++) {
            FaultBench.GuestRun r = FaultBench.a64emu(program, args, ram);
            first = first == null ? r : first;
            if (verbose) {
                progress("  warm-up %d: %s faults/s", i, FaultBench.describe(r));
            }
        }
        List<FaultBench.GuestRun> measured = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            FaultBench.GuestRun r = FaultBench.a64emu(program, args, ram);
            measured.add(r);
            if (verbose) {
                progress("  run %d: %s faults/s", i, FaultBench.describe(r));
            }
        }
        FaultBench.Summary a = FaultBench.Summary.of(measured, faults);
        FaultBench.Summary cold = FaultBench.Summary.of(List.of(first == null ? measured.get(0) : first), faults);
        String qemuRate = "-";
        String ratio = "-";
        if (qemu != null) {
            progress("%s: %s, 1 warm-up + %d measured runs", name, qemu, runs);
            FaultBench.qemu(qemu, program, args);
            List<FaultBench.GuestRun> peer = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                FaultBench.GuestRun r = FaultBench.qemu(qemu, program, args);
                peer.add(r);
                if (verbose) {
                    progress("  run %d: %s faults/s", i, FaultBench.describe(r));
                }
            }
            FaultBench.Summary q = FaultBench.Summary.of(peer, faults);
            qemuRate = count(q.median());
            ratio = String.format(Locale.ROOT, "%.2fx", a.median() / q.median());
        }
        return new String[] {name, count(a.median()), "(" + count(a.min()) + ".." + count(a.max()) + ")",
                count(cold.median()),
                String.format(Locale.ROOT, "%.2f", 1e6 / a.median()),
                String.format(Locale.ROOT, "%.2f", a.cpuNanosPerFault() / 1e3),
                String.format(Locale.ROOT, "%.3f", a.faultsPerPage()), qemuRate, ratio};
    }

    private void zram() throws RunnerException {
        List<String> corpora = List.of(option("corpus", String.join(",", PageCorpus.KINDS)).split(","));
        Path elf = Path.of(option("elf", "guest/programs/bin/hello")).toAbsolutePath();
        int warmup = intOption("jmh-warmup", 2);
        int iterations = intOption("jmh-iterations", 3);
        progress("zRAM vs raw lz4-java: JMH, %d corpora x 4 benchmarks, 1 fork, %d+%d iterations of 1 s",
                corpora.size(), warmup, iterations);
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include(ZramBench.class.getName() + "\\.")
                .param("corpus", corpora.toArray(new String[0]))
                .forks(1)
                .warmupIterations(warmup)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-D" + ZramBench.ELF_PROPERTY + "=" + elf)
                .shouldFailOnError(true)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
        Map<String, Map<String, Double>> score = new LinkedHashMap<>();
        for (RunResult r : new Runner(opts.build()).run()) {
            String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            score.computeIfAbsent(r.getParams().getParam("corpus"), c -> new LinkedHashMap<>())
                    .put(method, r.getPrimaryResult().getScore());
        }
        List<String[]> rows = new ArrayList<>();
        for (String c : corpora) {
            Map<String, Double> s = score.get(c);
            if (s == null) {
                continue;
            }
            rows.add(new String[] {c, mibs(s.get("zramWrite")), mibs(s.get("lz4Compress")),
                    percent(s.get("zramWrite") / s.get("lz4Compress")), mibs(s.get("zramRead")),
                    mibs(s.get("lz4Decompress")), percent(s.get("zramRead") / s.get("lz4Decompress"))});
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "zRAM vs raw lz4-java on the same %d pages of 4 KiB (JMH throughput, MiB/s of "
                + "uncompressed pages; goal: zRAM >= 70%% of lz4)%n", PageCorpus.PAGES);
        printTable(new String[] {"corpus", "zram write", "lz4 compress", "write/lz4", "zram read", "lz4 decompress",
                "read/lz4"}, rows);
    }

    /** The machine's pieces of one fault ({@link FaultAnatomy}), in nanoseconds each. */
    private void anatomy() throws RunnerException {
        int warmup = intOption("jmh-warmup", 2);
        int iterations = intOption("jmh-iterations", 5);
        progress("fault anatomy: JMH, 6 benchmarks, 1 fork, %d+%d iterations of 1 s", warmup, iterations);
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include(FaultAnatomy.class.getName() + "\\.")
                .forks(1)
                .warmupIterations(warmup)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
        List<String[]> rows = new ArrayList<>();
        for (RunResult r : new Runner(opts.build()).run()) {
            String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            double best = Double.MAX_VALUE;
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                for (IterationResult i : b.getIterationResults()) {
                    best = Math.min(best, i.getPrimaryResult().getScore());
                }
            }
            rows.add(new String[] {method, String.format(Locale.ROOT, "%.1f", best),
                    String.format(Locale.ROOT, "%.1f", r.getPrimaryResult().getScore())});
        }
        System.out.println();
        System.out.println("Fault anatomy: the machine's pieces of a zero-fill fault, one STR X0, [X1] (JMH, ns per op;"
                + " best iteration, which other processes on the machine disturbed least, and the mean)");
        printTable(new String[] {"benchmark", "best ns/op", "mean ns/op"}, rows);
    }

    private static String mibs(double pagesPerSecond) {
        return String.format(Locale.ROOT, "%.0f", pagesPerSecond * PageCorpus.PAGE_SIZE / (1 << 20));
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    private static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }

    /** Aligned columns: the first left-aligned, the rest right-aligned. */
    static void printTable(String[] header, List<String[]> rows) {
        int[] width = new int[header.length];
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (String[] row : all) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : all) {
            StringBuilder b = new StringBuilder("  ");
            for (int c = 0; c < row.length; c++) {
                String cell = row[c];
                String pad = " ".repeat(width[c] - cell.length());
                b.append(c == 0 ? cell + pad : pad + cell);
                if (c + 1 < row.length) {
                    b.append("  ");
                }
            }
            System.out.println(b);
        }
    }
}
