package a64emu.guest.mm;

/**
 * Physical RAM has no free frame left. A checked exception so that every place that
 * allocates decides what exhaustion means there: ENOMEM for a system call, SIGKILL for
 * a page fault (Linux's out-of-memory kill), a one-line message at program load.
 */
public final class OutOfFramesException extends Exception {
    /** @param reason what ran out, in words (frames in use, swap used) */
    public OutOfFramesException(String reason) {
        super(reason, null, false, false);
    }
}
