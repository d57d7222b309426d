package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The descriptor table grows as Linux's expand_files does, up to RLIMIT_NOFILE and fs.nr_open. */
class FileTableSizeTest {
    @TempDir Path dir;
    FileTable t;

    @BeforeEach
    void setUp() {
        t = table(new FileSystem(dir, "/"), new Streams(""), "/prog");
    }

    @Test
    void tableSizesArePowerOfTwoMultiplesOf128AsAllocFdtable() {
        assertEquals(128, FileTable.tableSizeFor(64));
        assertEquals(256, FileTable.tableSizeFor(128));
        assertEquals(512, FileTable.tableSizeFor(300));
        assertEquals(1024, FileTable.tableSizeFor(1023));
        assertEquals(2048, FileTable.tableSizeFor(1024));
        assertEquals(FileTable.NR_OPEN, FileTable.tableSizeFor(FileTable.NR_OPEN - 1));
    }

    @Test
    void aNewTableHas64SlotsAndGrowsOnlyWhenADescriptorNeedsIt() {
        assertEquals(64, t.maxFds());
        assertEquals(63, t.dup3(0, 63, 0));
        assertEquals(64, t.maxFds());
        assertEquals(64, t.dup3(0, 64, 0));
        assertEquals(128, t.maxFds());
        assertEquals(0, t.close(64));
        assertEquals(128, t.maxFds(), "a table never shrinks");
    }

    @Test
    void descriptorsPast1024WorkOnceRlimitNofileIsRaised() {
        assertEquals(-Errno.EBADF, t.dup3(0, 1024, 0), "at the default soft limit of 1024");
        t.setNofileLimit(4096);
        assertEquals(4000, t.dup3(0, 4000, 0));
        assertEquals(4096, t.maxFds());
        assertSame(t.file(0), t.file(4000));
        assertEquals(4001, t.fcntl(0, F_DUPFD, 4001));
        t.setNofileLimit(-1);
        assertEquals(FileTable.NR_OPEN - 1, t.dup3(0, FileTable.NR_OPEN - 1, 0), "RLIM_INFINITY stops at fs.nr_open");
        assertEquals(-Errno.EBADF, t.dup3(0, FileTable.NR_OPEN, 0));
    }

    @Test
    void forkSizesTheChildsTableForItsOpenDescriptorsAndExecKeepsTheSize() {
        t.setNofileLimit(4096);
        assertEquals(300, t.dup3(0, 300, 0));
        assertEquals(3000, t.dup3(0, 3000, 0));
        assertEquals(0, t.close(3000));
        assertEquals(4096, t.maxFds());
        // dup_fd: the open descriptors (up to 300) counted in 64-bit words: 320 slots, so 512.
        FileTable child = t.copyForFork();
        assertEquals(512, child.maxFds());
        assertSame(t.file(300), child.file(300));
        assertEquals(4096, t.copyForExec("/prog").maxFds());
    }
}
