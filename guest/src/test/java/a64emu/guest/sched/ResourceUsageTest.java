package a64emu.guest.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ResourceUsageTest {

    @Test
    void rusageHasLinuxsLayoutWithTimevalsAndMaxrssInKibibytes() {
        ResourceUsage u = new ResourceUsage();
        u.userNanos = 2_345_678_901L;
        u.systemNanos = 12_000_999L;
        u.minorFaults = 1205;
        u.majorFaults = 48;
        u.voluntarySwitches = 7;
        u.involuntarySwitches = 3;
        ByteBuffer b = ByteBuffer.wrap(u.toRusage(300)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(ResourceUsage.RUSAGE_SIZE, b.capacity());
        assertEquals(2, b.getLong(0), "ru_utime.tv_sec");
        assertEquals(345_678, b.getLong(8), "ru_utime.tv_usec");
        assertEquals(0, b.getLong(16), "ru_stime.tv_sec");
        assertEquals(12_000, b.getLong(24), "ru_stime.tv_usec");
        assertEquals(1200, b.getLong(32), "ru_maxrss: 300 pages of 4 KiB");
        assertEquals(1205, b.getLong(64), "ru_minflt");
        assertEquals(48, b.getLong(72), "ru_majflt");
        assertEquals(7, b.getLong(128), "ru_nvcsw");
        assertEquals(3, b.getLong(136), "ru_nivcsw");
    }

    @Test
    void addingSumsEveryCounterAndCopyIsIndependent() {
        ResourceUsage a = new ResourceUsage();
        a.userNanos = 5;
        a.minorFaults = 2;
        ResourceUsage b = a.copy().add(a);
        a.userNanos = 100;
        assertEquals(10, b.userNanos);
        assertEquals(4, b.minorFaults);
        assertEquals(10, b.cpuNanos());
    }
}
