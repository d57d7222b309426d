package a64emu.guest.fs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Helpers shared by the file-layer tests: a table over in-memory std streams, byte decoding. */
final class FsTestSupport {
    private FsTestSupport() {}

    final static class Streams {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final ByteArrayInputStream in;

        Streams(String stdin) {
            in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        }
    }

    static FileTable table(FileSystem fs, Streams s, String exe) {
        return new FileTable(fs, s.in, s.out, s.err, exe);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b, long n) {
        return new String(b, 0, (int) n, StandardCharsets.UTF_8);
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Reads a whole guest file through the table, or returns "errno N" text on failure. */
    static String readAll(FileTable t, int dirfd, String path) {
        int fd = t.openat(dirfd, path, OpenFlags.O_RDONLY, 0);
        if (fd < 0) return "errno " + -fd;
        byte[] buf = new byte[4096];
        long n = t.read(fd, buf, 0, buf.length);
        t.close(fd);
        return n < 0 ? "read errno " + -n : text(buf, n);
    }
}
