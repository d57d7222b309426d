package a64emu.guest.lmk;

import a64emu.guest.lmk.PsiPolicy.Level;
import a64emu.guest.lmk.PsiPolicy.Poll;

/**
 * lmkd's polling after a PSI event ({@code struct polling_params}, {@code call_handler},
 * {@code resume_polling} and the timeout of {@code mainloop}): PSI reports at most one event per
 * window, so after one lmkd looks again every interval (100 ms, or 10 ms while swap is low or it
 * kills) for {@link #WINDOW_MS} after the event, longer while the handler keeps asking
 * ({@link PsiPolicy.Update#START}); while a victim dies polling is paused, and it resumes, with a
 * look at once, when the victim is dead. Times are the kernel's clock in nanoseconds.
 */
final class Polling {
    /** PSI_WINDOW_SIZE_MS: the PSI monitors' window, and how long polling lasts after it (re)starts. */
    static final long WINDOW_MS = 1000;

    private Level level;
    private Level paused;
    private long startNanos;
    private long lastPollNanos;
    private long nextPollNanos;
    private int intervalMs = PsiPolicy.POLL_LONG_MS;
    private boolean resumed;

    /** The level being polled ({@code poll_handler}), or null when lmkd only waits for events. */
    Level level() {
        return level;
    }

    int intervalMs() {
        return intervalMs;
    }

    /** Whether the poll timer has expired at {@code now} (or polling has just resumed): lmkd should wake. */
    boolean timerDue(long now) {
        return level != null && (resumed || now >= nextPollNanos);
    }

    /** {@code poll_now} in a wake-up at {@code now}: just resumed, or an interval since the last poll. */
    boolean pollNow(long now) {
        return level != null && (resumed || now - lastPollNanos >= intervalMs * 1_000_000L);
    }

    /**
     * lmkd goes back to epoll_wait at {@code now}: the next poll comes one interval after the last,
     * or a whole interval from now if that moment has passed without one.
     */
    void sleep(long now) {
        long interval = intervalMs * 1_000_000L;
        nextPollNanos = now - lastPollNanos < interval ? lastPollNanos + interval : now + interval;
    }

    /** When the poll timer expires (after {@link #sleep}). */
    long nextPollNanos() {
        return nextPollNanos;
    }

    /** What {@code call_handler} does after the handler of {@code handled} returned {@code poll} at {@code now}. */
    void handled(Level handled, Poll poll, long now) {
        if (level == handled) {
            lastPollNanos = now;
            resumed = false;
        }
        switch (poll.update()) {
            case START -> {
                startNanos = now;
                level = handled;
            }
            case PAUSE -> {
                paused = handled;
                level = null;
            }
            case RESUME -> resume(now);
            case DO_NOT_CHANGE -> {
                if (level != null && PsiPolicy.millis(now - startNanos) > WINDOW_MS) {
                    level = null; // polled for a whole window: wait for the next event
                }
            }
        }
        if (poll.intervalMs() >= 0) {
            intervalMs = poll.intervalMs();
        }
    }

    /** {@code resume_polling}: the victim is dead; poll the paused level again, at once and then fast. */
    void resume(long now) {
        if (paused == null) {
            return;
        }
        startNanos = now;
        level = paused;
        intervalMs = PsiPolicy.POLL_SHORT_MS;
        paused = null;
        resumed = true;
    }
}
