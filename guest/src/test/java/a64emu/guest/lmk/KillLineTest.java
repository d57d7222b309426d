package a64emu.guest.lmk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** lmkd's kill line, character for character. */
class KillLineTest {
    @Test
    void aKillWithAReasonEndsWithIt() {
        LmkKill k = new LmkKill(1, 4243, "com.example.cached", 10123, 950, 701, 81920, 4096, KillReason.LOW_MEM,
                "low watermark is breached");
        assertEquals("Kill 'com.example.cached' (4243), uid 10123, oom_score_adj 950 to free 81920kB rss, "
                + "4096kB swap; reason: low watermark is breached", k.logLine());
    }

    @Test
    void aKillWithoutAReasonSaysKbInLowerCaseAsLmkdDoes() {
        LmkKill k = new LmkKill(1, 77, "app", 0, 900, 900, 12, 0, KillReason.NONE, null);
        assertEquals("Kill 'app' (77), uid 0, oom_score_adj 900 to free 12kB rss, 0kb swap", k.logLine());
    }
}
