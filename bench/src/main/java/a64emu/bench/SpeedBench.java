package a64emu.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import unicorn.Unicorn;
import unicorn.UnicornConst;

/**
 * The speed part of {@code bench/run}: whole benchmark programs ({@code programs/src}) timed
 * on a64emu (each engine), qemu-aarch64, Unicorn 1.0.14 in this process and the same source
 * compiled for this x86_64 host, best of N runs each, with the ratios and their geometric
 * means. Every program prints one line, {@code NAME checksum=HEX ns=N}: the checksum must be
 * the same on every engine, and N is the time of its measured kernel by its own
 * {@code clock_gettime(CLOCK_MONOTONIC)}.
 */
final class SpeedBench {
    /** A benchmark program; the freestanding ones (no C library) also run on Unicorn and natively. */
    record Program(String name, boolean freestanding, String what) {
    }

    static final List<Program> PROGRAMS = List.of(
            new Program("hash", true, "FNV-1a and an xxHash-like word hash over 256 KiB"),
            new Program("sieve", true, "sieve of Eratosthenes, 4 Mi bytes"),
            new Program("sort", true, "quicksort and heap sort of 256 Ki keys"),
            new Program("matmul", true, "192x192 integer matrix multiply (vectorised)"),
            new Program("ptrchase", true, "one random cycle through 32 MiB, 3 Mi dependent loads"),
            new Program("pagetouch", true, "mmap 16 MiB, touch each page, munmap; 24 rounds"),
            new Program("fp", false, "n-body and Mandelbrot in double precision (glibc)"),
            new Program("neon", false, "int8 dot product, float FMLA, int16 min/max at -O3 (glibc)"),
            new Program("syscall", false, "getpid, write to /dev/null, clock_gettime; 200,000 times (glibc)"));

    /** The names --engines takes ('a64emu': the one engine of an a64emu without --engine). */
    private static final List<String> ENGINES = List.of("jit", "interp", "a64emu", "qemu", "unicorn", "native");
    /** A whole run of guest/programs/bin/hello, a glibc program, beside the start-up probe. */
    private static final Program HELLO = new Program("hello", false, "Hello from AArch64 (glibc)");
    /** The start-up probe: prints CLOCK_REALTIME as its first act. */
    private static final String STARTUP = "startup";
    private static final Pattern RESULT = Pattern.compile("^(\\S+) checksum=([0-9a-f]+) ns=(\\d+)$", Pattern.MULTILINE);
    private static final Pattern STARTED = Pattern.compile("^startup realtime_ns=(\\d+)$", Pattern.MULTILINE);
    /** The first line of a64emu's {@code run --stats} (tools' StatsReport). */
    private static final Pattern STATS = Pattern.compile(
            "a64emu: (\\d+) instructions in ([0-9.]+) s \\(([0-9.]+) MIPS\\)");
    private static final long TIMEOUT_SECONDS = 600;

    /** One run of one program on one engine; {@code instructions} and {@code mips} are a64emu's only. */
    record Run(String checksum, long kernelNanos, long wallNanos, long instructions, double mips, List<String> jitLines) {
    }

    /** How one engine runs a program: a process, or Unicorn in this JVM. */
    interface Engine {
        /** The column heading. */
        String name();

        boolean runs(Program p);

        /** Runs {@code program} once; the result's wall time is the engine's whole run. */
        Outcome run(Path program);
    }

    /** An engine that is a process: {@code command} makes its command line for a program. */
    record ProcessEngine(String name, boolean freestandingOnly, Function<Path, List<String>> command,
                         Map<String, String> env) implements Engine {
        @Override
        public boolean runs(Program p) {
            return !freestandingOnly || p.freestanding();
        }

        @Override
        public Outcome run(Path program) {
            return spawn(command.apply(program), env);
        }
    }

    /** Unicorn 1.0.14 in this JVM ({@link UnicornRun}): freestanding programs only. */
    record UnicornEngine() implements Engine {
        @Override
        public String name() {
            return "unicorn";
        }

        @Override
        public boolean runs(Program p) {
            return p.freestanding();
        }

        @Override
        public Outcome run(Path program) {
            Instant started = Instant.now();
            UnicornRun.Result r = UnicornRun.run(program);
            if (r.status() != 0) {
                throw new IllegalStateException("exit status " + r.status() + ": " + r.stdout().strip());
            }
            return new Outcome(r.stdout(), "", r.wallNanos(), epochNanos(started));
        }
    }

