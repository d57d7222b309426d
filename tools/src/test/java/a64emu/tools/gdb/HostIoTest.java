package a64emu.tools.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.fs.FileSystem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vFile packets as gdb sends them, answered from a guest file system confined to a root. */
class HostIoTest {
    @TempDir
    Path outside;

    private Path root;
    private HostIo io;

    @BeforeEach
    void guestRoot() throws Exception {
        root = Files.createDirectory(outside.resolve("root"));
        Files.createDirectory(root.resolve("bin"));
        Files.write(root.resolve("bin/prog"), "#$}*\u0000ELF".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(outside.resolve("secret"), "host only");
        Files.createSymbolicLink(root.resolve("escape"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("prog"), Path.of("bin/prog"));
        FileSystem fs = new FileSystem(root, "/");
        io = new HostIo(pid -> pid == 0 ? fs : null, 0x7f8);
    }

    private static String open(String path) {
        return "open:" + Hex.encode(path) + ",0,1c0";
    }

    @Test
    void gdbsProbeOpenIsAnsweredWithEnoentSoItKnowsFileTransferWorks() {
        assertEquals("F0", io.reply("setfs:0"));
        assertEquals("F-1,2", io.reply(open("just probing")));
    }

    @Test
    void openPreadFstatCloseReadTheFileWithTheAttachmentEscaped() {
        assertEquals("F0", io.reply(open("/bin/prog")));
        assertEquals("F7;}\u0003}\u0004}]}\n\u0000EL", io.reply("pread:0,7,0"));
        assertEquals("F2;LF", io.reply("pread:0,100,6"));
        assertEquals("F0;", io.reply("pread:0,100,8"), "at the end");
        String fstat = io.reply("fstat:0");
        assertTrue(fstat.startsWith("F40;"), fstat);
        byte[] stat = PacketChannel.unescape(fstat.substring(4));
        assertEquals(HostIo.FILEIO_STAT_SIZE, stat.length);
        ByteBuffer b = ByteBuffer.wrap(stat);
        assertEquals(HostIo.FILEIO_S_IFREG, b.getInt(8) & 0170000, "st_mode says a regular file");
        assertEquals(8, b.getLong(28), "st_size, big-endian after seven 32-bit fields");
        assertEquals("F0", io.reply("close:0"));
        assertEquals("F-1,9", io.reply("pread:0,1,0"), "EBADF once closed");
        assertEquals("F-1,9", io.reply("close:0"));
    }

    @Test
    void pathsAreWalkedInsideTheGuestRootAndLinksCannotLeaveIt() {
        assertEquals("F-1,2", io.reply(open("/escape")), "an absolute link target is taken inside the root");
        assertEquals("F-1,2", io.reply(open("/../secret")), "'..' at the root stays there");
        assertEquals("F-1,2", io.reply(open(outside.resolve("secret").toString())), "a host path means nothing");
        assertEquals("F0", io.reply(open("/prog")), "a relative link inside the root is followed");
        assertEquals("F-1,15", io.reply(open("/bin")), "EISDIR (21, in hex)");
    }

    @Test
    void onlyReadOnlyOpensAreAllowed() {
        for (int flags : new int[] {HostIo.FILEIO_O_WRONLY, HostIo.FILEIO_O_RDWR,
                HostIo.FILEIO_O_CREAT | HostIo.FILEIO_O_WRONLY, HostIo.FILEIO_O_TRUNC, HostIo.FILEIO_O_APPEND}) {
            assertEquals("F-1,1e", io.reply("open:" + Hex.encode("/bin/prog") + "," + Integer.toHexString(flags)
                    + ",1a4"), "EROFS for flags " + flags);
        }
        assertEquals("F-1,1e", io.reply("unlink:" + Hex.encode("/bin/prog")));
        assertTrue(Files.exists(root.resolve("bin/prog")));
    }

    @Test
    void readlinkGivesTheLinkTextAndEinvalForAFile() {
        assertEquals("F8;bin/prog", io.reply("readlink:" + Hex.encode("/prog")));
        assertEquals("F-1,16", io.reply("readlink:" + Hex.encode("/bin/prog")));
    }

    @Test
    void anUnknownProcessIsEinvalAndAnUnknownOperationUnsupported() {
        assertEquals("F-1,16", io.reply("setfs:2a"));
        assertEquals("", io.reply("pwrite-bogus:0"));
    }

    @Test
    void errnosOutsideFileIosListAreEunknown() {
        assertEquals(91, HostIo.fileIoErrno(a64emu.guest.Errno.ENAMETOOLONG));
        assertEquals(9999, HostIo.fileIoErrno(a64emu.guest.Errno.ELOOP));
    }
}
