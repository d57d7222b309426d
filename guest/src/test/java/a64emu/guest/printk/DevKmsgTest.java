package a64emu.guest.printk;

import static a64emu.guest.fs.OpenFlags.O_RDONLY;
import static a64emu.guest.fs.OpenFlags.O_WRONLY;
import static a64emu.guest.fs.OpenFlags.SEEK_CUR;
import static a64emu.guest.fs.OpenFlags.SEEK_DATA;
import static a64emu.guest.fs.OpenFlags.SEEK_END;
import static a64emu.guest.fs.OpenFlags.SEEK_SET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import a64emu.guest.Errno;
import a64emu.guest.KernelLog;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.PollTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /dev/kmsg opened, read, written, seeked and polled as Linux 6.1's kmsg_fops serve it. */
class DevKmsgTest {
    private long now = 1_500_000_000L;
    private final KernelLog log = new KernelLog(() -> now);
    private final List<Object> woken = new ArrayList<>();
    private final Printk printk = new Printk(log, woken::add);
    private static final Caller USER = new Caller("prog", 4242, false, false);

    private DevKmsg open() throws ErrnoException {
        return DevKmsg.open(printk, O_RDONLY, USER);
    }

    private static String read(DevKmsg k, int size) {
        byte[] b = new byte[size];
        long n = k.read(b, 0, size, true);
        return n < 0 ? "errno " + -n : new String(b, 0, (int) n, StandardCharsets.UTF_8);
    }

