package a64emu.guest.proc;

import static a64emu.guest.fs.OpenFlags.AT_FDCWD;
import static a64emu.guest.fs.OpenFlags.O_RDONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** /proc/uptime and /proc/loadavg: the kernel's clock and load, in Linux's formats. */
class UptimeLoadavgTest {
    private final TestMachine m = new TestMachine(39);
    private final TestProcess self = new TestProcess(4242, m.mm);
    private final TestProcess other = new TestProcess(4300, new TestMachine(39).mm);
    private final TestProcess.Kernel kernel = new TestProcess.Kernel();

    private String read(String path) {
        FileSystem fs = new FileSystem(null, "/");
        fs.mount(new ProcFs(TestProcess.table(self, other), kernel, m.frames));
        FileTable t = new FileTable(fs, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), "/bin/prog");
        int fd = t.openat(AT_FDCWD, path, O_RDONLY, 0);
        byte[] b = new byte[256];
        long n = t.read(fd, b, 0, b.length);
        return new String(b, 0, (int) n, StandardCharsets.UTF_8);
    }

    @Test
    void uptimeShowsTheBootClockAndTheIdleTimeInSecondsWithTruncatedHundredths() {
        kernel.uptimeNanos = 12_345_678_901L;
        kernel.idleNanos = 3_999_999_999L;
        assertEquals("12.34 3.99\n", read("/proc/uptime"));
    }

    @Test
    void uptimeOfAFreshMachineIsZero() {
        assertEquals("0.00 0.00\n", read("/proc/uptime"));
    }

    @Test
    void loadavgRoundsToHundredthsAndCountsRunnableOverAllThreadsThenTheLastPid() {
        kernel.loadAverages = new long[] {164, 34, 11};
        kernel.lastPid = 4301;
        self.tids.add(4250);
        other.state = 'S';
        // The caller's two threads run; the other process's one sleeps.
        assertEquals("0.08 0.02 0.01 2/3 4301\n", read("/proc/loadavg"));
    }

    @Test
    void loadOfSeveralThreadsShowsItsWholePart() {
        // 2.50 and 10.00 exactly, and 0.995 rounded up to 1.00 by get_avenrun's FIXED_1/200.
        kernel.loadAverages = new long[] {5 * 1024, 10 * 2048, 2038};
        assertEquals("2.50 10.00 1.00 2/2 4300\n", read("/proc/loadavg"));
    }
}
