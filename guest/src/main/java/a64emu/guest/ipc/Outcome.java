package a64emu.guest.ipc;

/**
 * The answer of an IPC call that may wait: a value (or -errno), or the object the thread
 * must sleep on before it runs the call again (a semaphore set, a message queue). The
 * object's wake-ups go to the kernel's wait channel of that object.
 */
public record Outcome(long value, Object sleepOn) {
    public static Outcome of(long value) {
        return new Outcome(value, null);
    }

    public static Outcome sleep(Object on) {
        return new Outcome(0, on);
    }

    public boolean blocks() {
        return sleepOn != null;
    }
}
