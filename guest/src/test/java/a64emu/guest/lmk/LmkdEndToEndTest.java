package a64emu.guest.lmk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.KernelLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whole runs of guest/programs/src/lmk_basic.c on a small phone (64 MiB of RAM, 32 MiB of zram):
 * four cached apps (oom_score_adj 990, 970, 950, 930) and a foreground parent that grows until
 * they are gone. lmkd kills them, the highest adj first, and the kernel's OOM killer never runs;
 * without lmkd the OOM killer has to.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LmkdEndToEndTest {
    /** Tests run in the module directory. */
    private static final Path PROGRAM = Path.of("programs/bin/lmk_basic");
    private static final Path EXPECTED = Path.of("programs/expected/lmk_basic.stdout");
    private static final Pattern KILL_LINE = Pattern.compile(
            "Kill '[^']*lmk_basic' \\(\\d+\\), uid \\d+, oom_score_adj (\\d+) to free \\d+kB rss, \\d+kB swap; reason: .+");
    private static final Pattern MINFREE_KILL_LINE = Pattern.compile(
            "Kill '[^']*lmk_basic' \\(\\d+\\), uid \\d+, oom_score_adj (\\d+) to free \\d+kB rss, \\d+kb swap");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Kernel kernel;

    private int run(LmkConfig lmk) {
        KernelConfig config = KernelConfig.defaults().withRam(64L << 20)
                .withMemory(KernelConfig.Memory.DEFAULT.withZram(32L << 20).withLmk(lmk))
                .withStreams(new ByteArrayInputStream(new byte[0]), out, err);
        kernel = new Kernel(config);
        return kernel.run(PROGRAM, List.of(PROGRAM.toString()), List.of("A64EMU_TEST=1"));
    }

    private Lmkd lmkd() {
        return kernel.kernelThreads().stream().filter(Lmkd.class::isInstance).map(Lmkd.class::cast).findFirst()
                .orElseThrow();
    }

    private List<String> killLines(Pattern p) {
        return kernel.kernelLog().messages().stream()
                .filter(m -> m.level() == KernelLog.INFO && p.matcher(m.text()).matches())
                .map(KernelLog.Message::text).toList();
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void underThePsiPolicyLmkdKillsTheCachedAppsHighestAdjFirstBeforeAnyOomKill() throws IOException {
        assertEquals(0, run(LmkConfig.DEFAULT), err.toString(StandardCharsets.UTF_8));
        assertEquals(Files.readString(EXPECTED), stdout());
        assertEquals(0, kernel.oomKiller().kills(), "the OOM killer never ran");
        Lmkd lmkd = lmkd();
        assertEquals(4, lmkd.kills());
        assertEquals(4, lmkd.kills(900, 999));
        assertEquals(List.of(990, 970, 950, 930), lmkd.killed().stream().map(LmkKill::oomScoreAdj).toList());
        assertEquals(930, lmkd.lastKill().oomScoreAdj());
        for (LmkKill k : lmkd.killed()) {
            assertNotEquals(Kernel.FIRST_PID, k.pid(), "the parent, which nobody registered, is not lmkd's");
            assertNotEquals(KillReason.NONE, k.reason());
            assertTrue(k.minAdj() <= k.oomScoreAdj());
        }
        List<String> lines = killLines(KILL_LINE);
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertEquals(lmkd.killed().stream().map(LmkKill::logLine).toList(), lines);
        assertTrue(lmkd.pressureEvents() >= 1, "a PSI trigger woke it");
    }

    @Test
    void underTheMinfreePolicyTheOrderIsTheSameAndTheUnregisteredParentSurvivesAdjZero() throws IOException {
        assertEquals(0, run(LmkConfig.parse("minfree")), err.toString(StandardCharsets.UTF_8));
        assertEquals(Files.readString(EXPECTED), stdout());
        assertEquals(0, kernel.oomKiller().kills());
        Lmkd lmkd = lmkd();
        // 64 MiB is far below 350 MB: ActivityManager's low-end table.
        assertEquals(MinfreeTable.android(16383 * 4), lmkd.minfreeTable());
        assertEquals(List.of(990, 970, 950, 930), lmkd.killed().stream().map(LmkKill::oomScoreAdj).toList());
        // Free memory under reclaim is far below the first level (12 MiB): every kill allowed adj 0,
        // and still the parent at adj 0 lived, as a process nobody registered with lmkd.
        assertTrue(lmkd.killed().stream().allMatch(k -> k.minAdj() == 0 && k.reason() == KillReason.NONE));
        assertEquals(4, killLines(MINFREE_KILL_LINE).size());
        assertTrue(kernel.kernelLog().messages().stream().anyMatch(m -> m.text().startsWith("Reclaimed ")
                && m.text().endsWith(" for oom_score_adj 0")));
    }

    @Test
    void withoutLmkdTheOomKillerHasToKill() {
        run(LmkConfig.OFF);
        assertTrue(kernel.kernelThreads().stream().noneMatch(Lmkd.class::isInstance));
        assertTrue(kernel.oomKiller().kills() >= 1, "OOM kills: " + kernel.oomKiller().kills());
        // oom_badness adds adj thousandths of RAM+swap: the child at 990 outweighs the others.
        String first = kernel.kernelLog().messages().stream().map(KernelLog.Message::text)
                .filter(t -> t.startsWith("Out of memory: Killed process ")).findFirst().orElseThrow();
        assertTrue(first.endsWith(" oom_score_adj:990"), first);
    }
}
