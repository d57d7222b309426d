package a64emu.guest.mm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A host file as a mapping's page source, for write-back tests; its identity is its path. */
final class TempFilePages implements PageSource {
    private final Path path;

    TempFilePages(Path path) {
        this.path = path;
    }

    @Override
    public long size() {
        return path.toFile().length();
    }

    @Override
    public int readAt(long pos, byte[] dst, int off, int len) {
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            f.seek(pos);
            int n = f.read(dst, off, len);
            return Math.max(n, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long writeAt(long pos, byte[] src, int off, int len) {
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            f.seek(pos);
            f.write(src, off, len);
            return len;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Object identity() {
        return path.toAbsolutePath();
    }
}
