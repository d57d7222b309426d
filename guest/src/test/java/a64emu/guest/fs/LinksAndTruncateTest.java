package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** linkat(2), symlinkat(2) and truncate(2), inside a --root. */
class LinksAndTruncateTest {
    @TempDir Path outer;
    Path root;
    FileTable t;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectory(outer.resolve("root"));
        Files.writeString(root.resolve("file"), "0123456789");
        Files.writeString(outer.resolve("secret"), "outside");
        Files.createDirectory(root.resolve("d"));
        t = table(new FileSystem(root, "/"), new Streams(""), "/prog");
    }

    @Test
    void linkatMakesASecondNameOfTheSameInode() throws Exception {
        assertEquals(0, t.linkat(AT_FDCWD, "/file", AT_FDCWD, "/d/hard", 0));
        assertEquals(Files.getAttribute(root.resolve("file"), "unix:ino"), Files.getAttribute(root.resolve("d/hard"), "unix:ino"));
        assertEquals(2, (Integer) Files.getAttribute(root.resolve("file"), "unix:nlink"));
    }

    @Test
    void linkatAnswersLinuxErrors() {
        assertEquals(-Errno.EEXIST, t.linkat(AT_FDCWD, "/file", AT_FDCWD, "/file", 0));
        assertEquals(-Errno.EPERM, t.linkat(AT_FDCWD, "/d", AT_FDCWD, "/d2", 0));
        assertEquals(-Errno.ENOENT, t.linkat(AT_FDCWD, "/missing", AT_FDCWD, "/x", 0));
        assertEquals(-Errno.EINVAL, t.linkat(AT_FDCWD, "/file", AT_FDCWD, "/x", 0x1));
        assertEquals(-Errno.ENOENT, t.linkat(AT_FDCWD, "", AT_FDCWD, "/x", AT_EMPTY_PATH),
                "AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH");
    }

    @Test
    void linkatLinksTheLinkItselfUnlessAskedToFollow() throws Exception {
        assertEquals(0, t.symlinkat("file", AT_FDCWD, "/sym"));
        assertEquals(0, t.linkat(AT_FDCWD, "/sym", AT_FDCWD, "/sym2", 0));
        assertTrue(Files.isSymbolicLink(root.resolve("sym2")));
        assertEquals(0, t.linkat(AT_FDCWD, "/sym", AT_FDCWD, "/hard", AT_SYMLINK_FOLLOW));
        assertFalse(Files.isSymbolicLink(root.resolve("hard")));
        assertEquals("0123456789", Files.readString(root.resolve("hard")));
    }

    @Test
    void namesThroughDotDotAndAbsoluteLinksStayInsideTheRoot() throws Exception {
        assertEquals(-Errno.ENOENT, t.linkat(AT_FDCWD, "/../secret", AT_FDCWD, "/stolen", 0),
                "/.. is / inside the root: there is no secret there");
        assertEquals(0, t.symlinkat("/../secret", AT_FDCWD, "/escape"));
        assertEquals(-Errno.ENOENT, t.linkat(AT_FDCWD, "/escape", AT_FDCWD, "/stolen", AT_SYMLINK_FOLLOW));
        assertEquals(0, t.linkat(AT_FDCWD, "/../file", AT_FDCWD, "/../again", 0));
        assertTrue(Files.exists(root.resolve("again")), "the new name is made inside the root");
        assertFalse(Files.exists(outer.resolve("again")));
    }

    @Test
    void symlinkatStoresTheTargetAndRefusesExistingAndEmpty() throws Exception {
        assertEquals(0, t.symlinkat("some/where", AT_FDCWD, "/dangling"));
        assertEquals("some/where", Files.readSymbolicLink(root.resolve("dangling")).toString());
        assertEquals(-Errno.EEXIST, t.symlinkat("x", AT_FDCWD, "/file"));
        assertEquals(-Errno.ENOENT, t.symlinkat("", AT_FDCWD, "/empty"));
        int d = t.openat(AT_FDCWD, "/d", O_RDONLY | O_DIRECTORY, 0);
        assertEquals(0, t.symlinkat("../file", d, "up"));
        assertEquals("0123456789", readAll(t, AT_FDCWD, "/d/up"));
    }

    @Test
    void truncateFollowsLinksAndRefusesDirectoriesAndNegativeLengths() throws Exception {
        assertEquals(0, t.truncate("/file", 4));
        assertEquals("0123", Files.readString(root.resolve("file")));
        t.symlinkat("file", AT_FDCWD, "/sym");
        assertEquals(0, t.truncate("/sym", 6));
        assertEquals(6, Files.size(root.resolve("file")));
        assertEquals(-Errno.EISDIR, t.truncate("/d", 0));
        assertEquals(-Errno.EINVAL, t.truncate("/file", -1));
        assertEquals(-Errno.ENOENT, t.truncate("/missing", 0));
    }
}
