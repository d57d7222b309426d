package a64emu.guest.proc;

import static a64emu.guest.fs.OpenFlags.AT_FDCWD;
import static a64emu.guest.fs.OpenFlags.O_RDONLY;
import static a64emu.guest.fs.OpenFlags.O_RDWR;
import static a64emu.guest.fs.OpenFlags.O_WRONLY;
import static a64emu.guest.fs.OpenFlags.SEEK_END;
import static a64emu.guest.fs.OpenFlags.SEEK_SET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.PollTable;
import a64emu.guest.sched.Psi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /proc/pressure/memory: psi_show's text, psi_write's triggers, psi_trigger_poll's POLLPRI (6.1 psi.c). */
class PressureTest {
    @TempDir Path root;

    private final TestMachine m = new TestMachine(39, 16L << 20);
    private final TestProcess self = new TestProcess(4242, m.mm);
    private final TestProcess.Kernel kernel = new TestProcess.Kernel();
    private final Psi psi = new Psi(() -> kernel.uptimeNanos);

    PressureTest() {
        kernel.psi = psi;
    }

    private GuestFiles files(long uid) {
        self.uid = uid;
        self.gid = uid;
        return new GuestFiles(root, new ProcFs(TestProcess.table(self), kernel, m.frames));
    }

    private static long write(GuestFiles f, int fd, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return f.table.write(fd, b, 0, b.length);
    }

