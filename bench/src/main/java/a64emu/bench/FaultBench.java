package a64emu.bench;

import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.RunStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Page-fault service of whole guest runs: {@code bench/programs/bin/faultbench} run in this
 * JVM through the guest {@link Kernel}, and the same binary under qemu-aarch64 on the host
 * kernel. The guest times its own touch loop with clock_gettime(CLOCK_MONOTONIC), which both
 * emulators take from the host's monotonic clock, so both are measured the same way; a
 * round's rate is the pages it touched (one fault each) over that time.
 */
final class FaultBench {
    /** One line of faultbench's output. */
    record Round(long pages, long touchNanos, long totalNanos) {
        double faultsPerSecond() {
            return pages * 1e9 / touchNanos;
        }
    }

    /**
     * One run of the program: its rounds; for an a64emu run the kernel's statistics and the
     * host CPU time of the thread that ran it (null and -1 under qemu); the host time of the
     * whole run.
     */
    record GuestRun(List<Round> rounds, RunStats stats, long cpuNanos, long wallNanos) {}

    /**
     * Rates of the measured rounds of several runs; for a64emu also the faults the kernel
     * counted per page touched, and the host CPU time of whole runs (start-up, mmap and munmap
     * included) per fault counted, which other processes on the machine disturb less than
     * the guest's clock.
     */
    record Summary(double median, double min, double max, int rounds, double faultsPerPage, double cpuNanosPerFault) {
        static Summary of(List<GuestRun> runs, java.util.function.ToLongFunction<RunStats> faults) {
            List<Double> rates = new ArrayList<>();
            long pages = 0;
            long counted = 0;
            long cpu = 0;
            for (GuestRun r : runs) {
                for (Round round : r.rounds) {
                    rates.add(round.faultsPerSecond());
                    pages += round.pages;
                }
                if (r.stats != null) {
                    counted += faults.applyAsLong(r.stats);
                    cpu += r.cpuNanos;
                }
            }
            double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            boolean kernel = runs.get(0).stats != null;
            return new Summary(median, sorted[0], sorted[n - 1], n, kernel ? (double) counted / pages : Double.NaN,
                    kernel ? (double) cpu / counted : Double.NaN);
        }
    }

    private static final Pattern ROUND =
            Pattern.compile("round (\\d+) pages (\\d+) touch_ns (\\d+) total_ns (\\d+)");

    private FaultBench() {}

    /** Runs {@code program args} in this JVM on a fresh guest kernel with {@code ram} bytes of RAM. */
    static GuestRun a64emu(Path program, List<String> args, long ram) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        KernelConfig config = new KernelConfig(ram, KernelConfig.DEFAULT_VA_BITS, null, InputStream.nullInputStream(),
                out, err, KernelConfig.DEFAULT_SEED, true);
        Kernel kernel = new Kernel(config);
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(args);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        int status = kernel.run(program, argv, List.of());
        long wall = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        String stdout = out.toString(StandardCharsets.UTF_8);
        if (status != 0) {
            throw new IllegalStateException("a64emu run " + argv + " ended with status " + status + ": "
                    + err.toString(StandardCharsets.UTF_8) + stdout);
        }
        return new GuestRun(parse(stdout, argv), kernel.stats(), cpu, wall);
    }

    /** Runs {@code program args} under {@code qemu} as a child process. */
    static GuestRun qemu(String qemu, Path program, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(qemu);
        command.add(program.toString());
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            long start = System.nanoTime();
            byte[] bytes = p.getInputStream().readAllBytes();
            int status = p.waitFor();
            long wall = System.nanoTime() - start;
            String stdout = new String(bytes, StandardCharsets.UTF_8);
            if (status != 0) {
                throw new IllegalStateException(command + " ended with status " + status + ": " + stdout);
            }
            return new GuestRun(parse(stdout, command), null, -1, wall);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** The first line of {@code qemu --version}, or null when it cannot be run. */
    static String qemuVersion(String qemu) {
        try {
            Process p = new ProcessBuilder(qemu, "--version").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? text.lines().findFirst().orElse(qemu) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static List<Round> parse(String stdout, List<String> command) {
        List<Round> rounds = new ArrayList<>();
        Matcher m = ROUND.matcher(stdout);
        while (m.find()) {
            rounds.add(new Round(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
        }
        if (rounds.isEmpty()) {
            throw new IllegalStateException(command + " printed no rounds: " + stdout);
        }
        return rounds;
    }

    /** Every run's rounds, for --verbose. */
    static String describe(GuestRun run) {
        return Arrays.toString(run.rounds.stream().mapToLong(r -> Math.round(r.faultsPerSecond())).toArray());
    }
}
