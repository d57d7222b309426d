package a64emu.guest.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.EventFd;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.Pipe;
import a64emu.guest.fs.PollTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.Mman;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** AIO contexts and requests on a process built alone: the ring in guest memory as libaio reads it. */
class AioContextsTest {
    private final TestMachine m = new TestMachine(48, 16L << 20);
    private final Process process;
    private final long scratch;
    private final AioLimits limits = new AioLimits();

    AioContextsTest() {
        FileTable files = new FileTable(new FileSystem(null, "/"), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), "/bin/prog");
        process = new Process(4242, 1, new InitialStack.Credentials(1000, 1000, 1000, 1000), new Cpu(m.mmu), m.mm,
                m.frames, m.faults, m.user, files, 1);
        scratch = m.memoryMap.mmap(0, 4 * 4096, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
    }

    private long iocb(int opcode, int fd, long buf, long nbytes, long data) throws BadUserAddressException {
        long at = scratch + 2048;
        m.user.write(at, new byte[Iocb.SIZE]);
        m.user.write64(at, data);
        m.user.write32(at + 16, opcode);
        m.user.write32(at + 20, fd);
        m.user.write64(at + 24, buf);
        m.user.write64(at + 32, nbytes);
        return at;
    }

    @Test
    void ioSetupMapsARingWithLinuxsHeaderAndCountsAgainstAioMaxNr() throws BadUserAddressException {
        AioContexts aio = process.aio;
        long ring = aio.setup(process, 8, limits);
        assertTrue(ring > 0);
        assertEquals(0xa10a10a1, m.user.read32(ring + 16), "magic");
        assertEquals(32, m.user.read32(ring + 28), "header_length");
        assertEquals(127, m.user.read32(ring + 4), "one page of events");
        assertTrue(m.maps().stream().anyMatch(l -> l.contains("/[aio] (deleted)")), String.join("\n", m.maps()));
        assertEquals(8, limits.aioNr());
        assertEquals(-Errno.EAGAIN, aio.setup(process, AioLimits.AIO_MAX_NR, limits));
        AioContext ctx = aio.lookup(process, ring);
        assertEquals(0, aio.destroy(process, ctx));
        assertEquals(0, limits.aioNr());
        assertNull(aio.lookup(process, ring), "the ring is gone with the context");
    }

    @Test
    void aPipeReadCompletesIntoTheRingAndTellsTheEventfd() throws BadUserAddressException {
        long ring = process.aio.setup(process, 8, limits);
        AioContext ctx = process.aio.lookup(process, ring);
        int[] fds = process.files.installPipe(new Pipe(0, c -> { }), false);
        int rfd = fds[0];
        int wfd = fds[1];
        EventFd efd = new EventFd(0, 0, c -> { });
        int e = process.files.installNew(efd, false);
        assertEquals(3, process.files.write(wfd, "abc".getBytes(), 0, 3));
        long cb = iocb(Iocb.IOCB_CMD_PREAD, rfd, scratch, 16, 42);
        m.user.write32(cb + 56, Iocb.IOCB_FLAG_RESFD);
        m.user.write32(cb + 60, e);
        assertEquals(0, new AioSubmit(process, ctx).submit(cb));
        assertEquals(1, efd.count());
        assertEquals(1, m.user.read32(ring + 12), "tail");
        assertEquals(1, ctx.takeEvents(scratch + 1024, 4));
        assertEquals(42, m.user.read64(scratch + 1024), "data");
        assertEquals(cb, m.user.read64(scratch + 1032), "obj: the iocb");
        assertEquals(3, m.user.read64(scratch + 1040), "res");
        assertEquals(1, m.user.read32(ring + 8), "head moved");
    }

    @Test
    void aPollWaitsForItsFileAndIoCancelCompletesItEmpty() throws BadUserAddressException {
        long ring = process.aio.setup(process, 8, limits);
        AioContext ctx = process.aio.lookup(process, ring);
        int[] fds = process.files.installPipe(new Pipe(0, c -> { }), false);
        int rfd = fds[0];
        int wfd = fds[1];
        long cb = iocb(Iocb.IOCB_CMD_POLL, rfd, PollTable.POLLIN, 0, 7);
        assertEquals(0, new AioSubmit(process, ctx).submit(cb));
        assertEquals(0, ctx.pendingEvents());
        process.files.write(wfd, "x".getBytes(), 0, 1);
        assertEquals(1, ctx.pendingEvents(), "the write woke the request");
        assertEquals(1, ctx.takeEvents(scratch + 1024, 4));
        assertEquals(PollTable.POLLIN | PollTable.POLLRDNORM, m.user.read64(scratch + 1040), "the wake-up's key");
        long cb2 = iocb(Iocb.IOCB_CMD_POLL, wfd, PollTable.POLLIN, 0, 8);
        assertEquals(0, new AioSubmit(process, ctx).submit(cb2));
        assertEquals(-Errno.EINPROGRESS, ctx.cancel(cb2));
        assertEquals(-Errno.EINVAL, ctx.cancel(cb2));
        assertEquals(1, ctx.takeEvents(scratch + 1024, 4));
        assertEquals(0, m.user.read64(scratch + 1040), "cancelled with nothing ready");
    }

    @Test
    void submitChecksComeInLinuxsOrder() throws BadUserAddressException {
        long ring = process.aio.setup(process, 8, limits);
        AioContext ctx = process.aio.lookup(process, ring);
        AioSubmit submit = new AioSubmit(process, ctx);
        assertEquals(-Errno.EFAULT, submit.submit(8));
        long cb = iocb(Iocb.IOCB_CMD_PREAD, 99, scratch, 1, 0);
        assertEquals(-Errno.EBADF, submit.submit(cb));
        cb = iocb(Iocb.IOCB_CMD_NOOP, 0, scratch, 1, 0);
        assertEquals(-Errno.EINVAL, submit.submit(cb));
        m.user.write64(cb + 48, 1);
        assertEquals(-Errno.EINVAL, submit.submit(cb), "aio_reserved2");
        assertSame(null, submit.channel());
    }
}