    /** A description opened by root with a trigger written, or a failed write's -errno as a string. */
    private Pressure.MemoryFile withTrigger(String line) throws ErrnoException {
        Pressure.MemoryFile f = (Pressure.MemoryFile) Pressure.open(
                new ProcFs(TestProcess.table(rootCaller()), kernel, m.frames), psi, O_RDWR);
        long r = f.write(line.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(line.length(), r, line);
        return f;
    }

    private TestProcess rootCaller() {
        TestProcess p = new TestProcess(1, null);
        p.uid = 0;
        return p;
    }

    private long writeResult(String line) throws ErrnoException {
        Pressure.MemoryFile f = (Pressure.MemoryFile) Pressure.open(
                new ProcFs(TestProcess.table(rootCaller()), kernel, m.frames), psi, O_RDWR);
        return f.write(line.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void memoryShowsPsiShowsLinesSomeThenFull() {
        kernel.uptimeNanos = 3_000_000_000L;
        psi.stalled(250_000_000L, true);
        String text = files(1000).read("/proc/pressure/memory");
        assertEquals(psi.show(), text);
        assertTrue(text.matches("some avg10=\\d+\\.\\d\\d avg60=\\d+\\.\\d\\d avg300=\\d+\\.\\d\\d total=250000\n"
                + "full avg10=\\d+\\.\\d\\d avg60=\\d+\\.\\d\\d avg300=\\d+\\.\\d\\d total=250000\n"), text);
    }

    @Test
    void pressureSitsAmongTheRootsEntriesByNameLengthAndHoldsMemoryAlone() {
        GuestFiles f = files(1000);
        List<String> names = f.names("/proc");
        assertEquals(names.indexOf("meminfo") + 1, names.indexOf("pressure"));
        assertEquals(names.indexOf("pressure") + 1, names.indexOf("zoneinfo"));
        assertEquals(List.of(".", "..", "memory"), f.names("/proc/pressure"));
        assertEquals("errno " + Errno.ENOENT, f.read("/proc/pressure/cpu"));
        assertEquals("errno " + Errno.ENOENT, f.read("/proc/pressure/io"));
        assertEquals(040555, f.mode("/proc/pressure", true));
        assertEquals(0100666, f.mode("/proc/pressure/memory", true));
    }

    @Test
    void withoutPsiThereIsNoPressureDirectory() {
        kernel.psi = null;
        GuestFiles f = files(1000);
        assertFalse(f.names("/proc").contains("pressure"));
        assertEquals("errno " + Errno.ENOENT, f.read("/proc/pressure/memory"));
    }

    @Test
    void openingForWritingNeedsCapSysResource() {
        assertEquals(-Errno.EPERM, files(1000).table.openat(AT_FDCWD, "/proc/pressure/memory", O_WRONLY, 0));
        assertTrue(files(0).table.openat(AT_FDCWD, "/proc/pressure/memory", O_WRONLY, 0) >= 0);
        assertTrue(files(1000).table.openat(AT_FDCWD, "/proc/pressure/memory", O_RDONLY, 0) >= 0);
    }

    @Test
    void aTriggerWrittenWithItsNulIsRegisteredWithTheTimesInNanoseconds() throws ErrnoException {
        Psi.Trigger t = withTrigger("some 150000 1000000\0").trigger();
        assertNotNull(t);
        assertEquals(Psi.State.SOME, t.state);
        assertEquals(150_000_000L, t.thresholdNanos);
        assertEquals(1_000_000_000L, t.windowNanos);
        assertEquals(Psi.State.FULL, withTrigger("full 1 500000\n").trigger().state);
    }

    @Test
    void theLastByteOfAWriteIsReplacedByANulSoATriggerWithoutOneLosesItsLastDigit() throws ErrnoException {
        // "some 150000 1000000" is read as "some 150000 100000": a window under 500 ms.
        assertEquals(-Errno.EINVAL, writeResult("some 150000 1000000"));
        assertEquals(20, writeResult("some 150000 1000000 "));
    }

    @Test
    void onlyTheFirst32BytesAreRead() throws ErrnoException {
        assertEquals(40, writeResult("some 150000 1000000" + " ".repeat(20) + "\0"));
        assertEquals(-Errno.EINVAL, writeResult(" ".repeat(32) + "some 150000 1000000\0"));
    }

    @Test
    void windowsOutside500MsTo10sAndThresholdsOfZeroOrAboveTheWindowAreEinval() throws ErrnoException {
        assertEquals(-Errno.EINVAL, writeResult("some 1000 499999\0"));
        assertEquals(-Errno.EINVAL, writeResult("some 1000 10000001\0"));
        assertEquals(-Errno.EINVAL, writeResult("some 0 1000000\0"));
        assertEquals(-Errno.EINVAL, writeResult("some 1000001 1000000\0"));
        assertEquals(19, writeResult("some 1000 10000000\0"));
    }

    @Test
    void aLineThatIsNotSomeOrFullWithTwoUnsignedNumbersIsEinval() throws ErrnoException {
        assertEquals(-Errno.EINVAL, writeResult("avg 1000 1000000\0"));
        assertEquals(-Errno.EINVAL, writeResult(" some 1000 1000000\0"));
        assertEquals(-Errno.EINVAL, writeResult("some -1000 1000000\0"));
        assertEquals(-Errno.EINVAL, writeResult("some 1000\0"));
        assertEquals(-Errno.EINVAL, writeResult("\0"));
        assertEquals(-Errno.EINVAL, writeResult(""));
        // sscanf's blanks match none too, and a number is the unsigned long long its digits make, cut to 32 bits.
        assertEquals(17, writeResult("some1000 1000000\0"));
        assertEquals(Psi.State.SOME, withTrigger("some 4294968296 1000000\0").trigger().state);
    }

    @Test
    void aSecondTriggerOnOneDescriptionIsEbusy() throws ErrnoException {
        Pressure.MemoryFile f = withTrigger("some 1000 1000000\0");
        assertEquals(-Errno.EBUSY, f.write("full 1000 1000000\0".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void pollReportsPriOncePerEventAndWakesItsPollers() throws ErrnoException {
        Pressure.MemoryFile f = withTrigger("some 150000 1000000\0");
        int[] woken = {0};
        int base = PollTable.DEFAULT_POLLMASK;
        assertEquals(base, f.poll(new PollTable(this, () -> woken[0]++)));
        kernel.uptimeNanos = 1_000_000_000L;
        psi.stalled(200_000_000L, false);
        assertEquals(1, woken[0]);
        assertEquals(base | PollTable.POLLPRI, f.poll(null));
        assertEquals(base, f.poll(null));
    }

    @Test
    void pollWithoutATriggerIsErrAndPri() throws ErrnoException {
        Pressure.MemoryFile f = (Pressure.MemoryFile) Pressure.open(
                new ProcFs(TestProcess.table(rootCaller()), kernel, m.frames), psi, O_RDONLY);
        assertEquals(PollTable.DEFAULT_POLLMASK | PollTable.POLLERR | PollTable.POLLPRI, f.poll(null));
    }

    @Test
    void closingTheDescriptionRemovesItsTrigger() throws ErrnoException {
        Pressure.MemoryFile f = withTrigger("some 150000 1000000\0");
        Psi.Trigger t = f.trigger();
        f.release();
        assertNull(f.trigger());
        kernel.uptimeNanos = 1_000_000_000L;
        psi.stalled(900_000_000L, true);
        assertEquals(0, t.events());
    }

    @Test
    void aTriggerThroughTheFileTableFiresPollPriOnTheDescriptor() {
        GuestFiles f = files(0);
        int fd = f.table.openat(AT_FDCWD, "/proc/pressure/memory", O_RDWR, 0);
        assertEquals(20, write(f, fd, "full 100000 2000000\0"));
        kernel.uptimeNanos = 2_000_000_000L;
        psi.stalled(150_000_000L, true);
        assertEquals(PollTable.DEFAULT_POLLMASK | PollTable.POLLPRI, f.table.file(fd).poll(null));
    }

    @Test
    void aSeekBackMakesTheTextAgainAndSeekEndIsEinval() {
        GuestFiles f = files(1000);
        int fd = f.table.openat(AT_FDCWD, "/proc/pressure/memory", O_RDONLY, 0);
        byte[] b = new byte[512];
        long first = f.table.read(fd, b, 0, b.length);
        assertEquals(0, f.table.read(fd, b, 0, b.length));
        kernel.uptimeNanos = 4_000_000_000L;
        psi.stalled(1_000_000L, false);
        assertEquals(0, f.table.lseek(fd, 0, SEEK_SET));
        long again = f.table.read(fd, b, 0, b.length);
        assertEquals(psi.show(), new String(b, 0, (int) again, StandardCharsets.US_ASCII));
        assertTrue(first > 0);
        assertEquals(-Errno.EINVAL, f.table.lseek(fd, 0, SEEK_END));
    }
}
