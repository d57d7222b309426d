package a64emu.tools;

import a64emu.mmu.vectors.TranslationVector;
import a64emu.mmu.vectors.VectorFile;
import a64emu.mmu.vectors.VectorFormatException;
import a64emu.mmu.vectors.VectorRunner;
import a64emu.mmu.vectors.VectorRunner.AccessResult;
import a64emu.mmu.vectors.VectorRunner.CaseResult;
import a64emu.tools.mmutest.CoverageReport;
import a64emu.tools.mmutest.ExpectUpdater;
import a64emu.tools.mmutest.JUnitXmlReport;
import a64emu.tools.mmutest.UnicornVectorCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code a64emu mmu-test}: runs page-table vector files ({@code docs/mmu-vectors.md}) with the
 * runner a64emu's own test suite uses ({@link VectorRunner}) and prints one line per case.
 */
@Command(name = "mmu-test",
        sortOptions = false,
        description = {
            "Runs page-table regression tests: the cases of vector files (*.vectors, format in "
                + "docs/mmu-vectors.md) on a64emu's MMU.",
            "Prints PASS or FAIL per case, a FAIL with the expected and the observed outcome decoded "
                + "(PA and attributes, or the abort's EC and FSC in words with level, WnR and FAR), "
                + "then 'N passed, N failed'. A DIR means every *.vectors file in it.",
            ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every case passed (and the oracle agreed)",
            "1:a case failed, or the oracle disagreed",
            "2:invalid command line, or a vector file that does not parse (file:line:column: message)"})
