package a64emu.tools.mmutest;

import a64emu.tools.mmutest.UnicornStage1Oracle.Job;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link Job}s in child JVMs ({@link UnicornStage1Oracle#main}). When Unicorn kills a
 * child, the job it had started is answered {@code CRASH} and the remaining jobs go to a new
 * child, so one bad case costs one restart instead of the whole test run.
 */
public final class UnicornChild {
    public static final String CRASH = "CRASH";

    /**
     * name -> "RESULT hex", "ERROR message" or {@link #CRASH}. The jobs are shared out over
     * one child per available processor (each crash costs a JVM start).
     */
    public static Map<String, String> runAll(List<Job> jobs) throws Exception {
        int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        List<List<Job>> shares = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < jobs.size(); i++) {
            shares.get(i % workers).add(jobs.get(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Map<String, String>>> parts = new ArrayList<>();
            for (List<Job> share : shares) {
                parts.add(pool.submit(() -> runSequentially(share)));
            }
            Map<String, String> answers = new HashMap<>();
            for (Future<Map<String, String>> f : parts) {
                try {
                    answers.putAll(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception x ? x : e;
                }
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, String> runSequentially(List<Job> jobs) throws IOException, InterruptedException {
        Map<String, String> answers = new HashMap<>();
        List<Job> pending = new ArrayList<>(jobs);
        while (!pending.isEmpty()) {
            Path stderr = Files.createTempFile("a64emu-unicorn-child", ".stderr");
            try {
                String started = runChild(pending, answers, stderr);
                List<Job> rest = new ArrayList<>();
                for (Job j : pending) {
                    if (!answers.containsKey(j.name())) {
                        if (j.name().equals(started)) {
                            answers.put(j.name(), CRASH);
                        } else {
                            rest.add(j);
                        }
                    }
                }
                if (rest.size() == pending.size()) {
                    throw new IllegalStateException("Unicorn child JVM answered nothing; its stderr: "
                            + Files.readString(stderr).strip());
                }
                pending = rest;
            } finally {
                Files.deleteIfExists(stderr);
            }
        }
        return answers;
    }

    /** Returns the name of the job the child started last without answering, or null. */
    private static String runChild(List<Job> jobs, Map<String, String> answers, Path stderr)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Crashes are expected (one per faulting case): keep a single, overwritten crash log in
        // the temporary directory rather than one hs_err file per crash in the work tree.
        String errorFile = Path.of(System.getProperty("java.io.tmpdir"), "a64emu-unicorn-child-crash.log").toString();
        Process p = new ProcessBuilder(java, "-XX:ErrorFile=" + errorFile, "-XX:-CreateCoredumpOnCrash",
                // Short-lived JVMs (one per faulting case): start fast rather than optimise.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), UnicornStage1Oracle.class.getName())
                .redirectError(stderr.toFile())
                .start();
        Thread feeder = new Thread(() -> {
            try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
                for (Job j : jobs) {
                    w.write(j.toLine());
                    w.write('\n');
                }
            } catch (IOException e) {
                // the child died; its output tells which job
            }
        }, "unicorn-feeder");
        feeder.start();
        String started = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] w = line.split(" ", 3);
                switch (w[0]) {
                    case "START" -> started = w[1];
                    case "RESULT" -> {
                        answers.put(w[1], "RESULT " + w[2]);
                        started = null;
                    }
                    case "ERROR" -> {
                        answers.put(w[1], "ERROR " + (w.length > 2 ? w[2] : ""));
                        started = null;
                    }
                    default -> { }
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        feeder.join();
        return started;
    }

    private UnicornChild() {}
}
