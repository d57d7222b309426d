package a64emu.tools.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What Unicorn cannot check (LSE atomics, v8.1-v8.5 additions, the instructions QEMU 2.2
 * gets wrong) replayed against recorded qemu-aarch64 7.2 outcomes, without the cross tools.
 * Recorded with {@code a64emu difftest --oracle qemu --record FILE} (see the file's header lines).
 */
class QemuVectorsTest {
    private static final String RESOURCE = "qemu-vectors.txt";

    @Test
    void a64emuAgreesWithRecordedQemuOutcomes() throws IOException {
        List<QemuVectors.Vector> vectors = new ArrayList<>();
        long seed;
        try (InputStream in = QemuVectorsTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE + " is missing");
            seed = QemuVectors.read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), vectors);
        }
        assertTrue(vectors.size() > 3000, "vectors: " + vectors.size());
        List<String> mismatches = QemuVectors.replay(seed, vectors);
        assertEquals(List.of(), mismatches.stream().limit(40).toList(), () -> mismatches.size() + " of "
                + vectors.size() + " vectors differ");
    }

    @Test
    void vectorsCoverEveryEncodingUnicornCannotRun() throws IOException {
        List<QemuVectors.Vector> vectors = new ArrayList<>();
        try (InputStream in = QemuVectorsTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE + " is missing");
            QemuVectors.read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), vectors);
        }
        Set<String> recorded = vectors.stream().map(v -> v.c().encoding().name()).collect(Collectors.toSet());
        for (String name : List.of("LDADD", "LDCLR", "LDEOR", "LDSET", "LDSMAX", "LDSMIN", "LDUMAX", "LDUMIN", "SWP",
                "CAS", "CASP", "LDAPR")) {
            assertTrue(recorded.contains(name), name + " has no recorded qemu outcome");
        }
    }

    @Test
    void aChangedOutcomeIsReportedAsAMismatch() throws IOException {
        String line = "LoadStoreAtomic LDADD 38200020 10004 1234 | RETIRED 0=0 | mem";
        List<QemuVectors.Vector> vectors = new ArrayList<>();
        QemuVectors.read(new BufferedReader(new java.io.StringReader("# seed 1\n" + line)), vectors);
        List<String> mismatches = QemuVectors.replay(1, vectors);
        assertEquals(1, mismatches.size(), () -> "LDADDB with x0 forced to 0 and no store must differ: " + mismatches);
    }
}
