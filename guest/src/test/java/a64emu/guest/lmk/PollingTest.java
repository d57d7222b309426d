package a64emu.guest.lmk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.lmk.PsiPolicy.Level;
import a64emu.guest.lmk.PsiPolicy.Poll;
import a64emu.guest.lmk.PsiPolicy.Update;
import org.junit.jupiter.api.Test;

/** lmkd's polling after a PSI event: its intervals, its one-second window, its pause while a victim dies. */
class PollingTest {
    private final Polling polling = new Polling();

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }

    /** A poll at {@code atMs} that asks for {@code update}, then lmkd sleeps. */
    private void poll(long atMs, Update update, int intervalMs) {
        assertTrue(polling.pollNow(ms(atMs)), "a poll is due at " + atMs);
        polling.handled(polling.level(), new Poll(update, intervalMs), ms(atMs));
        polling.sleep(ms(atMs));
    }

    @Test
    void anEventStartsPollingEveryHundredMillisecondsForOneSecond() {
        polling.handled(Level.MEDIUM, new Poll(Update.START, 100), ms(5000));
        polling.sleep(ms(5000));
        assertEquals(ms(5100), polling.nextPollNanos());
        assertFalse(polling.timerDue(ms(5099)));
        for (long t = 5100; t <= 6000; t += 100) {
            assertTrue(polling.timerDue(ms(t)), "poll at " + t);
            poll(t, Update.DO_NOT_CHANGE, 100);
        }
        assertEquals(Level.MEDIUM, polling.level());
        poll(6100, Update.DO_NOT_CHANGE, 100); // more than a second since the event: stop
        assertNull(polling.level());
        assertFalse(polling.timerDue(ms(7000)));
    }

    @Test
    void lowSwapOrAKillMakesItPollEveryTenMilliseconds() {
        polling.handled(Level.MEDIUM, new Poll(Update.START, 10), ms(5000));
        polling.sleep(ms(5000));
        assertEquals(ms(5010), polling.nextPollNanos());
    }

    @Test
    void aHandlerThatAsksToStartAgainExtendsTheWindow() {
        polling.handled(Level.MEDIUM, new Poll(Update.START, 100), ms(5000));
        polling.sleep(ms(5000));
        poll(5100, Update.START, 100);
        for (long t = 5200; t <= 6100; t += 100) {
            poll(t, Update.DO_NOT_CHANGE, 100);
        }
        assertEquals(Level.MEDIUM, polling.level());
        poll(6200, Update.DO_NOT_CHANGE, 100);
        assertNull(polling.level());
    }

    @Test
    void pollingPausesWhileTheVictimDiesAndResumesFastAtOnce() {
        polling.handled(Level.MEDIUM, new Poll(Update.START, 100), ms(5000));
        polling.sleep(ms(5000));
        poll(5100, Update.PAUSE, -1);
        assertNull(polling.level());
        assertFalse(polling.timerDue(ms(9000)));
        polling.resume(ms(5104));
        assertEquals(Level.MEDIUM, polling.level());
        assertTrue(polling.timerDue(ms(5104)));
        assertTrue(polling.pollNow(ms(5104)));
        assertEquals(10, polling.intervalMs());
        poll(5104, Update.DO_NOT_CHANGE, 10);
        assertFalse(polling.pollNow(ms(5108)));
        assertEquals(ms(5114), polling.nextPollNanos());
    }

    @Test
    void aCriticalEventTakesOverPolling() {
        polling.handled(Level.MEDIUM, new Poll(Update.START, 100), ms(5000));
        polling.handled(Level.CRITICAL, new Poll(Update.START, 10), ms(5050));
        assertEquals(Level.CRITICAL, polling.level());
    }

    @Test
    void nothingToPollBeforeAnyEvent() {
        assertNull(polling.level());
        assertFalse(polling.timerDue(ms(100_000)));
        polling.resume(ms(1));
        assertNull(polling.level(), "no paused level to resume");
    }
}
