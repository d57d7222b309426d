package a64emu.tools.report;

import a64emu.guest.Kernel;
import a64emu.guest.KernelLog;
import a64emu.guest.events.GuestEvents;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code run --report FILE}: a timeline of the machine's memory and each process's, sampled
 * while the guest runs, written as one HTML page when it ends.
 *
 * <p>Use: {@link #open} before the guest starts (the file is created then, so a path that
 * cannot be written is an error before any guest time is spent), {@link #attach} to the kernel
 * in front of any other tracer, {@link #logListener} as the kernel log's listener, and
 * {@link #finish} after the run.
 */
public final class PressureReport {
    /** The default sampling interval, in milliseconds of the kernel's clock. */
    public static final long DEFAULT_INTERVAL_MILLIS = 20;
    /**
     * Pss (a walk of every process's page tables) is taken at every this many samples; the
     * counters every sample reads cost nothing by comparison.
     */
    public static final int PSS_EVERY = 10;

    private final Path file;
    private final Writer out;
    private final PressureTimeline timeline;
    private PressureSampler sampler;

    private PressureReport(Path file, Writer out, PressureTimeline timeline) {
        this.file = file;
        this.out = out;
        this.timeline = timeline;
    }

    /**
     * Creates (or truncates) {@code file} for the report of a run of {@code command}, sampled
     * every {@code intervalMillis} of guest time.
     *
     * @throws IOException if the file cannot be written
     */
    public static PressureReport open(Path file, long intervalMillis, String command) throws IOException {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("the interval must be at least 1 ms, not " + intervalMillis);
        }
        if (Files.isDirectory(file)) {
            throw new IOException("is a directory");
        }
        Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8));
        return new PressureReport(file, w, new PressureTimeline(
                new PressureTimeline.Run(command, intervalMillis * 1_000_000L, PSS_EVERY)));
    }

    /** The tracer to give the kernel: it samples, then calls {@code next} (another tool's, or NONE). */
    public GuestEvents attach(Kernel kernel, GuestEvents next) {
        sampler = new PressureSampler(kernel, timeline, Objects.requireNonNull(next));
        return sampler;
    }

    /** The kernel log's listener: notes kills, then hands each message to {@code next}. */
    public Consumer<KernelLog.Message> logListener(Consumer<KernelLog.Message> next) {
        if (sampler == null) {
            throw new IllegalStateException("attach the report to the kernel first");
        }
        return sampler.logListener(next);
    }

    /** Writes the report of the run that ended with {@code status}, and closes the file. */
    public void finish(int status) throws IOException {
        try (Writer w = out) {
            if (sampler != null) {
                sampler.finish();
            }
            timeline.setExitStatus(status);
            new HtmlReport(timeline).write(w);
        }
    }

    public Path file() {
        return file;
    }
}
