package a64emu.tools.gdb;

import a64emu.tools.A64emu;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One gdb-multiarch batch session against {@code a64emu run --gdb PORT} (in-process) or
 * {@code qemu-aarch64 -g PORT}, and the filter that keeps what both should print alike.
 */
final class GdbSession {
    private GdbSession() {}

    static final Path BIN = Path.of("..", "guest", "programs", "bin");
    static final Path EXPECTED = Path.of("src", "test", "resources", "a64emu", "gdb");
    static final String GDB = "/usr/bin/gdb-multiarch";
    static final String QEMU = "/usr/bin/qemu-aarch64";
    /** A command only a64emu answers (monitor): its output is kept apart from the comparison. */
    static final String ONLY = "a64emu-only:";
    /** A command for the qemu reference only (software watchpoints, as qemu-user has no others). */
    static final String QEMU_ONLY = "qemu-only:";
    /** gdb's warning when a stub serves no vFile packets. */
    static final String NO_FILE_TRANSFER = "remote target does not support file transfer";
    private static final String BEGIN_ONLY = "@@a64emu-only";
    private static final String END_ONLY = "@@end";

    /** What a session printed: gdb's output, and a64emu's status and streams. */
    record Result(List<String> gdb, int status, String stdout, String stderr) {
        String text() {
            return String.join("\n", gdb);
        }

        /** The output of the a64emu-only commands, in order. */
        String onlyA64emu() {
            StringBuilder sb = new StringBuilder();
            boolean in = false;
            for (String l : gdb) {
                if (l.equals(BEGIN_ONLY)) {
                    in = true;
                } else if (l.equals(END_ONLY)) {
                    in = false;
                } else if (in) {
                    sb.append(l).append('\n');
                }
            }
            return sb.toString();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code program} under a64emu with the stub, and gdb with {@code commands}. */
    static Result a64emu(String program, List<String> commands) throws Exception {
        int port = freePort();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        A64emu cli = new A64emu(new ByteArrayInputStream(new byte[0]), out, err, List.of("A64EMU_TEST=1"));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> cli.execute("run", "--gdb", Integer.toString(port), BIN.resolve(program).toString()));
        awaitListening(err, run);
        List<String> gdb = gdb(port, program, commands, true);
        int status = run.get(30, TimeUnit.SECONDS);
        return new Result(gdb, status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The same session against qemu-aarch64 (the a64emu-only commands left out). */
    static Result qemu(String program, List<String> commands) throws Exception {
        int port = freePort();
        Process q = new ProcessBuilder(QEMU, "-g", Integer.toString(port), BIN.resolve(program).toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Thread.sleep(1000); // qemu-aarch64 listens at once; a probe would take its only connection
        // qemu-aarch64 7.2 serves no vFile packets, so gdb reads its files from the local file
        // system and says so; a64emu serves them (HostIo), so that note is qemu's alone.
        List<String> gdb = gdb(port, program, commands, false).stream()
                .filter(l -> !l.contains(NO_FILE_TRANSFER)).toList();
        boolean ended = q.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            q.destroyForcibly();
        }
        return new Result(gdb, ended ? q.exitValue() : -1, "", "");
    }

    static void awaitListening(ByteArrayOutputStream err, CompletableFuture<Integer> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!err.toString(StandardCharsets.UTF_8).contains("a64emu: waiting for gdb on port")) {
            if (run.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("a64emu run --gdb did not listen: " + err.toString(StandardCharsets.UTF_8)
                        + (run.isDone() ? " status " + run.get() : ""));
            }
            Thread.sleep(20);
        }
    }

    private static List<String> gdb(int port, String program, List<String> commands, boolean a64emu)
            throws Exception {
        List<String> argv = new ArrayList<>(List.of(GDB, "-batch", "-nx", "-ex", "set architecture aarch64",
                "-ex", "set remotetimeout 10", "-ex", "target remote :" + port));
        for (String c : commands) {
            if (c.startsWith(QEMU_ONLY)) {
                if (!a64emu) {
                    argv.addAll(List.of("-ex", c.substring(QEMU_ONLY.length())));
                }
                continue;
            }
            if (c.startsWith(ONLY)) {
                if (a64emu) {
                    argv.addAll(List.of("-ex", "echo " + BEGIN_ONLY + "\\n", "-ex", c.substring(ONLY.length()),
                            "-ex", "echo " + END_ONLY + "\\n"));
                }
                continue;
            }
            argv.addAll(List.of("-ex", c));
        }
        argv.add(BIN.resolve(program).toString());
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("gdb-multiarch did not finish: " + output.getNow("(no output)"));
        }
        return output.get(5, TimeUnit.SECONDS).lines().toList();
    }

    private static final Pattern HEX = Pattern.compile("0x([0-9a-f]+)");
    private static final long STACK_AND_MMAP = 1L << 36;

    /**
     * The lines of {@code r} that do not depend on the emulator: the a64emu-only blocks, gdb's
     * notes about threads appearing; stack and mmap addresses (above
     * 2^36, where both put them at different places) as ADDR; process and thread ids as N.
     * Text and data of a static executable are where it is linked, in both.
     */
    static List<String> comparable(Result r) {
        List<String> kept = new ArrayList<>();
        boolean only = false;
        for (String line : r.gdb()) {
            if (line.equals(BEGIN_ONLY) || line.equals(END_ONLY)) {
                only = line.equals(BEGIN_ONLY);
                continue;
            }
            if (only || line.isBlank() || line.contains("architecture is set")
                    || line.startsWith("[New Thread") || line.startsWith("[Switching to Thread")
                    // qemu-aarch64 has no hardware watchpoints: its reference uses software ones
                    || line.startsWith("Hardware watchpoint") || line.startsWith("Watchpoint ")
                    // qemu answers qAttached 0, so gdb kills at its end; a64emu 1, so gdb detaches
                    || line.matches("\\[Inferior 1 \\(.*\\) detached\\]")) {
                continue;
            }
            Matcher m = HEX.matcher(line);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String digits = m.group(1);
                boolean high = digits.length() > 16 || Long.compareUnsigned(Long.parseUnsignedLong(
                        digits.length() > 16 ? "0" : digits, 16), STACK_AND_MMAP) >= 0;
                m.appendReplacement(sb, high ? "ADDR" : m.group());
            }
            m.appendTail(sb);
            String s = sb.toString()
                    .replaceAll("\\((process \\d+|Remote target)\\)", "(TARGET)")
                    .replaceAll("Thread [0-9a-f.]+( \"[^\"]*\")?", "Thread N")
                    // Where in the barrier's wait a signal finds a thread depends on timing under
                    // qemu (host threads): the function is the fact, the offset is not.
                    .replaceAll("0x\\p{XDigit}+ in pthread_barrier_wait \\(\\)", "ADDR in pthread_barrier_wait ()")
                    .replaceAll("pthread_barrier_wait \\+ \\d+ in section", "pthread_barrier_wait + N in section")
                    .replaceAll("\\s+", " ").strip();
            kept.add(s);
        }
        return kept;
    }

    static List<String> expected(String name) throws IOException {
        return Files.readAllLines(EXPECTED.resolve(name + ".expected"), StandardCharsets.UTF_8);
    }

    static void record(String name, List<String> lines) throws IOException {
        Files.createDirectories(EXPECTED);
        Files.write(EXPECTED.resolve(name + ".expected"), lines, StandardCharsets.UTF_8);
    }
}
