package a64emu.guest.sched;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The kernel's NTP state as adjtimex and clock_adjtime report it (Linux {@code kernel/time/ntp.c},
 * {@code __do_adjtimex}), and struct __kernel_timex. No NTP daemon ever disciplines this
 * machine's clock and an unprivileged process cannot change the state, so it stays as
 * {@code ntp_clear} leaves it: STA_UNSYNC, the maximum and estimated errors at
 * NTP_PHASE_LIMIT, and the call's result TIME_ERROR, as on any unsynchronised Linux machine.
 */
public final class Timex {
    /** sizeof(struct __kernel_timex) on 64-bit. */
    public static final int SIZE = 208;
    public static final int ADJ_OFFSET_SINGLESHOT = 0x0001;
    public static final int ADJ_TICK = 0x4000;
    public static final int ADJ_OFFSET_READONLY = 0x2000;
    /** The kernel's ADJ_ADJTIME: adjtime(3)'s mode (user space writes ADJ_OFFSET_SINGLESHOT as 0x8001). */
    public static final int ADJ_ADJTIME = 0x8000;
    public static final int STA_UNSYNC = 0x0040;
    public static final int TIME_OK = 0;
    public static final int TIME_ERROR = 5;
    /** NTP_PHASE_LIMIT: maxerror and esterror of an unsynchronised clock, in microseconds. */
    static final long NTP_PHASE_LIMIT = 16_000_000;
    /** time_constant after ntp_init. */
    static final long TIME_CONSTANT = 2;
    /** MAXFREQ_SCALED / PPM_SCALE: 500 ppm in the scaled units. */
    static final long TOLERANCE = 500L << 16;
    /** tick_usec: one USER_HZ (100) tick in microseconds. */
    static final long TICK_USEC = 10_000;

    // struct __kernel_timex field offsets.
    private static final int OFFSET = 8;
    private static final int FREQ = 16;
    private static final int MAXERROR = 24;
    private static final int ESTERROR = 32;
    private static final int STATUS = 40;
    private static final int CONSTANT = 48;
    private static final int PRECISION = 56;
    private static final int TOLERANCE_AT = 64;
    private static final int TIME_SEC = 72;
    private static final int TIME_USEC = 80;
    private static final int TICK = 88;
    private static final int PPS_FIRST = 96;
    private static final int TAI = 160;

    private Timex() {}

    /** The modes word, the first field. */
    public static int modes(byte[] timex) {
        return buffer(timex).getInt(0);
    }

    /** The tick field (for ADJ_TICK's range check). */
    public static long tick(byte[] timex) {
        return buffer(timex).getLong(TICK);
    }

    /**
     * __do_adjtimex for a call that changes nothing: fills {@code timex} (its modes and padding
     * kept) with the clock's state and {@code realtimeNanos}, and returns the clock state.
     * adjtime's read-only mode reports the pending adjustment (none) as the offset.
     */
    public static int read(byte[] timex, long realtimeNanos) {
        ByteBuffer b = buffer(timex);
        b.putLong(OFFSET, 0);
        b.putLong(FREQ, 0);
        b.putLong(MAXERROR, NTP_PHASE_LIMIT);
        b.putLong(ESTERROR, NTP_PHASE_LIMIT);
        b.putInt(STATUS, STA_UNSYNC);
        b.putLong(CONSTANT, TIME_CONSTANT);
        b.putLong(PRECISION, 1);
        b.putLong(TOLERANCE_AT, TOLERANCE);
        // Without STA_NANO the time is in microseconds.
        b.putLong(TIME_SEC, Math.floorDiv(realtimeNanos, 1_000_000_000L));
        b.putLong(TIME_USEC, Math.floorMod(realtimeNanos, 1_000_000_000L) / 1000);
        b.putLong(TICK, TICK_USEC);
        // pps_fill_timex without CONFIG_NTP_PPS: ppsfreq, jitter, shift, stabil, jitcnt, calcnt, errcnt, stbcnt zero.
        for (int at = PPS_FIRST; at < TAI; at += 8) {
            b.putLong(at, 0);
        }
        b.putInt(TAI, 0);
        return TIME_ERROR; // is_error_status: STA_UNSYNC
    }

    private static ByteBuffer buffer(byte[] timex) {
        return ByteBuffer.wrap(timex).order(ByteOrder.LITTLE_ENDIAN);
    }
}