final class MmuTestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--filter", paramLabel = "GLOB",
            description = "Run only the cases whose name matches GLOB (* any characters, ? one, [abc] a set).")
    String filter;

    @Option(names = "--junit-xml", paramLabel = "FILE",
            description = "Also write a JUnit XML report (as Maven Surefire writes it) to FILE, for CI servers.")
    Path junitXml;

    @Option(names = "--oracle", paramLabel = "ENGINE",
            description = "Cross-check a64emu's outcome against another table walker: 'unicorn' (QEMU 2.2's, "
                    + "inside Unicorn), for the single-access cases it can run; the others are listed as left out.")
    String oracle;

    @Option(names = "--coverage",
            description = "After the results, print which descriptor fields, AP/UXN/PXN combinations, fault kinds "
                    + "and levels, granule/VA-size configurations and TLBI operations the cases exercise, "
                    + "and which they never touch.")
    boolean coverage;

    @Option(names = "--update",
            description = "Write the observed outcome as 'expect' under each access that has none "
                    + "(comments and layout kept). Existing expects are left alone unless --force.")
    boolean update;

    @Option(names = "--force", description = "With --update: also rewrite existing expects that disagree.")
    boolean force;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Vector files, or directories of them.")
    List<Path> paths = new ArrayList<>();

    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (force && !update) {
            return usage(err, "--force only goes with --update");
        }
        if (oracle != null && !oracle.equals("unicorn")) {
            return usage(err, "unknown --oracle '" + oracle + "': the one oracle is 'unicorn'");
        }
        Map<Path, List<TranslationVector>> byFile = new LinkedHashMap<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> files = VectorFile.filesIn(p);
                if (files.isEmpty()) {
                    return usage(err, "no *" + VectorFile.EXTENSION + " files in " + p);
                }
                for (Path f : files) {
                    byFile.put(f, null);
                }
            } else if (Files.isRegularFile(p)) {
                byFile.put(p, null);
            } else {
                return usage(err, "no such file or directory: " + p);
            }
        }
        Pattern glob = filter == null ? null : glob(filter);
        for (Path f : byFile.keySet()) {
            try {
                // The path as given names the file in messages, in FAIL lines and as the JUnit classname.
                List<TranslationVector> cases = VectorFile.parse(f.toString(), Files.readAllLines(f));
                byFile.put(f, cases.stream().filter(v -> glob == null || glob.matcher(v.name()).matches()).toList());
            } catch (VectorFormatException e) {
                err.println("a64emu mmu-test: " + e.getMessage());
                err.flush();
                return EXIT_USAGE;
            } catch (IOException e) {
                return usage(err, "cannot read " + f + ": " + e.getMessage());
            }
        }

        int passed = 0;
        int failed = 0;
        int skipped = 0;
        int updated = 0;
        List<JUnitXmlReport.Case> report = new ArrayList<>();
        List<TranslationVector> all = new ArrayList<>();
        for (Map.Entry<Path, List<TranslationVector>> e : byFile.entrySet()) {
            List<CaseResult> toUpdate = new ArrayList<>();
            for (TranslationVector v : e.getValue()) {
                all.add(v);
                if (v.knownBug() != null) {
                    skipped++;
                    out.println("SKIP " + v.name() + ": known a64emu bug: " + v.knownBug());
                    report.add(new JUnitXmlReport.Case(v.name(), v.file(), 0, null, "known a64emu bug: " + v.knownBug()));
                    continue;
                }
                long start = System.nanoTime();
                CaseResult r = VectorRunner.run(v);
                double seconds = (System.nanoTime() - start) / 1e9;
                String line = r.describe();
                if (update && updatable(r)) {
                    toUpdate.add(r);
                    line = "UPDATE " + v.name() + ": " + updateText(r);
                    updated++;
                    passed++;
                } else if (r.passed()) {
                    passed++;
                } else {
                    failed++;
                }
                out.println(line);
                report.add(new JUnitXmlReport.Case(v.name(), v.file(), seconds,
                        r.passed() || toUpdate.contains(r) ? null : line.substring(5), null));
            }
            if (!toUpdate.isEmpty()) {
                ExpectUpdater.update(e.getKey(), toUpdate, force);
                // Read back: the file we wrote must still parse and now pass.
                VectorFile.parse(e.getKey().toString(), Files.readAllLines(e.getKey()));
            }
        }
        out.printf("%d passed, %d failed%s%s%n", passed, failed, skipped == 0 ? "" : ", " + skipped + " skipped (known bugs)",
                updated == 0 ? "" : " (" + updated + " updated with --update)");
        int status = failed == 0 ? 0 : EXIT_FAILED;

        if (oracle != null) {
            int oracleStatus = unicorn(out, err, all);
            status = Math.max(status, oracleStatus);
        }
        if (coverage) {
            out.println();
            CoverageReport.of(all).print(out);
        }
        if (junitXml != null) {
            JUnitXmlReport.write(junitXml, "a64emu mmu-test", report);
        }
        out.flush();
        return status;
    }

    /** A case --update may change: an access without expect, or (with --force) a disagreeing outcome. */
    private boolean updatable(CaseResult r) {
        for (AccessResult a : r.accesses()) {
            if (a.access().expectation() == null || (force && a.access().expectLine() > 0 && !a.outcomeMatches())) {
                return true;
            }
        }
        return false;
    }

    private static String updateText(CaseResult r) {
        List<String> parts = new ArrayList<>();
        for (AccessResult a : r.accesses()) {
            if (a.access().expectation() == null) {
                parts.add("line " + a.access().line() + " expect " + a.observed().toVectorSyntax());
            } else if (!a.outcomeMatches()) {
                parts.add("line " + a.access().expectLine() + " was " + VectorRunner.describe(a.access().expectation())
                        + ", now expect " + a.observed().toVectorSyntax());
            }
        }
        return String.join("; ", parts);
    }

    private int unicorn(PrintWriter out, PrintWriter err, List<TranslationVector> cases) throws Exception {
        try {
            UnicornVectorCheck.probe();
        } catch (LinkageError | RuntimeException e) {
            err.println("a64emu mmu-test: the Unicorn oracle cannot load on this machine: " + e);
            err.flush();
            return EXIT_USAGE;
        }
        List<TranslationVector> runnable = cases.stream().filter(v -> v.knownBug() == null).toList();
        Map<TranslationVector, String> verdicts = UnicornVectorCheck.check(runnable);
        Map<String, Integer> leftOut = new TreeMap<>();
        for (TranslationVector v : runnable) {
            if (!verdicts.containsKey(v)) {
                leftOut.merge(UnicornVectorCheck.exclusion(v), 1, Integer::sum);
            }
        }
        int disagree = 0;
        for (Map.Entry<TranslationVector, String> e : verdicts.entrySet()) {
            if (e.getValue() != null) {
                disagree++;
                out.println("ORACLE " + e.getKey().name() + " (" + e.getKey().source() + "): " + e.getValue());
            }
        }
        out.printf("unicorn: %d agree, %d disagree, %d left out%n", verdicts.size() - disagree, disagree,
                runnable.size() - verdicts.size());
        leftOut.forEach((why, n) -> out.printf("  %4d left out: %s%n", n, why));
        return disagree == 0 ? 0 : EXIT_FAILED;
    }

    /** A shell-style glob as a regex over the whole name. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[', ']' -> re.append(c);
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    private int usage(PrintWriter err, String message) {
        err.println("a64emu mmu-test: " + message);
        err.println("Try 'a64emu mmu-test --help' for more information.");
        err.flush();
        return EXIT_USAGE;
    }
}
