package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.le;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TerminalLayoutTest {
    @Test
    void termiosIsTtyStdTermiosInTheArm64KernelLayout() {
        byte[] t = new byte[Terminal.TERMIOS_SIZE];
        Terminal.encodeTermios(t);
        ByteBuffer b = le(t);
        assertEquals(Terminal.ICRNL | Terminal.IXON, b.getInt(0), "c_iflag");
        assertEquals(Terminal.OPOST | Terminal.ONLCR, b.getInt(4), "c_oflag");
        assertEquals(0277 | Terminal.HUPCL, b.getInt(8), "c_cflag B38400|CS8|CREAD|HUPCL");
        assertTrue((b.getInt(12) & Terminal.ICANON) != 0, "canonical mode");
        assertTrue((b.getInt(12) & Terminal.ECHO) != 0, "echo on");
        assertEquals(0, t[16], "c_line N_TTY");
        assertEquals(3, t[17], "c_cc[VINTR] = ^C");
        assertEquals(4, t[17 + 4], "c_cc[VEOF] = ^D");
        assertEquals(1, t[17 + 6], "c_cc[VMIN] = 1");
        assertEquals(0, t[17 + 18], "c_cc[18] unused");
    }

    @Test
    void winsizeHasNonZeroRowsAndColumnsAndNoPixels() {
        byte[] w = new byte[Terminal.WINSIZE_SIZE];
        Terminal.encodeWinsize(w);
        ByteBuffer b = le(w);
        assertTrue(b.getShort(0) > 0, "ws_row");
        assertTrue(b.getShort(2) > 0, "ws_col");
        assertEquals(0, b.getInt(4), "ws_xpixel, ws_ypixel");
    }
}