    /** A run's stdout and stderr, its wall time, and the epoch nanoseconds just before it started. */
    record Outcome(String stdout, String stderr, long wallNanos, long startedEpochNanos) {
    }

    /** Where things are and how many runs: from bench/run's options. */
    record Settings(Path programs, Path launcher, Path a64emuJar, String qemu, Path nativeDir, Path hello, int runs,
                    List<String> only, List<String> engines, boolean verbose) {
    }

    private final Settings settings;
    private final List<Engine> engines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private boolean engineOption;

    SpeedBench(Settings settings) {
        this.settings = settings;
    }

    /** What is wrong with the --programs and --engines lists, or null. */
    static String checkNames(List<String> programs, List<String> engines) {
        List<String> names = PROGRAMS.stream().map(Program::name).toList();
        for (String n : programs) {
            if (!names.contains(n)) {
                return "no speed program '" + n + "' (" + String.join(", ", names) + ")";
            }
        }
        for (String e : engines) {
            if (!ENGINES.contains(e)) {
                return "no engine '" + e + "' (" + String.join(", ", ENGINES) + ")";
            }
        }
        return null;
    }

    void run() {
        setUpEngines();
        List<Program> programs = new ArrayList<>();
        for (Program p : PROGRAMS) {
            if (settings.only().isEmpty() || settings.only().contains(p.name())) {
                programs.add(p);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Speed: %d program%s, best of %d run%s on each engine: %s%n", programs.size(),
                programs.size() == 1 ? "" : "s", settings.runs(), settings.runs() == 1 ? "" : "s",
                String.join(", ", engines.stream().map(Engine::name).toList()));
        System.out.println("  load average at the start: " + loadAverage()
                + " (other work on the machine slows every engine, and a64emu's JVM the most)");
        for (Program p : programs) {
            System.out.printf(Locale.ROOT, "  %-10s %s%n", p.name(), p.what());
        }
        for (String n : notes) {
            System.out.println("  " + n);
        }
        startUp();
        Map<Program, Map<String, Best>> results = new LinkedHashMap<>();
        for (Program p : programs) {
            Path binary = settings.programs().resolve(p.name());
            if (!Files.isRegularFile(binary)) {
                throw new IllegalArgumentException("no benchmark program at " + binary.toAbsolutePath()
                        + " (bench/programs/build.sh builds it)");
            }
            Map<String, Best> row = new LinkedHashMap<>();
            for (Engine e : engines) {
                if (e.runs(p)) {
                    row.put(e.name(), measure(e, p));
                }
            }
            results.put(p, row);
        }
        printTimes("Guest-measured kernel time, ms (the program's own CLOCK_MONOTONIC around its measured loop)",
                programs, results, true);
        printTimes("Whole-process wall time, ms (exec to exit, start-up included; unicorn: engine, load and run "
                + "inside this JVM)", programs, results, false);
        printA64emu(programs, results);
        printChecksums(programs, results);
    }

    private void setUpEngines() {
        List<String> wanted = settings.engines();
        boolean haveJar = Files.isRegularFile(settings.a64emuJar());
        if (!haveJar) {
            notes.add("a64emu: no " + settings.a64emuJar() + " (build it with 'mvn -DskipTests package'): skipped");
        } else {
            engineOption = a64emuHelp().contains("--engine");
            if (engineOption) {
                for (String e : List.of("jit", "interp")) {
                    if (wanted.isEmpty() || wanted.contains(e)) {
                        engines.add(a64emu(e));
                    }
                }
            } else {
                notes.add("a64emu: 'run --help' lists no --engine option: its one engine is timed, as 'a64emu'");
                if (wanted.isEmpty() || wanted.contains("a64emu") || wanted.contains("jit")
                        || wanted.contains("interp")) {
                    engines.add(a64emu(null));
                }
            }
        }
        if (wanted.isEmpty() || wanted.contains("qemu")) {
            if (settings.qemu().equals("none")) {
                notes.add("qemu: none (--qemu none, or qemu-aarch64 is not installed): skipped");
            } else {
                engines.add(new ProcessEngine("qemu", false, program -> List.of(settings.qemu(), program.toString()),
                        Map.of()));
            }
        }
        if (wanted.isEmpty() || wanted.contains("unicorn")) {
            try {
                // Loads the native library now, so that no measured run pays for it.
                new Unicorn(UnicornConst.UC_ARCH_ARM64, UnicornConst.UC_MODE_ARM).closeAll();
                engines.add(new UnicornEngine());
            } catch (LinkageError e) {
                notes.add("unicorn: its native library does not load here (" + e.getMessage() + "): skipped");
            }
        }
        if (wanted.isEmpty() || wanted.contains("native")) {
            String why = buildNative();
            if (why == null) {
                engines.add(new ProcessEngine("native", true,
                        program -> List.of(settings.nativeDir().resolve(program.getFileName()).toString()), Map.of()));
            } else {
                notes.add("native: " + why + ": skipped");
            }
        }
    }

    /** a64emu's command line through its launcher, {@code engine} null for the default engine. */
    private Engine a64emu(String engine) {
        List<String> prefix = new ArrayList<>(List.of(settings.launcher().toString(), "run"));
        if (engine != null) {
            prefix.addAll(List.of("--engine", engine));
        }
        prefix.add("--stats");
        return new ProcessEngine(engine == null ? "a64emu" : "a64emu-" + engine, false, program -> {
            List<String> command = new ArrayList<>(prefix);
            command.add(program.toString());
            return command;
        }, Map.of("A64EMU_JAR", settings.a64emuJar().toString()));
    }

    private String a64emuHelp() {
        Outcome o = spawn(List.of(settings.launcher().toString(), "run", "--help"),
                Map.of("A64EMU_JAR", settings.a64emuJar().toString()));
        return o.stdout() + o.stderr();
    }

    /** Compiles the freestanding programs for this host; returns why not, or null when done. */
    private String buildNative() {
        if (!System.getProperty("os.arch").equals("amd64")) {
            return "this host is " + System.getProperty("os.arch") + ", not x86_64";
        }
        try {
            Process p = new ProcessBuilder("bash", settings.programs().resolveSibling("build.sh").toString(), "--native",
                    settings.nativeDir().toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                return "build.sh --native failed: " + out.strip();
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Runs a command to its end with no input; stdout and stderr are kept whole. */
    private static Outcome spawn(List<String> command, Map<String, String> env) {
        File out = null;
        File err = null;
        try {
            out = File.createTempFile("speed", ".out");
            err = File.createTempFile("speed", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(Redirect.from(new File("/dev/null")))
                    .redirectOutput(out).redirectError(err);
            pb.environment().putAll(env);
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("still running after " + TIMEOUT_SECONDS + " s");
            }
            long wall = System.nanoTime() - t0;
            String stdout = Files.readString(out.toPath(), StandardCharsets.UTF_8);
            String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit status " + p.exitValue() + ": " + tail(stdout + stderr));
            }
            return new Outcome(stdout, stderr, wall, epochNanos(started));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (out != null) {
                out.delete();
            }
            if (err != null) {
                err.delete();
            }
        }
    }

    /** The first three fields of /proc/loadavg, as uptime(1) prints them. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f.length >= 3 ? f[0] + ", " + f[1] + ", " + f[2] : "?";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() <= 400 ? t : "..." + t.substring(t.length() - 400);
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** Best of N of one engine on one program: the least kernel time and the least wall time. */
    record Best(String checksum, long kernelNanos, long wallNanos, long instructions, double mips,
                List<String> jitLines, String error) {
        static Best failed(String why) {
            return new Best(null, 0, 0, 0, 0, List.of(), why);
        }
    }

    private Best measure(Engine e, Program p) {
        Path binary = settings.programs().resolve(p.name());
        progress("%s on %s: %d run%s", p.name(), e.name(), settings.runs(), settings.runs() == 1 ? "" : "s");
        Best best = null;
        for (int i = 0; i < settings.runs(); i++) {
            Run r;
            try {
                r = parse(p, e.run(binary));
            } catch (RuntimeException ex) {
                progress("  %s on %s failed: %s", p.name(), e.name(), ex.getMessage());
                return Best.failed(String.valueOf(ex.getMessage()));
            }
            if (settings.verbose()) {
                progress("  run %d: kernel %.1f ms, wall %.1f ms, checksum %s", i, r.kernelNanos() / 1e6,
                        r.wallNanos() / 1e6, r.checksum());
            }
            if (best == null) {
                best = new Best(r.checksum(), r.kernelNanos(), r.wallNanos(), r.instructions(), r.mips(), r.jitLines(),
                        null);
            } else {
                String checksum = best.checksum().equals(r.checksum()) ? best.checksum()
                        : best.checksum() + "|" + r.checksum();
                boolean faster = r.kernelNanos() < best.kernelNanos();
                best = new Best(checksum, Math.min(best.kernelNanos(), r.kernelNanos()),
                        Math.min(best.wallNanos(), r.wallNanos()), r.instructions(), Math.max(best.mips(), r.mips()),
                        faster ? r.jitLines() : best.jitLines(), null);
            }
        }
        return best;
    }

    private static Run parse(Program p, Outcome o) {
        Matcher m = RESULT.matcher(o.stdout());
        if (!m.find() || !m.group(1).equals(p.name())) {
            throw new IllegalStateException("no '" + p.name() + " checksum=... ns=...' line in: " + tail(o.stdout()));
        }
        long instructions = 0;
        double mips = 0;
        Matcher s = STATS.matcher(o.stderr());
        if (s.find()) {
            instructions = Long.parseLong(s.group(1));
            mips = Double.parseDouble(s.group(3));
        }
        List<String> jit = o.stderr().lines().filter(l -> l.startsWith("  jit")).toList();
        return new Run(m.group(2), Long.parseLong(m.group(3)), o.wallNanos(), instructions, mips, jit);
    }

    /** Exec to the first guest instruction (the startup probe), and whole runs of it and of hello. */
    private void startUp() {
        Path probe = settings.programs().resolve(STARTUP);
        if (!Files.isRegularFile(probe)) {
            notes.add("start-up: no " + probe + ": skipped");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (Engine e : engines) {
            progress("start-up on %s: %d run%s", e.name(), settings.runs(), settings.runs() == 1 ? "" : "s");
            long first = Long.MAX_VALUE;
            long wall = Long.MAX_VALUE;
            long hello = Long.MAX_VALUE;
            String error = null;
            for (int i = 0; i < settings.runs() && error == null; i++) {
                try {
                    Outcome o = e.run(probe);
                    Matcher m = STARTED.matcher(o.stdout());
                    if (!m.find()) {
                        throw new IllegalStateException("no 'startup realtime_ns=' line in: " + tail(o.stdout()));
                    }
                    first = Math.min(first, Long.parseLong(m.group(1)) - o.startedEpochNanos());
                    wall = Math.min(wall, o.wallNanos());
                    if (e.runs(HELLO) && Files.isRegularFile(settings.hello())) {
                        hello = Math.min(hello, e.run(settings.hello()).wallNanos());
                    }
                } catch (RuntimeException ex) {
                    error = ex.getMessage();
                    progress("  start-up on %s failed: %s", e.name(), error);
                }
            }
            rows.add(new String[] {e.name(), error != null ? "fail" : ms(first), error != null ? "fail" : ms(wall),
                    hello == Long.MAX_VALUE ? "-" : ms(hello)});
        }
        System.out.println();
        System.out.println("Start-up, ms: exec to the first guest instruction (startup prints CLOCK_REALTIME first; "
                + "less the moment the harness started the process), its whole run, and a whole run of "
                + settings.hello());
        Bench.printTable(new String[] {"engine", "to first instruction", "startup wall", "hello wall"}, rows);
        System.out.println("  a64emu runs through its launcher, ./a64emu (with its AppCDS archive); unicorn: a fresh "
                + "engine in this JVM");
    }

    private String jitName() {
        return engineOption ? "a64emu-jit" : "a64emu";
    }

    private void printTimes(String title, List<Program> programs, Map<Program, Map<String, Best>> results,
                            boolean kernel) {
        List<String> columns = engines.stream().map(Engine::name).toList();
        String jit = jitName();
        List<String[]> ratios = new ArrayList<>();
        if (columns.contains(jit) && columns.contains("qemu")) {
            ratios.add(new String[] {jit, "qemu", engineOption ? "jit/qemu" : "a64emu/qemu"});
        }
        if (columns.contains(jit) && columns.contains("unicorn")) {
            ratios.add(new String[] {jit, "unicorn", engineOption ? "jit/unicorn" : "a64emu/unicorn"});
        }
        if (columns.contains("a64emu-interp") && columns.contains("a64emu-jit")) {
            ratios.add(new String[] {"a64emu-interp", "a64emu-jit", "interp/jit"});
        }
        List<String> header = new ArrayList<>();
        header.add("benchmark");
        header.addAll(columns);
        for (String[] r : ratios) {
            header.add(r[2]);
        }
        double[] logSum = new double[ratios.size()];
        int[] count = new int[ratios.size()];
        List<String[]> rows = new ArrayList<>();
        for (Program p : programs) {
            Map<String, Best> row = results.get(p);
            List<String> cells = new ArrayList<>();
            cells.add(p.name());
            for (String c : columns) {
                Best b = row.get(c);
                cells.add(b == null ? "-" : b.error() != null ? "fail" : ms(kernel ? b.kernelNanos() : b.wallNanos()));
            }
            for (int i = 0; i < ratios.size(); i++) {
                Best a = row.get(ratios.get(i)[0]);
                Best b = row.get(ratios.get(i)[1]);
                if (a == null || b == null || a.error() != null || b.error() != null) {
                    cells.add("-");
                    continue;
                }
                double ratio = kernel ? (double) a.kernelNanos() / b.kernelNanos()
                        : (double) a.wallNanos() / b.wallNanos();
                logSum[i] += Math.log(ratio);
                count[i]++;
                cells.add(times(ratio));
            }
            rows.add(cells.toArray(new String[0]));
        }
        List<String> mean = new ArrayList<>();
        mean.add("geomean");
        for (int i = 0; i < columns.size(); i++) {
            mean.add("");
        }
        for (int i = 0; i < ratios.size(); i++) {
            mean.add(count[i] == 0 ? "-" : times(Math.exp(logSum[i] / count[i])));
        }
        if (!ratios.isEmpty()) {
            rows.add(mean.toArray(new String[0]));
        }
        System.out.println();
        System.out.println(title);
        Bench.printTable(header.toArray(new String[0]), rows);
    }

    private void printA64emu(List<Program> programs, Map<Program, Map<String, Best>> results) {
        List<String> a64emu = engines.stream().map(Engine::name).filter(n -> n.startsWith("a64emu")).toList();
        if (a64emu.isEmpty()) {
            return;
        }
        List<String> header = new ArrayList<>(List.of("benchmark", "instructions"));
        for (String e : a64emu) {
            header.add(e + " MIPS");
        }
        List<String[]> rows = new ArrayList<>();
        List<String> jitLines = new ArrayList<>();
        for (Program p : programs) {
            Map<String, Best> row = results.get(p);
            List<String> cells = new ArrayList<>(List.of(p.name(), "-"));
            for (String e : a64emu) {
                Best b = row.get(e);
                boolean ok = b != null && b.error() == null && b.instructions() > 0;
                if (ok) {
                    cells.set(1, String.format(Locale.ROOT, "%,d", b.instructions()));
                }
                cells.add(ok ? String.format(Locale.ROOT, "%.1f", b.mips()) : "-");
                if (ok && !b.jitLines().isEmpty()) {
                    jitLines.add(p.name() + " (" + e + "):");
                    jitLines.addAll(b.jitLines());
                }
            }
            rows.add(cells.toArray(new String[0]));
        }
        System.out.println();
        System.out.println("a64emu: guest instructions retired and MIPS, as 'run --stats' reports them "
                + "(instructions / the run's time, start-up excluded; the count varies by a few instructions "
                + "with the digits of the printed time)");
        Bench.printTable(header.toArray(new String[0]), rows);
        if (!jitLines.isEmpty()) {
            System.out.println("  the JIT's lines of 'run --stats', from the fastest run:");
            for (String l : jitLines) {
                System.out.println("  " + l);
            }
        }
    }

    /** Every engine must print the same checksum; the failures and mismatches in words. */
    private void printChecksums(List<Program> programs, Map<Program, Map<String, Best>> results) {
        List<String> problems = new ArrayList<>();
        for (Program p : programs) {
            Map<String, List<String>> byChecksum = new LinkedHashMap<>();
            for (Map.Entry<String, Best> e : results.get(p).entrySet()) {
                Best b = e.getValue();
                if (b.error() != null) {
                    problems.add(p.name() + " on " + e.getKey() + " failed: " + b.error());
                } else {
                    byChecksum.computeIfAbsent(b.checksum(), c -> new ArrayList<>()).add(e.getKey());
                }
            }
            if (byChecksum.size() > 1) {
                problems.add(p.name() + ": checksums differ: " + byChecksum);
            }
        }
        System.out.println();
        if (problems.isEmpty()) {
            System.out.println("Checksums: every engine printed the same checksum for each program.");
        } else {
            System.out.println("Checksums and failures:");
            for (String s : problems) {
                System.out.println("  " + s);
            }
        }
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, nanos >= 100_000_000L ? "%.0f" : "%.1f", nanos / 1e6);
    }

    private static String times(double ratio) {
        return String.format(Locale.ROOT, ratio >= 100 ? "%.0fx" : "%.2fx", ratio);
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }
}
