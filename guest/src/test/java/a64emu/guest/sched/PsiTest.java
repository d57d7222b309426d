package a64emu.guest.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PsiTest {
    private long now = 1_000_000_000L;
    private final Psi psi = new Psi(() -> now);

    /** Stalls {@code fraction} of each of {@code periods} PSI periods. */
    private void stallPeriods(int periods, double fraction, boolean full) {
        for (int i = 0; i < periods; i++) {
            long stall = (long) (Psi.PERIOD_NANOS * fraction);
            now += stall;
            psi.stalled(stall, full);
            now += Psi.PERIOD_NANOS - stall;
        }
    }

    @Test
    void withoutStallsEveryAverageAndTotalIsZero() {
        now += 10 * Psi.PERIOD_NANOS;
        assertEquals("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
                + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", psi.show());
    }

    @Test
    void totalsAreTheStallTimeInMicrosecondsAndFullOnlyWhenNoOneElseCouldRun() {
        now += 5_000_000;
        psi.stalled(3_000_000, true);
        now += 5_000_000;
        psi.stalled(2_000_000, false);
        assertEquals(5_000_000, psi.total(Psi.State.SOME));
        assertEquals(3_000_000, psi.total(Psi.State.FULL));
        assertTrue(psi.line(Psi.State.SOME).endsWith(" total=5000"), psi.line(Psi.State.SOME));
        assertTrue(psi.line(Psi.State.FULL).endsWith(" total=3000"), psi.line(Psi.State.FULL));
    }

    @Test
    void aSteadyHalfStallMakesTheTenSecondAverageApproachFiftyPercent() {
        stallPeriods(60, 0.5, false);
        long[] some = psi.averages(Psi.State.SOME);
        long avg10 = some[0] >> LoadAverage.FSHIFT;
        assertTrue(avg10 >= 48 && avg10 <= 50, "avg10 " + psi.line(Psi.State.SOME));
        assertTrue(some[0] > some[1] && some[1] > some[2], "shorter windows rise faster");
        assertEquals(0, psi.averages(Psi.State.FULL)[0]);
    }

    @Test
    void periodsWithoutStallsDecayTheAveragesAsZeroPressure() {
        stallPeriods(30, 1.0, true);
        long before = psi.averages(Psi.State.FULL)[0];
        now += 5 * Psi.PERIOD_NANOS; // missed periods, folded in as zeros on the next look
        long after = psi.averages(Psi.State.FULL)[0];
        assertTrue(after < before / 2, before + " -> " + after);
    }

    @Test
    void calcAvgsFollowsTheKernelsFixedPointArithmetic() {
        // One full period of 100% stall from zero: avg10 = (0*1677 + 100*2048*(2048-1677) + 2047) / 2048.
        now += Psi.PERIOD_NANOS;
        psi.stalled(Psi.PERIOD_NANOS, true);
        now += 1;
        long expected = (100L * 2048 * (2048 - 1677) + 2047) / 2048;
        assertEquals(expected, psi.averages(Psi.State.SOME)[0]);
    }

    @Test
    void aTriggerFiresOnceThresholdStallAccumulatesWithinItsWindowAndAtMostOncePerWindow() {
        int[] events = {0};
        psi.addTrigger(Psi.State.SOME, 70_000_000L, 1_000_000_000L, () -> events[0]++);
        now += 100_000_000L;
        psi.stalled(50_000_000L, false);
        assertEquals(0, events[0], "50 ms of 70 ms");
        now += 100_000_000L;
        psi.stalled(30_000_000L, false);
        assertEquals(1, events[0], "80 ms within the window");
        now += 100_000_000L;
        psi.stalled(100_000_000L, false);
        assertEquals(1, events[0], "rate-limited to one event per window");
        now += 1_000_000_000L;
        psi.stalled(80_000_000L, false);
        assertEquals(2, events[0]);
    }
}
