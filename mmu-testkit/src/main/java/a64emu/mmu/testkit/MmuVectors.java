package a64emu.mmu.testkit;

import a64emu.mmu.vectors.TranslationVector;
import a64emu.mmu.vectors.VectorFile;
import a64emu.mmu.vectors.VectorFormatException;
import a64emu.mmu.vectors.VectorRunner;
import a64emu.mmu.vectors.VectorRunner.CaseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

/**
 * Page-table vector files ({@code *.vectors}, format in {@code docs/mmu-vectors.md}) as JUnit 5
 * dynamic tests, one per case, run on a64emu's MMU by {@link VectorRunner}:
 *
 * <pre>{@code
 * class PageTableTest {
 *     @TestFactory
 *     Stream<DynamicTest> pageTables() {
 *         return MmuVectors.from(Path.of("src/test/vectors"));
 *     }
 * }
 * }</pre>
 *
 * Each test is named after its case and points at the {@code case} line of its file (IDEs
 * jump there). A failing case fails with the runner's decoded difference, e.g.
 * {@code FAIL ro-write (pt.vectors:12): expected Data Abort from EL0 (EC 0x24), Permission
 * fault, level 3 (FSC 0x0f), WnR 1, FAR 0x...; got PA 0x...}, with expected and actual set
 * so that IDEs show them side by side. A case with a {@code bug} line is reported as skipped
 * (aborted) with its reason, unless the system property {@code a64emu.vectors.bugs} is
 * {@code run}. A file that does not parse becomes one failing test named after the file,
 * with the parser's {@code file:line:column} message; the other files still run.
 */
public final class MmuVectors {
    /** System property that, set to {@code run}, runs cases marked with a {@code bug} line. */
    public static final String RUN_KNOWN_BUGS = "a64emu.vectors.bugs";

    private MmuVectors() {}

    /**
     * One test per case of {@code fileOrDir}: a {@code .vectors} file, or a directory whose
     * {@code *.vectors} files are read in name order (not its subdirectories).
     *
     * @throws IllegalArgumentException if the path does not exist or the directory holds no
     *         vector file (an empty suite must not pass unnoticed)
     */
    public static Stream<DynamicTest> from(Path fileOrDir) {
        List<Path> files;
        if (Files.isDirectory(fileOrDir)) {
            files = VectorFile.filesIn(fileOrDir);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no *" + VectorFile.EXTENSION + " files in " + fileOrDir);
            }
        } else if (Files.isRegularFile(fileOrDir)) {
            files = List.of(fileOrDir);
        } else {
            throw new IllegalArgumentException("no such vector file or directory: " + fileOrDir.toAbsolutePath());
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            tests.addAll(testsOf(file));
        }
        return tests.stream();
    }

    /**
     * {@link #from(Path)} for a file or directory on the class path (under
     * {@code src/test/resources}, or inside a jar), named as for {@link ClassLoader#getResource}:
     * {@code "pagetables"} or {@code "pagetables/basic.vectors"}.
     */
    public static Stream<DynamicTest> fromClasspath(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = MmuVectors.class.getClassLoader();
        }
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        URL url = loader.getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("no class path resource " + name);
        }
        return from(pathOf(url));
    }

    /** The test of one case: runs it on a fresh machine and fails with the decoded difference. */
    public static DynamicTest test(TranslationVector v, URI source) {
        return DynamicTest.dynamicTest(v.name(), source, () -> {
            if (v.knownBug() != null) {
                Assumptions.assumeTrue("run".equals(System.getProperty(RUN_KNOWN_BUGS)),
                        "known a64emu bug: " + v.knownBug());
            }
            CaseResult r = VectorRunner.run(v);
            if (!r.passed()) {
                throw new AssertionFailedError(r.describe(), r.expectedText(), r.observedText());
            }
        });
    }

    private static List<DynamicTest> testsOf(Path file) {
        List<TranslationVector> cases;
        try {
            cases = VectorFile.read(file);
        } catch (VectorFormatException e) {
            return List.of(DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(), () -> {
                throw new AssertionFailedError(e.getMessage());
            }));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (TranslationVector v : cases) {
            tests.add(test(v, lineUri(file, v.line())));
        }
        return tests;
    }

    /** JUnit's FileSource form: {@code file:///...?line=N}. */
    private static URI lineUri(Path file, int line) {
        URI uri = file.toUri();
        if (line <= 0 || !"file".equals(uri.getScheme())) {
            return uri;
        }
        return URI.create(uri + "?line=" + line);
    }

    private static Path pathOf(URL url) {
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("class path resource " + url + " has no usable URI", e);
        }
        if ("jar".equals(uri.getScheme())) {
            try {
                FileSystems.newFileSystem(uri, Map.of());
            } catch (FileSystemAlreadyExistsException alreadyOpen) {
                // Opened by an earlier call: Path.of finds it.
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Path.of(uri);
    }
}
