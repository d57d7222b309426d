package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import a64emu.guest.Errno;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The xattr calls: Linux's permission rules first, then the host's user attributes. */
class XattrsTest {
    @TempDir Path dir;
    FileTable t;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("f"));
        t = table(new FileSystem(dir, "/"), new Streams(""), "/prog");
    }

    private boolean hostHasUserXattrs() throws Exception {
        if (!Files.getFileStore(dir).supportsFileAttributeView(UserDefinedFileAttributeView.class)) return false;
        return Xattrs.set(t, Xattrs.Target.path("/f", true), "user.probe", new byte[0], 0) == 0
                && Xattrs.remove(t, Xattrs.Target.path("/f", true), "user.probe") == 0;
    }

    @Test
    void userAttributesRoundTripWithLinuxSizeRules() throws Exception {
        assumeTrue(hostHasUserXattrs(), "the host file system has no user xattrs");
        Xattrs.Target f = Xattrs.Target.path("/f", true);
        assertEquals(0, Xattrs.set(t, f, "user.color", bytes("blue"), Xattrs.XATTR_CREATE));
        assertEquals(-Errno.EEXIST, Xattrs.set(t, f, "user.color", bytes("red"), Xattrs.XATTR_CREATE));
        assertEquals(-Errno.ENODATA, Xattrs.set(t, f, "user.size", bytes("1"), Xattrs.XATTR_REPLACE));
        assertEquals(4, Xattrs.get(t, f, "user.color", 0, new ByteArrayOutputStream()), "size 0 asks for the length");
        assertEquals(-Errno.ERANGE, Xattrs.get(t, f, "user.color", 2, new ByteArrayOutputStream()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(4, Xattrs.get(t, f, "user.color", 64, out));
        assertEquals("blue", out.toString());
        assertEquals(-Errno.ENODATA, Xattrs.get(t, f, "user.none", 64, new ByteArrayOutputStream()));
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        assertEquals(11, Xattrs.list(t, f, 64, names));
        assertEquals("user.color\0", names.toString());
        assertEquals(-Errno.ERANGE, Xattrs.list(t, f, 3, new ByteArrayOutputStream()));
        int fd = t.openat(AT_FDCWD, "/f", O_RDONLY, 0);
        assertEquals(0, Xattrs.remove(t, Xattrs.Target.fd(fd), "user.color"));
        assertEquals(-Errno.ENODATA, Xattrs.remove(t, Xattrs.Target.fd(fd), "user.color"));
    }

    @Test
    void permissionRulesComeBeforeTheHost() throws Exception {
        Xattrs.Target link = Xattrs.Target.path("/link", false);
        assertEquals(-Errno.EPERM, Xattrs.set(t, link, "user.x", bytes("v"), 0), "user xattrs only on files and directories");
        assertEquals(-Errno.ENODATA, Xattrs.get(t, link, "user.x", 8, new ByteArrayOutputStream()));
        assertEquals(0, Xattrs.list(t, link, 8, new ByteArrayOutputStream()));
        int[] p = t.installPipe(new Pipe(0, q -> {}), false);
        assertEquals(-Errno.EPERM, Xattrs.set(t, Xattrs.Target.fd(p[0]), "user.x", bytes("v"), 0));
        assertEquals(-Errno.ENODATA, Xattrs.get(t, Xattrs.Target.fd(p[0]), "user.x", 8, new ByteArrayOutputStream()));
        Xattrs.Target f = Xattrs.Target.path("/f", true);
        assertEquals(-Errno.EPERM, Xattrs.set(t, f, "trusted.x", bytes("v"), 0), "trusted needs CAP_SYS_ADMIN");
        assertEquals(-Errno.ENOTSUP, Xattrs.set(t, f, "nosuch.x", bytes("v"), 0));
        assertEquals(-Errno.ERANGE, Xattrs.set(t, f, "", bytes("v"), 0));
        assertEquals(-Errno.EINVAL, Xattrs.set(t, f, "user.x", bytes("v"), 4));
        assertEquals(-Errno.E2BIG, Xattrs.set(t, f, "user.x", new byte[Xattrs.SIZE_MAX + 1], 0));
        assertEquals(-Errno.ENOENT, Xattrs.get(t, Xattrs.Target.path("/missing", true), "user.x", 8,
                new ByteArrayOutputStream()));
        int mem = t.installNew(MemFd.create("m", false, 0, 0), false);
        assertEquals(-Errno.ENOTSUP, Xattrs.set(t, Xattrs.Target.fd(mem), "user.x", bytes("v"), 0),
                "tmpfs in Linux 6.1 has no user xattrs");
    }
}
