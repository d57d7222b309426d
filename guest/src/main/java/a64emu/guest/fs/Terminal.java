package a64emu.guest.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What the tty ioctls report for a standard stream that is a terminal. The JVM cannot read the
 * host terminal's settings, so TCGETS reports Linux's tty_std_termios (drivers/tty/tty_io.c), the
 * state a fresh pty starts in, and TIOCGWINSZ the LINES/COLUMNS the shell exported, else 24x80.
 */
public final class Terminal {
    private Terminal() {}

    public static final long TCGETS = 0x5401;
    public static final long TCSETS = 0x5402;
    public static final long TIOCGWINSZ = 0x5413;

    /** Kernel struct termios (asm-generic/termbits.h): 4 x u32 flags, c_line, c_cc[NCCS=19]. */
    public static final int TERMIOS_SIZE = 36;
    public static final int NCCS = 19;
    /** struct winsize: ws_row, ws_col, ws_xpixel, ws_ypixel, u16 each. */
    public static final int WINSIZE_SIZE = 8;

    // asm-generic/termbits.h, checked with aarch64-linux-gnu-gcc.
    static final int ICRNL = 0400, IXON = 02000;
    static final int OPOST = 01, ONLCR = 04;
    static final int B38400 = 017, CS8 = 060, CREAD = 0200, HUPCL = 02000;
    static final int ISIG = 01, ICANON = 02, ECHO = 010, ECHOE = 020, ECHOK = 040,
            ECHOCTL = 01000, ECHOKE = 04000, IEXTEN = 0100000;
    /** include/linux/tty.h INIT_C_CC, indexed VINTR..VEOL2: ^C ^\ DEL ^U ^D 0 1 0 ^Q ^S ^Z 0 ^R ^O ^W ^V 0. */
    static final byte[] INIT_C_CC = {3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0};

    public static void encodeTermios(byte[] out) {
        ByteBuffer b = ByteBuffer.wrap(out, 0, TERMIOS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, ICRNL | IXON);
        b.putInt(4, OPOST | ONLCR);
        b.putInt(8, B38400 | CS8 | CREAD | HUPCL);
        b.putInt(12, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
        b.put(16, (byte) 0); // c_line N_TTY
        for (int i = 0; i < NCCS; i++) b.put(17 + i, i < INIT_C_CC.length ? INIT_C_CC[i] : 0);
    }

    public static void encodeWinsize(byte[] out) {
        ByteBuffer b = ByteBuffer.wrap(out, 0, WINSIZE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) dimension("LINES", 24));
        b.putShort(2, (short) dimension("COLUMNS", 80));
        b.putShort(4, (short) 0);
        b.putShort(6, (short) 0);
    }

    private static int dimension(String variable, int fallback) {
        String v = System.getenv(variable);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            return n > 0 && n <= 0xffff ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
