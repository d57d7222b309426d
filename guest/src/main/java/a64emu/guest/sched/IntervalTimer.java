package a64emu.guest.sched;

/**
 * One interval timer of a process (Linux's it_real_fn state and struct cpu_itimer): a
 * deadline on its clock (the kernel's, or the process's CPU time), -1 when disarmed, and
 * the interval that re-arms it (0: it fires once).
 */
public final class IntervalTimer {
    public long deadline = -1;
    public long interval;

    public boolean armed() {
        return deadline >= 0;
    }

    /** Whether it is armed and its deadline has come at {@code now} on its clock. */
    public boolean due(long now) {
        return deadline >= 0 && deadline <= now;
    }

    /** It has fired at {@code now}: re-armed by the interval, or disarmed. */
    public void expire(long now) {
        deadline = interval > 0 ? now + interval : -1;
    }

    /** execve keeps the timer. */
    public void copyFrom(IntervalTimer other) {
        deadline = other.deadline;
        interval = other.interval;
    }
}
