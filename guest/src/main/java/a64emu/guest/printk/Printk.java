package a64emu.guest.printk;

import a64emu.guest.Kernel;
import a64emu.guest.KernelLog;
import a64emu.guest.fs.WaitQueue;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What Linux 6.1's printk.c keeps beside the log buffer for its readers: {@code clear_seq}
 * (where {@code dmesg -c} left off), {@code syslog_seq} and {@code syslog_partial} (syslog's
 * own read position), the console log levels, {@code dmesg_restrict}, and the wait queue
 * {@code log_wait} that readers of /dev/kmsg, syslog(2) and poll sleep on until a message
 * comes. It reads the buffer ({@link KernelLog}) as the ring buffer's readers do: by sequence
 * number, a reader whose next record was overwritten meeting the oldest one still there.
 *
 * <p>Messages written to /dev/kmsg carry the facility their writer gave (LOG_USER unless it
 * said otherwise); the log keeps only the level, so the facility of those messages is kept
 * here by sequence number, and kernel messages are LOG_KERN (0).
 */
public final class Printk {
    /** syslog facilities: LOG_KERN for the kernel's messages, LOG_USER for those written to /dev/kmsg. */
    static final int LOG_KERN = 0;
    static final int LOG_USER = 1;
    /** LOG_LINE_MAX: CONSOLE_LOG_MAX - PREFIX_MAX, the longest write /dev/kmsg takes. */
    static final int LOG_LINE_MAX = Record.CONSOLE_LOG_MAX - 32;
    /**
     * The most text one record holds: vprintk_store reserves at most LOG_LINE_MAX bytes, the
     * string's NUL among them, and formats the message into them.
     */
    static final int TEXT_MAX = LOG_LINE_MAX - 1;
    /** log_buf_len: 1 << CONFIG_LOG_BUF_SHIFT, 17 in GKI (one CPU adds nothing in log_buf_add_cpu). */
    static final int LOG_BUF_LEN = 1 << 17;
    /** CONFIG_MESSAGE_LOGLEVEL_DEFAULT: the level of a /dev/kmsg write without a {@code <N>} prefix. */
    static final int MESSAGE_LOGLEVEL_DEFAULT = KernelLog.WARNING;
    /** console_printk[]: console_loglevel's default (CONSOLE_LOGLEVEL_DEFAULT) and floor (CONSOLE_LOGLEVEL_MIN). */
    static final int CONSOLE_LOGLEVEL_DEFAULT = 7;
    static final int CONSOLE_LOGLEVEL_MIN = 1;
    /** LOGLEVEL_DEFAULT: "no saved console level" in do_syslog. */
    static final int LOGLEVEL_DEFAULT = -1;

    private static final Map<Kernel, Printk> OF_KERNEL = new WeakHashMap<>();

    private final Supplier<KernelLog> log;
    private final Consumer<Object> waker;
    private final WaitQueue logWait = new WaitQueue();
    private final Syslog syslog = new Syslog(this);
    /** The facility of each message written to /dev/kmsg still in the buffer, by sequence. */
    private final TreeMap<Long, Integer> facilities = new TreeMap<>();
    private long clearSeq;
    long syslogSeq;
    int syslogPartial;
    boolean syslogTime;
    int consoleLoglevel = CONSOLE_LOGLEVEL_DEFAULT;
    int savedConsoleLoglevel = LOGLEVEL_DEFAULT;
    /**
     * kernel.dmesg_restrict: 0, GKI's value (CONFIG_SECURITY_DMESG_RESTRICT is not set) and
     * Android's since its init.rc stopped writing 1 (SELinux's syslog_read permission guards
     * the log instead): anyone may read the whole log; the other actions need CAP_SYSLOG.
     */
    int dmesgRestrict;
    /** printk_time (CONFIG_PRINTK_TIME=y in GKI): syslog lines carry the time since boot. */
    final boolean printkTime = true;

