package a64emu.guest.aio;

/**
 * The system-wide limit on AIO events (fs.aio-max-nr) and how many the live contexts hold
 * (fs.aio-nr): each context counts the nr_events its io_setup asked for.
 */
public final class AioLimits {
    /** fs.aio-max-nr's default. */
    public static final long AIO_MAX_NR = 65536;
    private long aioNr;

    /** Takes {@code n} events for a new context; false (EAGAIN) if that passes aio-max-nr. */
    public synchronized boolean reserve(long n) {
        if (aioNr + n > AIO_MAX_NR || aioNr + n < aioNr) {
            return false;
        }
        aioNr += n;
        return true;
    }

    public synchronized void release(long n) {
        aioNr -= n;
    }

    /** fs.aio-nr. */
    public synchronized long aioNr() {
        return aioNr;
    }
}
