package a64emu.guest.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.Mman;
import a64emu.guest.net.SocketFlags;
import a64emu.guest.net.UnixSocket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The socket calls' copying of guest structures: SCM_RIGHTS in and out, MSG_CTRUNC, the families. */
class SocketSyscallsTest {
    private final TestMachine m = new TestMachine(48, 16L << 20);
    private final Process process;
    private final Syscalls calls;
    private final long scratch;

    SocketSyscallsTest() {
        FileTable files = new FileTable(new FileSystem(null, "/"), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), "/bin/t");
        process = new Process(77, 1, new InitialStack.Credentials(1000, 1000, 100, 100), new Cpu(m.mmu), m.mm, m.frames,
                m.faults, m.user, files, 1);
        calls = new Syscalls(process, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        process.syscalls = calls;
        scratch = m.memoryMap.mmap(0, 8192, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS,
                null, 0);
    }

    private int[] pair(int type) throws BadUserAddressException {
        assertEquals(0, calls.dispatch(SyscallNumbers.SOCKETPAIR, 1, type, 0, scratch, 0, 0));
        return new int[] {m.user.read32(scratch), m.user.read32(scratch + 4)};
    }

    /** A msghdr at scratch+256 with one iovec (scratch+512, len) and a control buffer at scratch+1024. */
    private long msghdr(int len, long controlLen) throws BadUserAddressException {
        long msg = scratch + 256;
        m.user.write(msg, new byte[56]);
        m.user.write64(msg + 16, scratch + 128);
        m.user.write64(msg + 24, 1);
        m.user.write64(scratch + 128, scratch + 512);
        m.user.write64(scratch + 136, len);
        m.user.write64(msg + 32, controlLen == 0 ? 0 : scratch + 1024);
        m.user.write64(msg + 40, controlLen);
        return msg;
    }

    private long sendFds(int sock, int... fds) throws BadUserAddressException {
        long msg = msghdr(1, 16 + ((4L * fds.length + 7) & ~7));
        m.user.write(scratch + 512, new byte[] {'m'});
        m.user.write64(scratch + 1024, 16 + 4L * fds.length);
        m.user.write32(scratch + 1032, SocketSyscalls.SOL_SOCKET);
        m.user.write32(scratch + 1036, SocketSyscalls.SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) m.user.write32(scratch + 1040 + 4L * i, fds[i]);
        return calls.dispatch(SyscallNumbers.SENDMSG, sock, msg, 0, 0, 0, 0);
    }

    @Test
    void receivedDescriptorsAreInstalledAndTheOnesWithoutRoomDroppedWithMsgCtrunc() throws BadUserAddressException {
        int[] sv = pair(UnixSocket.SOCK_DGRAM);
        int[] passed = pair(UnixSocket.SOCK_STREAM);
        assertEquals(1, sendFds(sv[0], passed[0], passed[0], passed[0]));
        long msg = msghdr(16, 24); // CMSG_SPACE(4) = 24: room for two ints
        assertEquals(1, calls.dispatch(SyscallNumbers.RECVMSG, sv[1], msg, 0, 0, 0, 0));
        assertEquals(SocketFlags.MSG_CTRUNC, m.user.read32(msg + 48));
        assertEquals(24, m.user.read64(msg + 40));
        assertEquals(16 + 8, m.user.read64(scratch + 1024), "cmsg_len = CMSG_LEN(2 * sizeof(int))");
        int first = m.user.read32(scratch + 1040);
        int second = m.user.read32(scratch + 1044);
        assertTrue(process.files.file(first) instanceof UnixSocket);
        assertTrue(process.files.file(second) == process.files.file(passed[0]), "the same open file description");
    }

    @Test
    void aBadDescriptorInScmRightsIsEbadfAndNothingIsSent() throws BadUserAddressException {
        int[] sv = pair(UnixSocket.SOCK_DGRAM);
        assertEquals(-Errno.EBADF, sendFds(sv[0], 500));
        assertEquals(-Errno.EAGAIN, calls.dispatch(SyscallNumbers.RECVFROM, sv[1], scratch + 512, 16,
                SocketFlags.MSG_DONTWAIT, 0, 0));
    }

    @Test
    void familiesOtherThanUnixAndInetAreNotSupported() throws BadUserAddressException {
        assertEquals(-Errno.EAFNOSUPPORT, calls.dispatch(SyscallNumbers.SOCKET, 16, 3, 0, 0, 0, 0), "AF_NETLINK");
        assertEquals(-Errno.EAFNOSUPPORT, calls.dispatch(SyscallNumbers.SOCKET, 46, 1, 0, 0, 0, 0), "AF_MAX");
        assertEquals(-Errno.EAFNOSUPPORT, calls.dispatch(SyscallNumbers.SOCKETPAIR, 16, 3, 0, scratch, 0, 0));
        assertEquals(-Errno.EINVAL, calls.dispatch(SyscallNumbers.SOCKET, 1, 1 | 0x100, 0, 0, 0, 0));
    }

    @Test
    void getsockoptTruncatesToTheGivenLengthAndPeercredNamesTheCreator() throws BadUserAddressException {
        int[] sv = pair(UnixSocket.SOCK_STREAM);
        m.user.write32(scratch + 64, 8);
        assertEquals(0, calls.dispatch(SyscallNumbers.GETSOCKOPT, sv[0], 1, SocketSyscalls.SO_PEERCRED, scratch + 32,
                scratch + 64, 0));
        assertEquals(8, m.user.read32(scratch + 64));
        assertEquals(77, m.user.read32(scratch + 32));
        assertEquals(1000, m.user.read32(scratch + 36));
    }
}
