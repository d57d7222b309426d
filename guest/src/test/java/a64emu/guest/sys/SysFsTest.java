package a64emu.guest.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.Mman;
import a64emu.guest.proc.GuestFiles;
import a64emu.guest.proc.TestCallers;
import a64emu.guest.proc.TestZram;
import a64emu.guest.zram.Zram;
import a64emu.mmu.AccessType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /sys with zram0: the device tree's directories and link, zram_drv.c's attributes and their permissions. */
class SysFsTest {
    private static final String ZRAM0 = "/sys/block/zram0/";

    @TempDir
    Path root;

    private final TestMachine m = new TestMachine(39, 64L << 20);
    private final Zram zram = TestZram.attach(m, 1 << 20);

    private GuestFiles files(long uid, Zram z) {
        return new GuestFiles(root, new SysFs(TestCallers.callerWithUid(m.mm, uid), z));
    }

    private GuestFiles asRoot() {
        return files(0, zram);
    }

    @Test
    void sysHoldsBlockAndDevicesInKernfsOrder() {
        GuestFiles f = asRoot();
        assertEquals(List.of(".", "..", "devices", "block"), f.names("/sys"));
        assertEquals(List.of(".", "..", "virtual"), f.names("/sys/devices"));
        assertEquals(List.of(".", "..", "block"), f.names("/sys/devices/virtual"));
        assertEquals(List.of(".", "..", "zram0"), f.names("/sys/devices/virtual/block"));
        assertEquals(040755, f.mode("/sys/block", false));
    }

    @Test
    void blockZram0IsALinkToTheVirtualDevice() {
        GuestFiles f = asRoot();
        assertEquals(List.of(".", "..", "zram0"), f.names("/sys/block"));
        assertEquals(0120777, f.mode("/sys/block/zram0", false));
        assertEquals("../devices/virtual/block/zram0", f.readlink("/sys/block/zram0"));
        assertEquals(040755, f.mode("/sys/block/zram0", true));
        assertEquals(asRoot().read("/sys/devices/virtual/block/zram0/disksize"), f.read(ZRAM0 + "disksize"));
    }

    @Test
    void zram0ListsItsAttributesInKernfsOrder() {
        List<String> names = asRoot().names(ZRAM0);
        // The order a Linux kernel lists these names in (kernfs_name_hash), bd_stat and idle absent.
        assertEquals(List.of(".", "..", "mm_stat", "reset", "mem_limit", "comp_algorithm", "mem_used_max", "stat",
                "compact", "size", "disksize", "io_stat", "max_comp_streams", "debug_stat", "initstate"), names);
    }

    @Test
    void attributesHaveTheirDeviceAttrModes() {
        GuestFiles f = asRoot();
        assertEquals(0100644, f.mode(ZRAM0 + "disksize", true));
        assertEquals(0100200, f.mode(ZRAM0 + "mem_limit", true));
        assertEquals(0100200, f.mode(ZRAM0 + "mem_used_max", true));
        assertEquals(0100200, f.mode(ZRAM0 + "reset", true));
        assertEquals(0100444, f.mode(ZRAM0 + "mm_stat", true));
        assertEquals(0100644, f.mode(ZRAM0 + "comp_algorithm", true));
        assertEquals(-Errno.ENOENT, f.mode(ZRAM0 + "bd_stat", true), "no CONFIG_ZRAM_WRITEBACK in GKI");
    }

    @Test
    void readsShowZramsTexts() {
        GuestFiles f = asRoot();
        assertEquals("1048576\n", f.read(ZRAM0 + "disksize"));
        assertEquals("2048\n", f.read(ZRAM0 + "size"), "sectors");
        assertEquals(zram.compAlgorithmText(), f.read(ZRAM0 + "comp_algorithm"));
        assertEquals("lzo lzo-rle [lz4] zstd \n", f.read(ZRAM0 + "comp_algorithm"));
        assertEquals("1\n", f.read(ZRAM0 + "initstate"));
        assertEquals("1\n", f.read(ZRAM0 + "max_comp_streams"));
        assertEquals("       0        0        0        0        0        0        0        0        0\n",
                f.read(ZRAM0 + "mm_stat"));
        assertEquals("       0        0        0        0\n", f.read(ZRAM0 + "io_stat"));
        assertEquals("version: 1\n       0        0\n", f.read(ZRAM0 + "debug_stat"));
        assertEquals(zram.statText(), f.read(ZRAM0 + "stat"));
    }

