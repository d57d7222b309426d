package a64emu.guest.proc;

import static a64emu.guest.fs.OpenFlags.AT_FDCWD;
import static a64emu.guest.fs.OpenFlags.O_DIRECTORY;
import static a64emu.guest.fs.OpenFlags.O_RDONLY;
import static a64emu.guest.fs.OpenFlags.O_WRONLY;

import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.SyntheticTree;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A guest's descriptor table over a file system with synthetic trees mounted, and the system
 * calls the /proc and /sys tests make through it, with results as text ("errno N" for a failure).
 */
public final class GuestFiles {
    public final FileTable table;

    public GuestFiles(Path root, SyntheticTree... mounts) {
        FileSystem fs = new FileSystem(root, "/");
        for (SyntheticTree t : mounts) fs.mount(t);
        table = new FileTable(fs, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), "/bin/prog");
    }

    /** open, read to the end in 100-byte reads, close: the text, or "errno N" of the first failure. */
    public String read(String path) {
        int fd = table.openat(AT_FDCWD, path, O_RDONLY, 0);
        if (fd < 0) return "errno " + -fd;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[100];
        long n;
        while ((n = table.read(fd, buf, 0, buf.length)) > 0) out.write(buf, 0, (int) n);
        table.close(fd);
        if (n < 0) return "errno " + -n;
        return out.toString(StandardCharsets.UTF_8);
    }

    /** open for writing, one write of {@code text}, close: the count written, or -errno. */
    public long write(String path, String text) {
        int fd = table.openat(AT_FDCWD, path, O_WRONLY, 0);
        if (fd < 0) return fd;
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        long n = table.write(fd, b, 0, b.length);
        table.close(fd);
        return n;
    }

    /** The names getdents64 lists in directory {@code dir}, "." and ".." included. */
    public List<String> names(String dir) {
        int fd = table.openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY, 0);
        if (fd < 0) throw new AssertionError("open " + dir + ": errno " + -fd);
        byte[] buf = new byte[16384];
        long n = table.getdents64(fd, buf);
        table.close(fd);
        List<String> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < n; at += b.getShort(at + 16)) {
            int end = at + 19;
            while (buf[end] != 0) end++;
            out.add(new String(buf, at + 19, end - at - 19, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** lstat (or stat when {@code follow}): st_mode, or -errno. */
    public long mode(String path, boolean follow) {
        byte[] st = new byte[128];
        int r = table.newfstatat(AT_FDCWD, path, st, follow ? 0 : a64emu.guest.fs.OpenFlags.AT_SYMLINK_NOFOLLOW);
        if (r < 0) return r;
        return Integer.toUnsignedLong(ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN).getInt(16));
    }

    public String readlink(String path) {
        byte[] buf = new byte[256];
        long n = table.readlinkat(AT_FDCWD, path, buf);
        return n < 0 ? "errno " + -n : new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }
}