    /**
     * @param waker wakes the threads sleeping on a channel (the kernel's
     *     {@code wakeChannel}): a reader blocked in read(2) or syslog(2) sleeps on this object
     */
    public Printk(KernelLog log, Consumer<Object> waker) {
        this(() -> log, waker);
    }

    private Printk(Supplier<KernelLog> log, Consumer<Object> waker) {
        this.log = log;
        this.waker = waker;
    }

    /**
     * The printk state of {@code kernel}'s log: one per kernel, made at first use, as printk.c's
     * are statics of the one kernel. It reaches the kernel through a weak reference, so that
     * the registry does not keep a finished kernel (and its RAM) alive.
     */
    public static synchronized Printk of(Kernel kernel) {
        return OF_KERNEL.computeIfAbsent(kernel, k -> {
            WeakReference<Kernel> ref = new WeakReference<>(k);
            return new Printk(() -> ref.get().kernelLog(), channel -> {
                Kernel alive = ref.get();
                if (alive != null) alive.wakeChannel(channel);
            });
        });
    }

    /** The log buffer read. */
    public KernelLog log() {
        return log.get();
    }

    /** The syslog(2) actions on this log. */
    public Syslog syslog() {
        return syslog;
    }

    /** log_wait: pollers of /dev/kmsg sleep here until {@link #logged} announces a message. */
    WaitQueue logWait() {
        return logWait;
    }

    /**
     * A message was written to the log: wakes every reader waiting for one
     * ({@code wake_up_klogd}). The kernel calls this for each message it logs.
     */
    public void logged() {
        logWait.wakeUp();
        waker.accept(this);
    }

    /**
     * {@code devkmsg_emit}: logs {@code text} from userspace with its facility and level and
     * wakes the readers.
     */
    void emit(int facility, int level, byte[] text) {
        log().log(level, new String(text, StandardCharsets.UTF_8));
        List<KernelLog.Message> m = log().messages();
        long seq = m.get(m.size() - 1).sequence();
        facilities.headMap(m.get(0).sequence()).clear();
        facilities.put(seq, facility);
        logged();
    }

    /** {@code prb_first_valid_seq}: the oldest record still in the buffer (the next one if it is empty). */
    long firstSeq() {
        List<KernelLog.Message> m = log().messages();
        return m.isEmpty() ? 0 : m.get(0).sequence();
    }

    /** {@code prb_next_seq}: the sequence number the next record will get. */
    long nextSeq() {
        List<KernelLog.Message> m = log().messages();
        return m.isEmpty() ? 0 : m.get(m.size() - 1).sequence() + 1;
    }

    /**
     * {@code prb_read_valid}: the record {@code seq}, or the first after it when it was
     * overwritten; null when there is none yet.
     */
    Record read(long seq) {
        List<KernelLog.Message> m = log().messages();
        if (m.isEmpty() || seq > m.get(m.size() - 1).sequence()) return null;
        long first = m.get(0).sequence();
        return record(m.get((int) Math.max(0, seq - first)));
    }

    /** The records from {@code seq} on (or from the oldest still there), oldest first. */
    List<Record> recordsFrom(long seq) {
        List<KernelLog.Message> m = log().messages();
        if (m.isEmpty()) return List.of();
        long first = m.get(0).sequence();
        int from = (int) Math.min(m.size(), Math.max(0, seq - first));
        return m.subList(from, m.size()).stream().map(this::record).toList();
    }

    /** The record of {@code m}, its text cut to {@link #TEXT_MAX} bytes as vprintk_store would have stored it. */
    private Record record(KernelLog.Message m) {
        int facility = facilities.getOrDefault(m.sequence(), LOG_KERN);
        byte[] text = m.text().getBytes(StandardCharsets.UTF_8);
        if (text.length > TEXT_MAX) text = java.util.Arrays.copyOf(text, TEXT_MAX);
        return new Record(facility, m.level(), m.sequence(), m.nanos(), text);
    }

    /** clear_seq: the first record after the last SYSLOG_ACTION_CLEAR (0 until one). */
    long clearSeq() {
        return clearSeq;
    }

    void setClearSeq(long seq) {
        clearSeq = seq;
    }
}
