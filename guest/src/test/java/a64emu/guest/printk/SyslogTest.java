package a64emu.guest.printk;

import static a64emu.guest.printk.Syslog.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import a64emu.guest.Errno;
import a64emu.guest.KernelLog;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** syslog(2)'s actions (printk.c do_syslog) and their permission checks. */
class SyslogTest {
    private long now = 2_000_001_000L;
    private final KernelLog log = new KernelLog(() -> now);
    private final Printk printk = new Printk(log, channel -> { });
    private final Syslog syslog = printk.syslog();
    private static final Caller ROOT = new Caller("dmesg", 4242, true, true);
    private static final Caller USER = new Caller("dmesg", 4242, false, false);

    private String call(int type, int len, Caller caller) {
        Syslog.Result r = syslog.doSyslog(type, true, len, caller);
        if (r.value() < 0) return "errno " + -r.value();
        return new String(r.data(), StandardCharsets.UTF_8);
    }

    private long value(int type, int len, Caller caller) {
        return syslog.doSyslog(type, true, len, caller).value();
    }

    @Test
    void readAllGivesEveryLineAsBusyboxDmesgParsesThem() {
        log.log(KernelLog.INFO, "one");
        now += 500_000;
        log.log(KernelLog.ERR, "two");
        assertEquals("<6>[    2.000001] one\n<3>[    2.000501] two\n", call(SYSLOG_ACTION_READ_ALL, 4096, USER));
        assertEquals(44, value(SYSLOG_ACTION_READ_ALL, 4096, USER));
    }

    @Test
    void readAllOfASmallBufferGivesTheNewestLinesThatFitWhole() {
        log.log(KernelLog.INFO, "one");
        log.log(KernelLog.INFO, "two");
        assertEquals("<6>[    2.000001] two\n", call(SYSLOG_ACTION_READ_ALL, 30, USER));
        assertEquals("", call(SYSLOG_ACTION_READ_ALL, 5, USER));
    }

    @Test
    void clearHidesWhatWasLoggedFromReadAllAndReadClearClearsWhatItRead() {
        log.log(KernelLog.INFO, "old");
        assertEquals(0, value(SYSLOG_ACTION_CLEAR, 0, ROOT));
        assertEquals("", call(SYSLOG_ACTION_READ_ALL, 4096, USER));
        log.log(KernelLog.INFO, "new");
        assertEquals("<6>[    2.000001] new\n", call(SYSLOG_ACTION_READ_CLEAR, 4096, ROOT));
        assertEquals("", call(SYSLOG_ACTION_READ_ALL, 4096, USER));
    }

    @Test
    void readIsDestructiveAndReadsALongLineInParts() {
        log.log(KernelLog.INFO, "first");
        log.log(KernelLog.INFO, "second");
        assertEquals("<6>[    2.000001] first\n", call(SYSLOG_ACTION_READ, 30, ROOT));
        assertEquals("<6>[    2.0", call(SYSLOG_ACTION_READ, 11, ROOT));
        assertEquals(25 - 11, value(SYSLOG_ACTION_SIZE_UNREAD, 0, ROOT));
        assertEquals("00001] second\n", call(SYSLOG_ACTION_READ, 100, ROOT));
        assertEquals(0, value(SYSLOG_ACTION_SIZE_UNREAD, 0, ROOT));
    }

    @Test
    void readWithNothingUnreadWaits() {
        assertSame(Syslog.Result.WAIT, syslog.doSyslog(SYSLOG_ACTION_READ, true, 100, ROOT));
    }

    @Test
    void readingActionsCheckTheBufferAndLength() {
        assertEquals(-Errno.EINVAL, syslog.doSyslog(SYSLOG_ACTION_READ_ALL, false, 10, USER).value());
        assertEquals(-Errno.EINVAL, value(SYSLOG_ACTION_READ, -1, ROOT));
        assertEquals(0, value(SYSLOG_ACTION_READ, 0, ROOT));
    }

    @Test
    void aMessageLongerThanARecordHoldsReadsAsItsFirst991Bytes() {
        log.log(KernelLog.INFO, "y".repeat(2000));
        assertEquals("<6>[    2.000001] " + "y".repeat(991) + "\n", call(SYSLOG_ACTION_READ_ALL, 4096, USER));
    }

    @Test
    void sizeBufferIsLogBufLen() {
        assertEquals(131072, value(SYSLOG_ACTION_SIZE_BUFFER, 0, USER));
    }

    @Test
    void withoutCapSyslogOnlyReadAllAndSizeBufferAreAllowed() {
        for (int type : new int[] {SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_READ, SYSLOG_ACTION_READ_CLEAR,
                SYSLOG_ACTION_CLEAR, SYSLOG_ACTION_CONSOLE_OFF, SYSLOG_ACTION_CONSOLE_ON, SYSLOG_ACTION_CONSOLE_LEVEL,
                SYSLOG_ACTION_SIZE_UNREAD, 11}) {
            assertEquals(-Errno.EPERM, value(type, 4, USER), "action " + type);
        }
        assertEquals(-Errno.EINVAL, value(11, 4, ROOT), "an unknown action, once permitted");
    }

    @Test
    void dmesgRestrictTakesReadAllAwayToo() {
        printk.dmesgRestrict = 1;
        assertEquals(-Errno.EPERM, value(SYSLOG_ACTION_READ_ALL, 10, USER));
        assertEquals(-Errno.EPERM, value(SYSLOG_ACTION_SIZE_BUFFER, 0, USER));
    }

    @Test
    void capSysAdminStandsInForCapSyslogWithAWarningOnce() {
        Caller admin = new Caller("klogd", 300, false, true);
        assertEquals(0, value(SYSLOG_ACTION_CLEAR, 0, admin));
        assertEquals(0, value(SYSLOG_ACTION_CLEAR, 0, admin));
        assertEquals(1, log.messages().size());
        assertEquals("klogd (300): Attempt to access syslog with CAP_SYS_ADMIN but no CAP_SYSLOG (deprecated).",
                log.messages().get(0).text());
        assertEquals(KernelLog.WARNING, log.messages().get(0).level());
    }

    @Test
    void consoleLevelIsOneToEightRaisedToTheMinimumAndConsoleOffOnRestoresIt() {
        assertEquals(-Errno.EINVAL, value(SYSLOG_ACTION_CONSOLE_LEVEL, 9, ROOT));
        assertEquals(-Errno.EINVAL, value(SYSLOG_ACTION_CONSOLE_LEVEL, 0, ROOT));
        assertEquals(0, value(SYSLOG_ACTION_CONSOLE_LEVEL, 3, ROOT));
        assertEquals(3, printk.consoleLoglevel);
        assertEquals(0, value(SYSLOG_ACTION_CONSOLE_OFF, 0, ROOT));
        assertEquals(1, printk.consoleLoglevel);
        assertEquals(0, value(SYSLOG_ACTION_CONSOLE_ON, 0, ROOT));
        assertEquals(3, printk.consoleLoglevel);
    }
}
