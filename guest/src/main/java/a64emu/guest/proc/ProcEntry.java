package a64emu.guest.proc;

import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileOperations;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.SyntheticNode;
import java.util.List;

/**
 * The kinds of /proc node (Linux's proc_dir_entry and pid_entry: a directory with a readdir, a
 * file with a show function, a file with its own open and read methods, a link with a
 * get_link), each generating what it shows when asked, from the kernel's state at that moment.
 */
final class ProcEntry {
    private ProcEntry() {}

    @FunctionalInterface
    interface Generator {
        byte[] generate() throws ErrnoException;
    }

    @FunctionalInterface
    interface Lister {
        List<SyntheticNode.Entry> list() throws ErrnoException;
    }

    @FunctionalInterface
    interface LinkText {
        String target() throws ErrnoException;
    }

    @FunctionalInterface
    interface Writer {
        long write(byte[] data);
    }

    /** The open method of a file with per-open state: checks the opener and returns its file operations. */
    @FunctionalInterface
    interface OperationsOpener {
        FileOperations open(int flags) throws ErrnoException;
    }

    /** A file's open method: checks the opener and returns what its reads read. */
    @FunctionalInterface
    interface Opener {
        SyntheticNode.PositionalReader open() throws ErrnoException;
    }

    record Dir(long inode, int permissions, int uid, int gid, Lister lister) implements SyntheticNode {
        @Override
        public Kind kind() {
            return Kind.DIRECTORY;
        }

        @Override
        public List<Entry> list() throws ErrnoException {
            return lister.list();
        }
    }

    /** A file; {@code writer} null for a read-only one. */
    record File(long inode, int permissions, int uid, int gid, Generator generator, Writer writer)
            implements SyntheticNode {
        @Override
        public Kind kind() {
            return Kind.REGULAR;
        }

        @Override
        public byte[] contents() throws ErrnoException {
            return generator.generate();
        }

        @Override
        public long write(byte[] data) {
            return writer == null ? -a64emu.guest.Errno.EINVAL : writer.write(data);
        }
    }

    /**
     * A file read where the reader reads (Linux's REG entries with their own file_operations:
     * pagemap, environ), not generated whole at open; read-only.
     */
    record InPlaceFile(long inode, int permissions, int uid, int gid, Opener opener) implements SyntheticNode {
        @Override
        public Kind kind() {
            return Kind.REGULAR;
        }

        @Override
        public PositionalReader openReader() throws ErrnoException {
            return opener.open();
        }
    }

    /**
     * A file whose every open gets methods and state of its own (Linux's REG entries with
     * an open method that sets private_data: the /proc/pressure files and their triggers).
     */
    record OperationsFile(long inode, int permissions, int uid, int gid, OperationsOpener opener)
            implements SyntheticNode {
        @Override
        public Kind kind() {
            return Kind.REGULAR;
        }

        @Override
        public FileOperations open(int flags) throws ErrnoException {
            return opener.open(flags);
        }
    }

    /** A magic link to an open file (fd/N): its text, and the file itself for when the text is no path. */
    record FdLink(long inode, int permissions, int uid, int gid, LinkText text, OpenFile file)
            implements SyntheticNode {
        @Override
        public Kind kind() {
            return Kind.SYMLINK;
        }

        @Override
        public String linkTarget() throws ErrnoException {
            return text.target();
        }

        @Override
        public OpenFile openedFile() {
            return file;
        }
    }

    record Link(long inode, int permissions, int uid, int gid, LinkText text) implements SyntheticNode {
        @Override
        public Kind kind() {
            return Kind.SYMLINK;
        }

        @Override
        public String linkTarget() throws ErrnoException {
            return text.target();
        }
    }
}