    @Test
    void mmStatAndStatMoveAsPagesAreSwappedOut() {
        long va = m.memoryMap.mmap(0, 0x2000, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS,
                null, 0);
        for (int i = 0; i < 2; i++) assertTrue(m.faults.pageFault(va + i * 0x1000L, AccessType.WRITE).resolved());
        assertEquals(0, m.memoryMap.madvise(va, 0x2000, Mman.MADV_PAGEOUT));
        GuestFiles f = asRoot();
        String[] mm = f.read(ZRAM0 + "mm_stat").trim().split(" +");
        assertEquals("8192", mm[0], "orig_data_size: two pages");
        assertEquals("2", mm[5], "same_pages: zero pages are kept as their value");
        String[] stat = f.read(ZRAM0 + "stat").trim().split(" +");
        assertEquals("2", stat[4], "writes completed");
        assertEquals("16", stat[6], "sectors written");
    }

    @Test
    void writeOnlyAttributesReadAsEioForRootAndTakeWrites() {
        GuestFiles f = asRoot();
        assertEquals("errno " + Errno.EIO, f.read(ZRAM0 + "mem_limit"));
        assertEquals(4, f.write(ZRAM0 + "mem_limit", "32M\n"));
        assertEquals(32L << 20, zram.memLimit());
        assertEquals(Long.toString(32L << 20), f.read(ZRAM0 + "mm_stat").trim().split(" +")[3]);
        assertEquals(2, f.write(ZRAM0 + "mem_used_max", "0\n"));
        assertEquals(-Errno.EINVAL, f.write(ZRAM0 + "mem_used_max", "1\n"));
        assertEquals(2, f.write(ZRAM0 + "compact", "1\n"));
    }

    @Test
    void anInitializedSwapDeviceRefusesResizeResetAndAnotherAlgorithm() {
        GuestFiles f = asRoot();
        assertEquals(-Errno.EBUSY, f.write(ZRAM0 + "disksize", "1G\n"));
        assertEquals(-Errno.EINVAL, f.write(ZRAM0 + "disksize", "0\n"));
        assertEquals(-Errno.EBUSY, f.write(ZRAM0 + "reset", "1\n"));
        assertEquals(-Errno.EINVAL, f.write(ZRAM0 + "reset", "0\n"));
        assertEquals(-Errno.EINVAL, f.write(ZRAM0 + "reset", "yes\n"));
        assertEquals(-Errno.ERANGE, f.write(ZRAM0 + "reset", "70000\n"));
        assertEquals(-Errno.EBUSY, f.write(ZRAM0 + "comp_algorithm", "zstd\n"));
        assertEquals(-Errno.EINVAL, f.write(ZRAM0 + "comp_algorithm", "foo\n"));
        assertEquals(3, f.write(ZRAM0 + "max_comp_streams", "16\n"), "taken and ignored");
        assertEquals("1\n", f.read(ZRAM0 + "max_comp_streams"));
    }

    @Test
    void readOnlyAttributesRefuseRootsWritesWithEio() {
        assertEquals(-Errno.EIO, asRoot().write(ZRAM0 + "mm_stat", "1\n"));
    }

    @Test
    void anotherUserReadsTheStatisticsButWritesNothing() {
        GuestFiles f = files(1000, zram);
        assertTrue(f.read(ZRAM0 + "mm_stat").endsWith("\n"));
        assertEquals("errno " + Errno.EACCES, f.read(ZRAM0 + "mem_limit"));
        assertEquals(-Errno.EACCES, f.write(ZRAM0 + "mem_limit", "1M\n"));
        assertEquals(-Errno.EACCES, f.write(ZRAM0 + "disksize", "1M\n"));
        assertEquals(0, zram.memLimit());
    }

    @Test
    void withoutSwapThereIsNoZram0() {
        GuestFiles f = files(0, null);
        assertEquals(List.of(".", ".."), f.names("/sys/block"));
        assertEquals(-Errno.ENOENT, f.mode("/sys/block/zram0", false));
        assertEquals(List.of(".", ".."), f.names("/sys/devices/virtual"));
    }

    @Test
    void kernfsOrdersNamesAsALinuxKernelLists() {
        // ls -f /sys on Linux: the children of the sysfs root in kernfs_name_hash order.
        List<String> names = new ArrayList<>(List.of("block", "bus", "class", "dev", "devices", "firmware", "fs",
                "kernel", "module", "power"));
        names.sort(Kernfs.ORDER);
        assertEquals(List.of("kernel", "power", "class", "devices", "dev", "fs", "bus", "firmware", "block", "module"),
                names);
    }
}