    private static long write(DevKmsg k, String s) {
        return k.write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachReadReturnsOneRecordFromTheOldestThenEagainWhenNonblocking() throws ErrnoException {
        log.log(KernelLog.INFO, "first");
        log.log(KernelLog.ERR, "second");
        DevKmsg k = open();
        assertEquals("6,0,1500000,-;first\n", read(k, 8192));
        assertEquals("3,1,1500000,-;second\n", read(k, 8192));
        assertEquals("errno " + Errno.EAGAIN, read(k, 8192));
    }

    @Test
    void aBlockingReadAtTheEndSleepsOnThePrintkStateThatANewMessageWakes() throws ErrnoException {
        DevKmsg k = open();
        assertEquals("errno " + Errno.EAGAIN, read(k, 8192)); // the kernel sleeps on waitChannel()
        assertEquals(printk, k.waitChannel());
        printk.logged();
        assertEquals(List.of(printk), woken);
    }

    @Test
    void aBufferTooSmallForTheRecordIsEinvalAndTheRecordIsSkipped() throws ErrnoException {
        log.log(KernelLog.INFO, "a long enough message");
        log.log(KernelLog.INFO, "next");
        DevKmsg k = open();
        assertEquals("errno " + Errno.EINVAL, read(k, 10));
        assertEquals("6,1,1500000,-;next\n", read(k, 8192));
    }

    @Test
    void aReaderWhoseNextRecordWasOverwrittenGetsEpipeOnceAndGoesOnFromTheOldest() throws ErrnoException {
        log.log(KernelLog.INFO, "m0");
        DevKmsg k = open();
        for (int i = 1; i <= 4096; i++) log.log(KernelLog.INFO, "m" + i);
        assertEquals("errno " + Errno.EPIPE, read(k, 8192));
        assertEquals("6,1,1500000,-;m1\n", read(k, 8192));
    }

    @Test
    void seekSetGoesToTheOldestSeekEndPastTheNewestSeekDataAfterTheLastClear() throws ErrnoException {
        log.log(KernelLog.INFO, "a");
        log.log(KernelLog.INFO, "b");
        DevKmsg k = open();
        assertEquals(0, k.lseek(0, SEEK_END));
        assertEquals("errno " + Errno.EAGAIN, read(k, 8192));
        assertEquals(0, k.lseek(0, SEEK_SET));
        assertEquals("6,0,1500000,-;a\n", read(k, 8192));
        printk.syslog().doSyslog(Syslog.SYSLOG_ACTION_CLEAR, false, 0, Caller.KERNEL);
        log.log(KernelLog.INFO, "c");
        assertEquals(0, k.lseek(0, SEEK_DATA));
        assertEquals("6,2,1500000,-;c\n", read(k, 8192));
    }

    @Test
    void seekWithAnOffsetIsEspipeAndAnotherWhenceEinval() throws ErrnoException {
        DevKmsg k = open();
        assertEquals(-Errno.ESPIPE, k.lseek(1, SEEK_SET));
        assertEquals(-Errno.EINVAL, k.lseek(0, SEEK_CUR));
    }

    @Test
    void aWriteWithoutPrefixIsLogUserAtTheDefaultLevelWithoutItsNewline() throws ErrnoException {
        DevKmsg k = open();
        assertEquals(6, write(k, "hello\n"));
        assertEquals("12,0,1500000,-;hello\n", read(k, 8192));
        assertEquals("hello", log.messages().get(0).text());
        assertEquals(KernelLog.WARNING, log.messages().get(0).level());
    }

    @Test
    void aPrefixGivesTheLevelAndAFacilityOtherThanKern() throws ErrnoException {
        DevKmsg k = open();
        write(k, "<6>init: starting\n");
        write(k, "<30>daemon says\n");
        write(k, "<6 not a prefix");
        assertEquals("14,0,1500000,-;init: starting\n", read(k, 8192));
        assertEquals("30,1,1500000,-;daemon says\n", read(k, 8192));
        assertEquals("12,2,1500000,-;<6 not a prefix\n", read(k, 8192));
    }

    @Test
    void theTextEndsAtANulAndOnlyOneNewlineIsDropped() throws ErrnoException {
        DevKmsg k = open();
        assertEquals(7, k.write("a\0bcde\n".getBytes(StandardCharsets.UTF_8)));
        write(k, "x\n\n");
        assertEquals("12,0,1500000,-;a\n", read(k, 8192));
        assertEquals("12,1,1500000,-;x\\x0a\n", read(k, 8192));
    }

    @Test
    void aWriteLongerThanLogLineMaxIsEinvalAndARecordKeeps991BytesBeforeTheNewlineGoes() throws ErrnoException {
        DevKmsg k = open();
        assertEquals(-Errno.EINVAL, write(k, "x".repeat(993)));
        assertEquals(992, write(k, "x".repeat(990) + "\n\n"));
        assertEquals("12,0,1500000,-;" + "x".repeat(990) + "\n", read(k, 8192));
        assertEquals(992, write(k, "z".repeat(992)));
        assertEquals("12,1,1500000,-;" + "z".repeat(991) + "\n", read(k, 8192));
    }

    @Test
    void aWriteWakesTheReaders() throws ErrnoException {
        DevKmsg k = open();
        write(k, "x");
        assertEquals(List.of(printk), woken);
    }

    @Test
    void pollIsReadableWhileARecordWaitsAndAddsErrAndPriWhenItWasOverwritten() throws ErrnoException {
        DevKmsg k = open();
        int[] wakes = {0};
        PollTable table = new PollTable(this, () -> wakes[0]++);
        assertEquals(0, k.poll(table));
        log.log(KernelLog.INFO, "x");
        printk.logged();
        assertEquals(1, wakes[0]);
        assertEquals(PollTable.POLLIN | PollTable.POLLRDNORM, k.poll(null));
        for (int i = 0; i < 4096; i++) log.log(KernelLog.INFO, "y");
        assertEquals(PollTable.POLLIN | PollTable.POLLRDNORM | PollTable.POLLERR | PollTable.POLLPRI, k.poll(null));
    }

    @Test
    void openingForReadingNeedsCapSyslogOnlyWithDmesgRestrict() throws ErrnoException {
        printk.dmesgRestrict = 1;
        ErrnoException e = assertThrows(ErrnoException.class, () -> DevKmsg.open(printk, O_RDONLY, USER));
        assertEquals(Errno.EPERM, e.errno());
        DevKmsg.open(printk, O_WRONLY, USER); // a writer needs nothing
        DevKmsg.open(printk, O_RDONLY, new Caller("logd", 1036, true, false));
    }
}
