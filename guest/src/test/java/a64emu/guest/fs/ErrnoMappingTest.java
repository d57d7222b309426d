package a64emu.guest.fs;

import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrnoMappingTest {
    @TempDir Path dir;

    @Test
    void dedicatedNioExceptionsMapToTheirErrno() {
        assertEquals(Errno.ENOENT, ErrnoException.from(new NoSuchFileException("x")).errno());
        assertEquals(Errno.EACCES, ErrnoException.from(new AccessDeniedException("x")).errno());
        assertEquals(Errno.EEXIST, ErrnoException.from(new FileAlreadyExistsException("x")).errno());
        assertEquals(Errno.ENOTEMPTY, ErrnoException.from(new DirectoryNotEmptyException("x")).errno());
        assertEquals(Errno.EIO, ErrnoException.from(new IOException("disk on fire")).errno());
        assertEquals(Errno.ENOSPC,
                ErrnoException.from(new FileSystemException("f", null, "No space left on device")).errno());
        assertEquals(-Errno.ENOENT, ErrnoException.from(new NoSuchFileException("x")).negated());
    }

    @Test
    void hostErrnoCarriedOnlyAsReasonTextIsRecovered() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("l"), dir.resolve("target"));
        Files.writeString(dir.resolve("target"), "");
        IOException loop = assertThrows(IOException.class,
                () -> FileChannel.open(link, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS).close());
        assertEquals(Errno.ELOOP, ErrnoException.from(loop).errno(), loop.getMessage());
        FileSystemException notDir = assertThrows(FileSystemException.class,
                () -> FileChannel.open(dir.resolve("target/x"), StandardOpenOption.READ).close());
        assertEquals(Errno.ENOTDIR, ErrnoException.from(notDir).errno(), notDir.getReason());
    }
}
