package a64emu.guest.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.sched.HrTimers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** timerfd's expirations on a clock the test moves (fs/timerfd.c, hrtimer_forward_now). */
class TimerFdTest {
    private static final long MS = 1_000_000;
    private long now = 1_000 * MS;
    private final HrTimers timers = new HrTimers();
    private final List<Object> woken = new ArrayList<>();
    private final TimerFd timer = new TimerFd(1, 0, timers, () -> now, woken::add);

    private long read() {
        byte[] b = new byte[8];
        long r = timer.read(b, 0, 8);
        return r < 0 ? r : ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void aOneShotTimerExpiresOnceAtItsDeadline() {
        timer.set(now + 10 * MS, 0);
        assertEquals(now + 10 * MS, timers.earliest(), "the scheduler jumps the clock there");
        assertEquals(-Errno.EAGAIN, read());
        now += 10 * MS;
        timers.fire(now);
        assertEquals(List.of(timer), woken, "readers and pollers wake at expiry");
        assertEquals(PollTable.POLLIN, timer.poll(null));
        assertEquals(1, read());
        assertEquals(-Errno.EAGAIN, read());
        assertArrayEquals(new long[] {0, 0}, timer.get(), "nothing left of a one-shot timer");
    }

    @Test
    void anIntervalTimerCountsTheExpirationsMissedBeforeTheRead() {
        timer.set(now + 10 * MS, 10 * MS);
        now += 45 * MS; // expirations at 10, 20, 30 and 40 ms
        timers.fire(now);
        assertEquals(4, read());
        assertEquals(-Errno.EAGAIN, read());
        assertEquals(now + 5 * MS, timers.earliest(), "re-armed at the next multiple: 50 ms");
        now += 5 * MS;
        timers.fire(now);
        assertEquals(1, read());
    }

    @Test
    void anExpiryDueButNotYetFiredIsSeenByTheNextRead() {
        timer.set(now + MS, 0);
        now += 2 * MS; // the scheduler has not run the timer queue yet
        assertEquals(1, read());
    }

    @Test
    void gettimeGivesTheTimeLeftAndTheInterval() {
        timer.set(now + 30 * MS, 7 * MS);
        now += 10 * MS;
        assertArrayEquals(new long[] {20 * MS, 7 * MS}, timer.get());
    }

    @Test
    void settimeAnswersTheOldSettingAndStartsCountingAfresh() {
        timer.set(now + 10 * MS, 10 * MS);
        now += 25 * MS;
        timers.fire(now);
        long[] old = timer.set(-1, 0);
        assertArrayEquals(new long[] {5 * MS, 10 * MS}, old, "forwarded past now: 5 ms to the 30 ms expiry");
        assertEquals(-Errno.EAGAIN, read(), "disarming drops the count");
        assertEquals(Long.MAX_VALUE, timers.earliest());
    }

    @Test
    void theLastCloseCancelsTheTimerAndWritesAreEinval() {
        timer.set(now + 10 * MS, 0);
        assertEquals(-Errno.EINVAL, timer.write(new byte[8], 0, 8));
        assertEquals(-Errno.EINVAL, timer.read(new byte[4], 0, 4));
        assertTrue(timers.earliest() < Long.MAX_VALUE);
        timer.release();
        assertEquals(Long.MAX_VALUE, timers.earliest());
        assertFalse(woken.contains(timer));
    }
}
