package a64emu.guest.net;

import static a64emu.guest.fs.PollTable.POLLHUP;
import static a64emu.guest.fs.PollTable.POLLIN;
import static a64emu.guest.fs.PollTable.POLLOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileMode;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.PollTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketTest {
    private final List<Object> woken = new ArrayList<>();
    private final UnixNamespace ns = new UnixNamespace(woken::add);
    private final Credentials creator = new Credentials(100, 1000, 1000);
    private final FileSystem fs = new FileSystem(null, "/");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(UnixSocket.Received r) {
        return new String(r.data(), StandardCharsets.US_ASCII);
    }

    private long send(UnixSocket s, String data) {
        return s.send(bytes(data), List.of(), creator, null, fs, 0, true);
    }

    @Test
    void streamReadsJoinSendsAndPeekLeavesTheData() throws ErrnoException {
        UnixSocket[] p = UnixSocket.pair(ns, UnixSocket.SOCK_STREAM, 0, creator);
        assertEquals(3, send(p[0], "abc"));
        assertEquals(3, send(p[0], "def"));
        assertEquals("abcd", text(p[1].receive(4, SocketFlags.MSG_PEEK)));
        assertEquals("abcd", text(p[1].receive(4, 0)));
        assertEquals("ef", text(p[1].receive(100, 0)));
        ErrnoException e = assertThrows(ErrnoException.class, () -> p[1].receive(1, 0));
        assertEquals(Errno.EAGAIN, e.errno());
    }

    @Test
    void datagramIsReadWholeAndTheRestDropped() throws ErrnoException {
        UnixSocket[] p = UnixSocket.pair(ns, UnixSocket.SOCK_DGRAM, 0, creator);
        send(p[0], "hello");
        send(p[0], "x");
        UnixSocket.Received r = p[1].receive(2, 0);
        assertEquals("he", text(r));
        assertTrue(r.truncated());
        assertEquals(2, r.length());
        assertEquals("x", text(p[1].receive(10, 0)));
    }

    @Test
    void closingThePeerIsEndOfFileForStreamsAndEpipeForWriters() throws ErrnoException {
        UnixSocket[] p = UnixSocket.pair(ns, UnixSocket.SOCK_STREAM, 0, creator);
        send(p[0], "last");
        p[0].release();
        assertEquals("last", text(p[1].receive(10, 0)));
        assertEquals(0, p[1].receive(10, 0).length());
        assertEquals(-Errno.EPIPE, send(p[1], "x"));
        assertTrue(p[1].writeEpipeRaisesSigpipe());
        assertEquals(POLLIN | POLLOUT | POLLHUP, p[1].poll(null) & (POLLIN | POLLOUT | POLLHUP));
        assertTrue(woken.contains(p[1]), "the survivor's sleepers are woken");
    }

    @Test
    void closingWithUnreadDataResetsThePeer() throws ErrnoException {
        UnixSocket[] p = UnixSocket.pair(ns, UnixSocket.SOCK_STREAM, 0, creator);
        send(p[1], "unread");
        p[0].release();
        ErrnoException e = assertThrows(ErrnoException.class, () -> p[1].receive(10, 0));
        assertEquals(Errno.ECONNRESET, e.errno());
        assertEquals(0, p[1].receive(10, 0).length(), "the error is reported once");
    }

    @Test
    void shutdownWriteGivesThePeerEndOfFile() throws ErrnoException {
        UnixSocket[] p = UnixSocket.pair(ns, UnixSocket.SOCK_SEQPACKET, 0, creator);
        p[0].shutdown(1);
        assertEquals(0, p[1].receive(10, 0).length());
        assertEquals(-Errno.EPIPE, send(p[0], "x"));
        assertFalse(p[0].writeEpipeRaisesSigpipe(), "only stream sockets raise SIGPIPE");
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> p[0].shutdown(3)).errno());
    }

    @Test
    void aFullSendBufferMakesTheSenderWaitUntilTheReaderTakesData() throws ErrnoException {
        UnixSocket[] p = UnixSocket.pair(ns, UnixSocket.SOCK_STREAM, 0, creator);
        p[0].setSendBuffer(2304); // doubled to 4608, the minimum
        assertEquals(4608, p[0].sendBuffer());
        byte[] big = new byte[8000];
        assertEquals(4608, p[0].send(big, List.of(), creator, null, fs, 0, false), "a non-blocking send sends what fits");
        assertEquals(-Errno.EAGAIN, p[0].send(big, List.of(), creator, null, fs, 0, false));
        assertEquals(0, p[0].poll(null) & POLLOUT);
        woken.clear();
        p[1].receive(8000, 0);
        assertTrue(woken.contains(p[0]));
        assertEquals(POLLOUT, p[0].poll(null) & POLLOUT);
    }

    @Test
    void connectQueuesAConnectionThatAcceptTakesWithTheCredentials() throws ErrnoException {
        UnixSocket listener = UnixSocket.create(ns, UnixSocket.SOCK_STREAM, 0, creator);
        UnixAddress name = UnixAddress.abstractName(bytes("srv"));
        listener.bind(name, fs);
        Credentials server = new Credentials(1, 0, 0);
        listener.listen(0, server);
        UnixSocket client = UnixSocket.create(ns, UnixSocket.SOCK_STREAM, 0, creator);
        client.connect(name, fs, creator);
        assertEquals(server, client.peerCredentials());
        assertEquals(name, client.peerAddress());
        assertEquals(POLLIN, listener.poll(null) & POLLIN);
        UnixSocket second = UnixSocket.create(ns, UnixSocket.SOCK_STREAM, 0, creator);
        assertEquals(Errno.EAGAIN, assertThrows(ErrnoException.class, () -> second.connect(name, fs, creator)).errno(),
                "backlog 0 holds one pending connection");
        UnixSocket accepted = listener.accept(0);
        assertEquals(creator, accepted.peerCredentials());
        assertEquals(name, accepted.address());
        assertEquals(Errno.EISCONN, assertThrows(ErrnoException.class, () -> client.connect(name, fs, creator)).errno());
        send(client, "hi");
        assertEquals("hi", text(accepted.receive(10, 0)));
        UnixSocket dgram = UnixSocket.create(ns, UnixSocket.SOCK_DGRAM, 0, creator);
        assertEquals(Errno.ECONNREFUSED, assertThrows(ErrnoException.class, () -> dgram.connect(name, fs, creator)).errno(),
                "an abstract name belongs to one socket type");
        listener.release();
        assertEquals(Errno.ECONNREFUSED, assertThrows(ErrnoException.class, () -> second.connect(name, fs, creator)).errno());
    }

    @Test
    void aPathNameIsASocketFileThatOutlivesItsSocket(@TempDir Path dir) throws Exception {
        String path = dir.resolve("s").toString();
        UnixSocket s = UnixSocket.create(ns, UnixSocket.SOCK_DGRAM, 0, creator);
        s.bind(UnixAddress.path(path), fs);
        int mode = (Integer) Files.getAttribute(dir.resolve("s"), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertEquals(FileMode.S_IFSOCK, FileMode.type(mode));
        UnixSocket other = UnixSocket.create(ns, UnixSocket.SOCK_DGRAM, 0, creator);
        assertEquals(Errno.EADDRINUSE, assertThrows(ErrnoException.class,
                () -> other.bind(UnixAddress.path(path), fs)).errno());
        assertEquals(1, other.send(bytes("x"), List.of(), creator, UnixAddress.path(path), fs, 0, true));
        UnixSocket.Received r = s.receive(10, 0);
        assertEquals(null, r.from(), "an unbound sender has no address");
        s.release();
        assertTrue(Files.exists(dir.resolve("s"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(-Errno.ECONNREFUSED, other.send(bytes("x"), List.of(), creator, UnixAddress.path(path), fs, 0, true));
        assertEquals(-Errno.ENOENT, other.send(bytes("x"), List.of(), creator,
                UnixAddress.path(dir.resolve("missing").toString()), fs, 0, true));
    }

    @Test
    void filesInFlightAreHeldUntilReceivedAndDroppedWithTheirQueue() throws ErrnoException {
        UnixSocket[] carrier = UnixSocket.pair(ns, UnixSocket.SOCK_STREAM, 0, creator);
        UnixSocket[] passed = UnixSocket.pair(ns, UnixSocket.SOCK_STREAM, 0, creator);
        passed[0].retain(); // the message's reference
        carrier[0].send(bytes("f"), List.of(passed[0]), creator, null, fs, 0, true);
        passed[0].release(); // the sender closes its descriptor: the message still holds it
        assertEquals(Errno.EAGAIN, assertThrows(ErrnoException.class, () -> passed[1].receive(1, 0)).errno(),
                "the passed socket is still open");
        carrier[1].release(); // the receiver goes with the message unread: the file is released
        assertEquals(0, passed[1].receive(1, 0).length(), "the passed socket closed: its peer sees end of file");
    }

    @Test
    void receivedFilesComeBackToTheCallerAndPeekTakesAReference() throws ErrnoException {
        UnixSocket[] carrier = UnixSocket.pair(ns, UnixSocket.SOCK_DGRAM, 0, creator);
        UnixSocket f = UnixSocket.create(ns, UnixSocket.SOCK_STREAM, 0, creator);
        carrier[0].send(bytes("m"), List.of(f), creator, null, fs, 0, true);
        UnixSocket.Received peeked = carrier[1].receive(1, SocketFlags.MSG_PEEK);
        assertEquals(1, peeked.files().size());
        UnixSocket.Received r = carrier[1].receive(1, 0);
        assertSame(f, r.files().get(0));
        peeked.files().forEach(OpenFile::release);
        r.files().forEach(OpenFile::release);
    }

    @Test
    void pollRegistersOnTheSocketsWaitQueue() throws ErrnoException {
        UnixSocket[] p = UnixSocket.pair(ns, UnixSocket.SOCK_STREAM, 0, creator);
        List<String> wakes = new ArrayList<>();
        assertEquals(0, p[1].poll(new PollTable("poller", () -> wakes.add("woken"))) & POLLIN);
        send(p[0], "x");
        assertEquals(List.of("woken"), wakes);
        assertArrayEquals(bytes("x"), p[1].receive(1, 0).data());
    }

    @Test
    void aSenderToAStrangersFullQueueSleepsOnThatReceiver() throws ErrnoException {
        UnixSocket server = UnixSocket.create(ns, UnixSocket.SOCK_DGRAM, 0, creator);
        UnixAddress name = UnixAddress.abstractName(bytes("log"));
        server.bind(name, fs);
        UnixSocket client = UnixSocket.create(ns, UnixSocket.SOCK_DGRAM, 0, creator);
        for (int i = 0; i <= UnixSocket.MAX_DGRAM_QLEN; i++) {
            assertEquals(1, client.send(bytes("m"), List.of(), creator, name, fs, 0, true));
        }
        assertEquals(-Errno.EAGAIN, client.send(bytes("m"), List.of(), creator, name, fs, 0, true));
        assertSame(server, client.sendChannel());
        woken.clear();
        server.receive(10, 0);
        assertTrue(woken.contains(server), "a read wakes who waits for room");
        assertEquals(1, client.send(bytes("m"), List.of(), creator, name, fs, 0, true));
        assertSame(client, client.waitChannel());
    }

    @Test
    void aHugeReceiveTakesOnlyWhatIsQueued() throws ErrnoException {
        UnixSocket[] p = UnixSocket.pair(ns, UnixSocket.SOCK_STREAM, 0, creator);
        send(p[0], "abc");
        assertEquals("abc", text(p[1].receive(Integer.MAX_VALUE & ~4095, 0)));
    }
}
