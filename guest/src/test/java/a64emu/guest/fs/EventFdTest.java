package a64emu.guest.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** eventfd's counter (fs/eventfd.c eventfd_read, eventfd_write, eventfd_poll). */
class EventFdTest {
    private final List<Object> woken = new ArrayList<>();

    private EventFd eventfd(int initval, int flags) {
        return new EventFd(initval, flags, woken::add);
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static long value(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void aReadTakesTheWholeCountAndAnEmptyCounterAnswersEagain() {
        EventFd e = eventfd(5, 0);
        byte[] b = new byte[8];
        assertEquals(8, e.read(b, 0, 8));
        assertEquals(5, value(b));
        assertEquals(-Errno.EAGAIN, e.read(b, 0, 8));
    }

    @Test
    void aSemaphoreReadTakesOneAtATime() {
        EventFd e = eventfd(2, EventFd.EFD_SEMAPHORE);
        byte[] b = new byte[8];
        assertEquals(8, e.read(b, 0, 8));
        assertEquals(1, value(b));
        assertEquals(8, e.read(b, 0, 8));
        assertEquals(1, value(b));
        assertEquals(-Errno.EAGAIN, e.read(b, 0, 8));
    }

    @Test
    void buffersShorterThanEightBytesAreEinval() {
        EventFd e = eventfd(1, 0);
        assertEquals(-Errno.EINVAL, e.read(new byte[7], 0, 7));
        assertEquals(-Errno.EINVAL, e.write(u64(1), 0, 7));
        assertEquals(1, e.count());
    }

    @Test
    void theCountStopsOneBelowAllOnesWhichIsNeverAValue() {
        EventFd e = eventfd(0, 0);
        assertEquals(-Errno.EINVAL, e.write(u64(-1L), 0, 8));
        assertEquals(8, e.write(u64(0xfffffffffffffffeL), 0, 8));
        assertEquals(-Errno.EAGAIN, e.write(u64(1), 0, 8), "a blocking writer sleeps here");
        assertEquals(8, e.write(u64(0), 0, 8), "adding zero always fits");
        assertEquals(0xfffffffffffffffeL, e.count());
        assertEquals(PollTable.POLLIN, e.poll(null), "full: readable, not writable");
    }

    @Test
    void pollIsReadableWhileNonZeroAndWritableWhileOneMoreFits() {
        EventFd e = eventfd(0, 0);
        assertEquals(PollTable.POLLOUT, e.poll(null));
        e.write(u64(3), 0, 8);
        assertEquals(PollTable.POLLIN | PollTable.POLLOUT, e.poll(null));
    }

    @Test
    void aWriteWakesPollersWithPollinAndTheSleepersOfTheFile() {
        EventFd e = eventfd(0, 0);
        int[] seen = {-1};
        PollTable.wait(new PollTable("epoll item", (WaitQueue.WakeFunction) events -> {
            seen[0] = events;
            return true;
        }), e.pollers);
        e.write(u64(1), 0, 8);
        assertEquals(PollTable.POLLIN, seen[0]);
        assertEquals(List.of(e), woken);
        e.read(new byte[8], 0, 8);
        assertEquals(PollTable.POLLOUT, seen[0], "a read makes room: POLLOUT, and the item stays queued");
    }

    @Test
    void nonblockIsTheOnlyStatusFlagAndTheFileIsAnAnonymousInode() throws ErrnoException {
        EventFd e = eventfd(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC | EventFd.EFD_SEMAPHORE);
        assertEquals(OpenFlags.O_RDWR | OpenFlags.O_NONBLOCK, e.statusFlagsForGetfl());
        assertEquals(0600, e.fileStat().mode());
        assertEquals("anon_inode:[eventfd]", e.guestPath());
    }
}
