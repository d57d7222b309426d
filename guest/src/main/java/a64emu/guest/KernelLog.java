package a64emu.guest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The kernel's message buffer (Linux {@code kernel/printk/}): each message with its log
 * level and the time since boot it was written, kept in a bounded ring as the kernel's
 * {@code log_buf} is (the oldest go first). Readers see the lines as {@code dmesg} prints
 * them; a listener may copy each one as it is written.
 */
public final class KernelLog {
    /** Log levels, {@code KERN_EMERG} (0) to {@code KERN_DEBUG} (7). */
    public static final int EMERG = 0;
    public static final int ALERT = 1;
    public static final int CRIT = 2;
    public static final int ERR = 3;
    public static final int WARNING = 4;
    public static final int NOTICE = 5;
    public static final int INFO = 6;
    public static final int DEBUG = 7;

    /** How many messages are kept (a 128 KiB log_buf holds a few thousand lines). */
    static final int CAPACITY = 4096;

    /** One message: its level, sequence number, time since boot and text. */
    public record Message(int level, long sequence, long nanos, String text) {
        /** As dmesg prints it: {@code [   12.345678] text}. */
        public String dmesgLine() {
            return String.format("[%5d.%06d] %s", nanos / 1_000_000_000L, (nanos / 1000) % 1_000_000, text);
        }
    }

    private final LongSupplier clock;
    private final ArrayDeque<Message> messages = new ArrayDeque<>();
    private long sequence;
    private Consumer<Message> listener = m -> { };
    /** The kernel's own readers of new messages (/dev/kmsg and syslog waiters). */
    private final List<Consumer<Message>> readers = new ArrayList<>();

    /** @param clock nanoseconds since boot */
    public KernelLog(LongSupplier clock) {
        this.clock = clock;
    }

    /** {@code printk} at {@code level}. */
    public void log(int level, String text) {
        Message m = new Message(level, sequence++, clock.getAsLong(), text);
        if (messages.size() == CAPACITY) {
            messages.removeFirst();
        }
        messages.addLast(m);
        for (Consumer<Message> r : readers) {
            r.accept(m);
        }
        listener.accept(m);
    }

    /** Called with each message as it is written (run --kernel-log copies them to stderr). */
    public void setListener(Consumer<Message> l) {
        listener = l;
    }

    /** Adds a kernel-side reader told of each new message (wakes /dev/kmsg and syslog readers). */
    public void addReader(Consumer<Message> r) {
        readers.add(r);
    }

    /** The messages still in the buffer, oldest first. */
    public List<Message> messages() {
        return new ArrayList<>(messages);
    }
}
