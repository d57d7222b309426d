package a64emu.guest.proc;

import static a64emu.guest.fs.OpenFlags.AT_FDCWD;
import static a64emu.guest.fs.OpenFlags.O_RDONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.Zone;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /proc/sys/vm: proc_dointvec_minmax files backed by reclaim and the zone, with sysctl's permission rule. */
class ProcSysctlTest {
    @TempDir
    Path root;

    private final TestMachine m = new TestMachine(39, 64L << 20);
    private final TestProcess self = new TestProcess(4242, m.mm);

    private GuestFiles files() {
        return new GuestFiles(root, new ProcFs(TestProcess.table(self), new TestProcess.Kernel(), m.frames));
    }

    private GuestFiles asRoot() {
        self.uid = 0;
        self.gid = 0;
        return files();
    }

    @Test
    void procSysHoldsVmWithItsFilesInSysctlOrder() {
        GuestFiles f = asRoot();
        assertEquals(List.of(".", "..", "vm"), f.names("/proc/sys"));
        assertEquals(List.of(".", "..", "max_map_count", "min_free_kbytes", "mmap_min_addr", "overcommit_memory",
                "overcommit_ratio", "page-cluster", "swappiness", "watermark_boost_factor", "watermark_scale_factor"),
                f.names("/proc/sys/vm"));
        assertEquals(040555, f.mode("/proc/sys/vm", true));
        assertEquals(0100644, f.mode("/proc/sys/vm/swappiness", true));
        assertEquals(0100444, f.mode("/proc/sys/vm/overcommit_memory", true));
    }

    @Test
    void swappinessReadsAndWritesTheKernelsValue() {
        GuestFiles f = asRoot();
        assertEquals("60\n", f.read("/proc/sys/vm/swappiness"));
        assertEquals(4, f.write("/proc/sys/vm/swappiness", "100\n"));
        assertEquals(100, m.vmscan.swappiness());
        assertEquals("100\n", f.read("/proc/sys/vm/swappiness"));
        m.vmscan.setSwappiness(0);
        assertEquals("0\n", f.read("/proc/sys/vm/swappiness"));
    }

    @Test
    void swappinessOutsideZeroTo200OrNoNumberIsEinvalAndChangesNothing() {
        GuestFiles f = asRoot();
        for (String bad : List.of("201\n", "-1\n", "abc\n", "\n", "  ", "12a\n", "4294967356\n", "99999999999999999999\n")) {
            assertEquals(-Errno.EINVAL, f.write("/proc/sys/vm/swappiness", bad), bad);
        }
        assertEquals(60, m.vmscan.swappiness());
        assertEquals(0, f.write("/proc/sys/vm/swappiness", ""), "an empty write takes nothing");
    }

    @Test
    void writesParseLikeProcDointvec() {
        GuestFiles f = asRoot();
        assertEquals(5, f.write("/proc/sys/vm/swappiness", "0x10\n"));
        assertEquals(16, m.vmscan.swappiness());
        assertEquals(4, f.write("/proc/sys/vm/swappiness", "010\n"));
        assertEquals(8, m.vmscan.swappiness());
        assertEquals(8, f.write("/proc/sys/vm/swappiness", "  70  \n "));
        assertEquals(70, m.vmscan.swappiness());
        // One int: what follows the first number and its blanks is left over.
        assertEquals(3, f.write("/proc/sys/vm/swappiness", "60 70"));
        assertEquals(60, m.vmscan.swappiness());
        assertEquals(2, f.write("/proc/sys/vm/swappiness", "-0"));
        assertEquals(0, m.vmscan.swappiness());
    }

    @Test
    void minFreeKbytesSetsTheZonesWatermarks() {
        GuestFiles f = asRoot();
        Zone zone = m.frames.zone();
        assertEquals(zone.minFreeKbytes() + "\n", f.read("/proc/sys/vm/min_free_kbytes"));
        assertEquals(5, f.write("/proc/sys/vm/min_free_kbytes", "4096\n"));
        assertEquals(4096, zone.minFreeKbytes());
        assertEquals(1024, zone.min());
        assertEquals(-Errno.EINVAL, f.write("/proc/sys/vm/min_free_kbytes", "-1\n"));
        assertEquals(4096, zone.minFreeKbytes());
    }

    @Test
    void watermarkScaleFactorIsOneTo3000AndWidensTheGaps() {
        GuestFiles f = asRoot();
        Zone zone = m.frames.zone();
        assertEquals("10\n", f.read("/proc/sys/vm/watermark_scale_factor"));
        assertEquals(-Errno.EINVAL, f.write("/proc/sys/vm/watermark_scale_factor", "0\n"));
        assertEquals(-Errno.EINVAL, f.write("/proc/sys/vm/watermark_scale_factor", "3001\n"));
        long low = zone.low();
        assertEquals(4, f.write("/proc/sys/vm/watermark_scale_factor", "200\n"));
        assertEquals(200, zone.watermarkScaleFactor());
        // mult_frac(managed, 200, 10000): 16383 pages give a step of 327.
        assertEquals(zone.min() + Math.max(zone.min() / 4, 327), zone.low());
        assertEquals(true, zone.low() > low);
    }

    @Test
    void theReadOnlyFilesShowWhatTheKernelDoes() {
        GuestFiles f = asRoot();
        assertEquals("0\n", f.read("/proc/sys/vm/overcommit_memory"));
        assertEquals("50\n", f.read("/proc/sys/vm/overcommit_ratio"));
        assertEquals("0\n", f.read("/proc/sys/vm/page-cluster"));
        assertEquals("0\n", f.read("/proc/sys/vm/watermark_boost_factor"));
        assertEquals("65530\n", f.read("/proc/sys/vm/max_map_count"));
        assertEquals("65536\n", f.read("/proc/sys/vm/mmap_min_addr"));
    }

    @Test
    void rootCannotWriteAReadOnlySysctlCapabilitiesNotwithstanding() {
        GuestFiles f = asRoot();
        assertEquals(-Errno.EACCES, f.write("/proc/sys/vm/overcommit_memory", "1\n"));
        assertEquals(-Errno.EACCES, f.write("/proc/sys/vm/page-cluster", "3\n"));
    }

    @Test
    void anotherUserMayReadButNotWrite() {
        self.uid = 1000;
        self.gid = 1000;
        GuestFiles f = files();
        assertEquals("60\n", f.read("/proc/sys/vm/swappiness"));
        assertEquals(-Errno.EACCES, f.write("/proc/sys/vm/swappiness", "100\n"));
        assertEquals(60, m.vmscan.swappiness());
    }

    @Test
    void aReadPastTheStartReadsNothing() {
        GuestFiles f = asRoot();
        int fd = f.table.openat(AT_FDCWD, "/proc/sys/vm/swappiness", O_RDONLY, 0);
        byte[] one = new byte[1];
        assertEquals(1, f.table.read(fd, one, 0, 1));
        assertEquals("6", new String(one, StandardCharsets.US_ASCII));
        assertEquals(0, f.table.read(fd, one, 0, 1), "__do_proc_dointvec returns nothing at *ppos != 0");
        byte[] buf = new byte[8];
        assertEquals(3, f.table.pread(fd, buf, 0, 8, 0));
        assertEquals(0, f.table.pread(fd, buf, 0, 8, 1));
        f.table.close(fd);
    }
}
