package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.Errno;
import org.junit.jupiter.api.Test;

/** lseek(2)'s arithmetic, shared by host files and memfds: a file with no holes but the one at EOF. */
class SeekTargetTest {
    @Test
    void setCurAndEndMoveFromTheirOrigin() {
        assertEquals(7, OpenFile.seekTarget(3, 10, 7, SEEK_SET));
        assertEquals(5, OpenFile.seekTarget(3, 10, 2, SEEK_CUR));
        assertEquals(12, OpenFile.seekTarget(3, 10, 2, SEEK_END));
        assertEquals(-Errno.EINVAL, OpenFile.seekTarget(3, 10, -4, SEEK_CUR), "before the start");
        assertEquals(-Errno.EINVAL, OpenFile.seekTarget(3, 10, 0, 42), "unknown whence");
    }

    @Test
    void dataIsWhereAskedAndTheOnlyHoleIsAtEndOfFile() {
        assertEquals(4, OpenFile.seekTarget(0, 10, 4, SEEK_DATA));
        assertEquals(10, OpenFile.seekTarget(0, 10, 4, SEEK_HOLE));
        assertEquals(-Errno.ENXIO, OpenFile.seekTarget(0, 10, 10, SEEK_DATA));
        assertEquals(-Errno.ENXIO, OpenFile.seekTarget(0, 10, 11, SEEK_HOLE));
        assertEquals(-Errno.EINVAL, OpenFile.seekTarget(0, 10, -1, SEEK_DATA));
    }
}
