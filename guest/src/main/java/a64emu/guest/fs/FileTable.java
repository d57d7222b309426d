package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;
import java.io.InputStream;
import java.util.Arrays;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A process's file descriptor table (Linux's struct files_struct): descriptor numbers to shared
 * open file descriptions, plus the per-descriptor close-on-exec flag. The syscall handlers call
 * these methods after copying guest memory into byte arrays; each returns the syscall's value or a
 * negative errno. New descriptors take the lowest free number below RLIMIT_NOFILE, after which
 * EMFILE. The table grows as Linux's does ({@code expand_files}): {@link #NR_OPEN_DEFAULT}
 * slots at first, then a power-of-two multiple of 128 above the descriptor needed, up to
 * fs.nr_open; its size is the FDSize of /proc/PID/status and where select clamps its n.
 */
public final class FileTable {
    /** RLIMIT_NOFILE's default soft limit (INR_OPEN_CUR). */
    public static final int DEFAULT_NOFILE = 1024;
    /** fs.nr_open: no descriptor table grows past it (sysctl_nr_open's default, 1024 * 1024). */
    public static final int NR_OPEN = 1024 * 1024;
    /** The slots a new table has (BITS_PER_LONG). */
    public static final int NR_OPEN_DEFAULT = 64;
    /** The name Linux's proc_pid_link resolves to the executable (fs/proc/base.c proc_exe_link). */
    public static final String PROC_SELF_EXE = "/proc/self/exe";

    private final FileSystem fs;
    private final String exeGuestPath;
    private OpenFile[] files;
    private boolean[] closeOnExec;
    /**
     * RLIMIT_NOFILE's soft limit as the owning process has it, at most {@link #NR_OPEN}: new
     * descriptors are below it (EMFILE), dup2/dup3 to a number at or above it is EBADF and
     * F_DUPFD from one EINVAL (fs/file.c alloc_fd, ksys_dup3; fs/fcntl.c f_dupfd). Descriptors
     * already open above a lowered limit stay usable, as on Linux.
     */
    private int nofile = DEFAULT_NOFILE;

    /**
     * A table with descriptors 0, 1 and 2 on the given streams.
     *
     * @param exeGuestPath what readlink("/proc/self/exe") returns: the program's canonical guest path
     */
    public FileTable(FileSystem fs, InputStream stdin, OutputStream stdout, OutputStream stderr, String exeGuestPath) {
        this.fs = fs;
        this.exeGuestPath = exeGuestPath;
        files = new OpenFile[NR_OPEN_DEFAULT];
        closeOnExec = new boolean[NR_OPEN_DEFAULT];
        files[0] = StdStream.input(stdin);
        files[1] = StdStream.output(1, stdout);
        files[2] = StdStream.output(2, stderr);
    }

    /**
     * A copy of {@code parent}'s descriptors. For fork the table is sized as dup_fd sizes it
     * (for the open descriptors, counted in whole words of the bitmap); execve keeps the
     * table it had, so its size too.
     */
    private FileTable(FileTable parent, FileSystem fs, String exeGuestPath, boolean keepSize) {
        this.fs = fs;
        this.exeGuestPath = exeGuestPath;
        synchronized (parent) {
            nofile = parent.nofile;
            int size = parent.files.length;
            if (!keepSize) {
                int highest = -1;
                for (int fd = 0; fd < parent.files.length; fd++) {
                    if (parent.files[fd] != null) highest = fd;
                }
                int openFiles = (highest + 1 + NR_OPEN_DEFAULT - 1) / NR_OPEN_DEFAULT * NR_OPEN_DEFAULT;
                size = openFiles > NR_OPEN_DEFAULT ? tableSizeFor(openFiles - 1) : NR_OPEN_DEFAULT;
            }
            files = new OpenFile[size];
            closeOnExec = new boolean[size];
            for (int fd = 0; fd < Math.min(size, parent.files.length); fd++) {
                if (parent.files[fd] != null) {
                    parent.files[fd].retain();
                    files[fd] = parent.files[fd];
                    closeOnExec[fd] = parent.closeOnExec[fd];
                }
            }
        }
    }

    /** fork(2): the child's table names the same descriptions (shared offsets), cwd copied. */
    public FileTable copyForFork() {
        return new FileTable(this, fs.copyForFork(), exeGuestPath, false);
    }

    /**
     * execve(2): a table for the new program, close-on-exec descriptors closed in it (this table
     * is left to the caller to {@link #closeAll()} if the old image goes away).
     */
    public FileTable copyForExec(String newExeGuestPath) {
        FileTable t = new FileTable(this, fs, newExeGuestPath, true);
        for (int fd = 0; fd < t.files.length; fd++) {
            if (t.files[fd] != null && t.closeOnExec[fd]) t.close(fd);
        }
        return t;
    }

    /** Exit: closes every descriptor. */
    public synchronized void closeAll() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null) close(fd);
        }
    }

    public FileSystem fileSystem() {
        return fs;
    }

    /** The program's canonical guest path: what /proc/self/exe names. */
    public String exePath() {
        return exeGuestPath;
    }

    /**
     * Sets RLIMIT_NOFILE's soft limit (unsigned; RLIM_INFINITY is -1); descriptors stay below
     * fs.nr_open in any case.
     */
    public synchronized void setNofileLimit(long soft) {
        nofile = Long.compareUnsigned(soft, NR_OPEN) > 0 ? NR_OPEN : (int) soft;
    }

    /** The description behind {@code fd}, or null if it is not open. Not retained: see {@link OpenFile}. */
    public synchronized OpenFile file(int fd) {
        return fd >= 0 && fd < files.length ? files[fd] : null;
    }

    /** The table's size (Linux fdt->max_fds): FDSize in /proc/PID/status. */
    public synchronized int maxFds() {
        return files.length;
    }

    /**
     * Linux {@code alloc_fdtable(nr)}: the size a table grows to so that descriptor {@code nr}
     * fits: a power-of-two multiple of 128 slots (1 KiB of pointers), at most fs.nr_open.
     */
    public static int tableSizeFor(int nr) {
        int perKb = 1024 / 8;
        int n = Integer.highestOneBit(nr / perKb + 1);
        n = n == nr / perKb + 1 ? n : n * 2;
        long size = (long) n * perKb;
        return size > NR_OPEN ? NR_OPEN : (int) size;
    }

    /** Linux {@code expand_files}: grows the table so that {@code fd} has a slot. */
    private void expandFor(int fd) {
        if (fd >= files.length) {
            int size = tableSizeFor(fd);
            files = Arrays.copyOf(files, size);
            closeOnExec = Arrays.copyOf(closeOnExec, size);
        }
    }

    private synchronized int lowestFree(int from) {
        for (int fd = from; fd < nofile; fd++) {
            if (fd >= files.length || files[fd] == null) return fd;
        }
        return -Errno.EMFILE;
    }

    /**
     * Whether a descriptor is free now: what a call that takes one before doing its work
     * checks first ({@code get_unused_fd_flags}, EMFILE).
     */
    public synchronized boolean hasFreeDescriptor() {
        return lowestFree(0) >= 0;
    }

    /**
     * pipe2(2): installs the read and the write end at the lowest free descriptors; returns
     * both, or {-errno} (both ends released) when the table is full.
     */
    public synchronized int[] installPipe(Pipe p, boolean cloexec) {
        int r = install(p.readEnd, 0, cloexec);
        if (r < 0) {
            p.writeEnd.release();
            return new int[] {r};
        }
        int w = install(p.writeEnd, 0, cloexec);
        if (w < 0) {
            close(r);
            return new int[] {w};
        }
        return new int[] {r, w};
    }

    /**
     * Installs a new open file made by a system call (an eventfd, an epoll instance, a memfd,
     * a pidfd, a socket, an accepted connection, a descriptor received in SCM_RIGHTS) at the
     * lowest free descriptor; -EMFILE (the file released) when the table is full.
     */
    public synchronized int installNew(OpenFile f, boolean cloexec) {
        return install(f, 0, cloexec);
    }

    private synchronized int install(OpenFile f, int from, boolean cloexec) {
        int fd = lowestFree(from);
        if (fd < 0) {
            f.release();
            return fd;
        }
        expandFor(fd);
        files[fd] = f;
        closeOnExec[fd] = cloexec;
        return fd;
    }

    /**
     * The guest directory a relative path starts from: the cwd for AT_FDCWD, else the directory
     * the descriptor names (EBADF if not open, ENOTDIR if not a directory).
     */
    String startDir(int dirfd, String path) throws ErrnoException {
        if (dirfd == AT_FDCWD || path.startsWith("/")) return fs.cwd();
        OpenFile f = file(dirfd);
        if (f == null) throw new ErrnoException(Errno.EBADF);
        if (!f.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
        return f.guestPath();
    }

    /** do_open_execat for execveat: {@code path} from {@code dirfd}; a last symbolic link not followed is ELOOP. */
    public OpenFile openForExecAt(int dirfd, String path, boolean follow) throws ErrnoException {
        return fs.openForExec(startDir(dirfd, path), path, follow);
    }

    /**
     * do_open_execat with AT_EMPTY_PATH and "": the file open on {@code dirfd} (fexecve), one
     * more reference for the caller; it must be a regular file with an execute bit (EACCES).
     * An O_PATH descriptor is opened again by its path.
     */
    public OpenFile openForExecAt(int dirfd) throws ErrnoException {
        if (dirfd == AT_FDCWD) {
            throw new ErrnoException(Errno.EACCES); // the working directory: not a regular file
        }
        OpenFile f = file(dirfd);
        if (f == null) throw new ErrnoException(Errno.EBADF);
        KernelStat st = f.stat();
        if ((st.mode() & FileMode.S_IFMT) != FileMode.S_IFREG || (st.mode() & 0111) == 0) {
            throw new ErrnoException(Errno.EACCES);
        }
        if (f instanceof PathOnlyFile) {
            return fs.openForExec(f.guestPath());
        }
        f.retain();
        return f;
    }

    private boolean namesProcSelfExe(int dirfd, String path) throws ErrnoException {
        if (path.isEmpty()) return false;
        return GuestPaths.lexicalAbsolute(startDir(dirfd, path), path).equals(PROC_SELF_EXE);
    }

    /**
     * openat(2). /proc/self/exe opens the program file, as the magic link does on Linux. An
     * open of a FIFO that must wait for the other end gets its descriptor at once here: a
     * caller that can sleep uses {@link #openatOrWait}.
     */
    public int openat(int dirfd, String path, int flags, int mode) {
        Object r = openatOrWait(dirfd, path, flags, mode);
        return r instanceof PendingOpen p ? p.install() : (Integer) r;
    }

    /**
     * openat(2): the descriptor or -errno (an Integer), or, for a blocking open of a FIFO
     * whose other end nobody has opened yet, a {@link PendingOpen} to sleep on.
     */
    public Object openatOrWait(int dirfd, String path, int flags, int mode) {
        try {
            if (lowestFree(0) < 0) return -Errno.EMFILE;
            String start = startDir(dirfd, path);
            String target = namesProcSelfExe(dirfd, path) ? exeGuestPath : path;
            return opened(fs.open(start, target, flags, mode), flags);
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** The file an open made: installed, or pending when it is a FIFO end still waiting for its partner. */
    private Object opened(OpenFile f, int flags) {
        PendingOpen p = new PendingOpen(this, f, (flags & O_CLOEXEC) != 0);
        if (f instanceof Pipe.FifoEnd end && !end.partnerArrived()) return p;
        return p.install();
    }

    /**
     * An open of a FIFO waiting for the other end (fifo_open's wait_for_partner): the end is
     * counted in already (the partner's open sees it), the descriptor not yet taken.
     */
    public record PendingOpen(FileTable table, OpenFile file, boolean cloexec) implements a64emu.guest.Task.AbandonableRestart {
        /** Whether the other end has been opened since this open began. */
        public boolean partnerArrived() {
            return !(file instanceof Pipe.FifoEnd end) || end.partnerArrived();
        }

        /** What the waiting open sleeps on. */
        public Object channel() {
            return file instanceof Pipe.FifoEnd end ? end.partnerChannel() : file;
        }

        /** The open completes: its descriptor, or -EMFILE (the end released). */
        public int install() {
            table.watchOpenAndClose(file);
            return table.install(file, 0, cloexec);
        }

        /** The open is abandoned (a signal): the end is counted out again. */
        @Override
        public void abandon() {
            file.release();
        }
    }

    /** mknodat(2): the node at {@code path} relative to {@code dirfd}. */
    public int mknodat(int dirfd, String path, int mode) {
        try {
            fs.mknod(startDir(dirfd, path), path, mode);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /**
     * openat2(2) once {@code struct open_how} passed build_open_flags' checks: openat with the
     * lookup restricted by RESOLVE_* ({@link LookupRestrictions}). A scoped lookup (BENEATH,
     * IN_ROOT) starts at dirfd even for an absolute path, and /proc/self/exe is reached by the
     * walk, as the magic link it is, unless magic links are allowed.
     */
    public Object openat2(int dirfd, String path, int flags, int mode, LookupRestrictions rs) {
        if (path.isEmpty()) return -Errno.ENOENT; // getname, before the descriptor is looked at
        try {
            if (lowestFree(0) < 0) return -Errno.EMFILE;
            String start = rs.inRoot() ? startDir(dirfd, "") : startDir(dirfd, path);
            boolean shortcut = rs.allowsMagicLinks() && namesProcSelfExe(dirfd, path);
            OpenFile f = shortcut ? fs.open(start, exeGuestPath, flags, mode) : fs.open(start, path, flags, mode, rs);
            return opened(f, flags);
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /**
     * open_tree(2) without OPEN_TREE_CLONE: an O_PATH open of what the path names, the last
     * link followed unless {@code follow} is false; with {@code emptyPath} an empty path
     * names {@code dirfd} itself. The descriptor is taken before the lookup (EMFILE first).
     */
    public int openPathAt(int dirfd, String path, boolean follow, boolean emptyPath, boolean cloexec) {
        if (lowestFree(0) < 0) return -Errno.EMFILE;
        int flags = O_PATH | (follow ? 0 : O_NOFOLLOW) | (cloexec ? O_CLOEXEC : 0);
        if (!path.isEmpty() || !emptyPath) return openat(dirfd, path, flags, 0);
        if (dirfd == AT_FDCWD) return openat(dirfd, ".", flags, 0);
        OpenFile f = file(dirfd);
        if (f == null) return -Errno.EBADF;
        // The description's own path, opened again O_PATH (an anonymous file has none to walk).
        if (!f.guestPath().startsWith("/")) return -Errno.ENOENT;
        return openat(AT_FDCWD, f.guestPath(), flags | O_NOFOLLOW, 0);
    }

    /**
     * fsnotify_open now, and fsnotify_close when the description's last reference goes; an
     * O_PATH open too, as in 6.1 (6.5 stopped those events).
     */
    private void watchOpenAndClose(OpenFile f) {
        if (!(f instanceof HostFile || f instanceof DirectoryFile || f instanceof Pipe.FifoEnd
                || f instanceof PathOnlyFile)) {
            return;
        }
        Fsnotify n = fs.fsnotify();
        n.opened(f);
        f.onLastRelease(() -> n.closed(f));
    }

    public synchronized int close(int fd) {
        OpenFile f = file(fd);
        if (f == null) return -Errno.EBADF;
        files[fd] = null;
        closeOnExec[fd] = false;
        dropPosixLocks(f);
        f.release();
        return 0;
    }

    /** locks_remove_posix: closing any descriptor of a file drops this process's locks on it. */
    private void dropPosixLocks(OpenFile f) {
        if (!fs.locks().holdsPosixLocks(this)) return;
        try {
            fs.locks().closedByOwner(this, FileLocks.inodeOf(f));
        } catch (ErrnoException e) {
            // A file that cannot be stat'ed now had no lock taken through it.
        }
    }

    public long read(int fd, byte[] buf, int off, int len) {
        OpenFile f = file(fd);
        if (f == null || !f.readable()) return -Errno.EBADF;
        beforeAccess(f);
        long n = f.read(buf, off, len);
        if (n > 0) fs.fsnotify().accessed(f);
        return n;
    }

    public long write(int fd, byte[] buf, int off, int len) {
        OpenFile f = file(fd);
        if (f == null || !f.writable()) return -Errno.EBADF;
        beforeAccess(f);
        long n = f.write(buf, off, len);
        afterWrite(f, n);
        return n;
    }

    public long pread(int fd, byte[] buf, int off, int len, long pos) {
        OpenFile f = file(fd);
        if (f == null || !f.readable()) return -Errno.EBADF;
        beforeAccess(f);
        long n = f.pread(buf, off, len, pos);
        if (n > 0) fs.fsnotify().accessed(f);
        return n;
    }

    public long pwrite(int fd, byte[] buf, int off, int len, long pos) {
        OpenFile f = file(fd);
        if (f == null || !f.writable()) return -Errno.EBADF;
        beforeAccess(f);
        long n = f.pwrite(buf, off, len, pos);
        afterWrite(f, n);
        return n;
    }

    /**
     * ftruncate(2) (Linux {@code do_sys_ftruncate}): a negative length, or a file that is not
     * a regular file open for writing, is EINVAL. Mapped pages past the new end go.
     */
    public long ftruncate(int fd, long length) {
        if (length < 0) return -Errno.EINVAL;
        OpenFile f = file(fd);
        if (f == null) return -Errno.EBADF;
        if (!f.isRegularFile() || !f.writable()) return -Errno.EINVAL;
        beforeAccess(f);
        long r = f.truncate(length);
        MappedFileCoherence c = fs.mappedFiles();
        if (r == 0 && c != null) c.afterTruncate(f, length);
        if (r == 0) fs.fsnotify().modified(f);
        return r;
    }

    /**
     * truncate(2) (do_sys_truncate): the path followed to a regular file, which needs write
     * permission (EACCES); a directory is EISDIR, any other kind EINVAL.
     */
    public long truncate(String path, long length) {
        if (length < 0) return -Errno.EINVAL;
        try {
            KernelStat st = fs.stat(fs.cwd(), path, true);
            int type = FileMode.type(st.mode());
            if (type == FileMode.S_IFDIR) return -Errno.EISDIR;
            if (type != FileMode.S_IFREG) return -Errno.EINVAL;
            OpenFile f = fs.open(fs.cwd(), path, O_WRONLY, 0);
            try {
                beforeAccess(f);
                long r = f.truncate(length);
                MappedFileCoherence c = fs.mappedFiles();
                if (r == 0 && c != null) c.afterTruncate(f, length);
                if (r == 0) fs.fsnotify().modified(f);
                return r;
            } finally {
                f.release();
            }
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** After {@code f} changed in place or in size (fallocate, a splice into it): the page cache follows. */
    void afterResize(OpenFile f, long sizeBefore) {
        fs.fsnotify().modified(f);
        MappedFileCoherence c = fs.mappedFiles();
        if (c == null || !f.isRegularFile()) return;
        long size = f.size();
        if (size != sizeBefore) c.afterTruncate(f, size);
        c.afterWrite(f);
    }

    void beforeAccess(OpenFile f) {
        MappedFileCoherence c = fs.mappedFiles();
        if (c != null && f.isRegularFile()) c.beforeAccess(f);
    }

    void afterWrite(OpenFile f, long written) {
        if (written > 0) fs.fsnotify().modified(f);
        MappedFileCoherence c = fs.mappedFiles();
        if (c != null && written > 0 && f.isRegularFile()) c.afterWrite(f);
    }

    public long lseek(int fd, long offset, int whence) {
        OpenFile f = file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        return f.lseek(offset, whence);
    }

    public long getdents64(int fd, byte[] out) {
        OpenFile f = file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        long n = f.getdents64(out);
        if (n >= 0) fs.fsnotify().accessed(f); // iterate_dir's fsnotify_access
        return n;
    }

    /** fstat(2) into a 128-byte struct stat. */
    public int fstat(int fd, byte[] stat128) {
        OpenFile f = file(fd);
        if (f == null) return -Errno.EBADF;
        try {
            f.stat().encode(stat128);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** fstatfs(2): the file system of the file open at {@code fd}, as a 120-byte struct statfs. */
    public int fstatfs(int fd, byte[] statfs120) {
        OpenFile f = file(fd);
        if (f == null) return -Errno.EBADF;
        try {
            StatFs.of(f, fs.isReadOnly()).encode(statfs120);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** statfs(2): the file system that holds {@code path} (every symbolic link followed). */
    public int statfs(String path, byte[] statfs120) {
        try {
            ResolvedPath r = fs.resolve(fs.cwd(), path, true);
            if (!r.exists()) return -Errno.ENOENT;
            StatFs s = r.isSynthetic() ? StatFs.ofSynthetic(r.components().get(0))
                    : StatFs.ofHost(r.host(), fs.isReadOnly());
            s.encode(statfs120);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** newfstatat(2): stat/lstat relative to a dirfd; AT_EMPTY_PATH with "" stats dirfd itself. */
    public int newfstatat(int dirfd, String path, byte[] stat128, int flags) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        try {
            statAt(dirfd, path, flags).encode(stat128);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /**
     * statx(2) into a 256-byte struct statx (fs/stat.c): the flags are the lookup flags of
     * newfstatat plus one AT_STATX_* sync type (both sync bits at once is EINVAL), and a mask
     * with STATX__RESERVED is EINVAL. The sync type asks a network file system to refetch or
     * not; a local one, as every file here is, answers the same either way.
     */
    public int statx(int dirfd, String path, int flags, int mask, byte[] statx256) {
        int valid = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | Statx.AT_STATX_SYNC_TYPE;
        if ((flags & ~valid) != 0 || (flags & Statx.AT_STATX_SYNC_TYPE) == Statx.AT_STATX_SYNC_TYPE) {
            return -Errno.EINVAL;
        }
        if ((mask & Statx.STATX_RESERVED) != 0) return -Errno.EINVAL;
        try {
            KernelStat st = statAt(dirfd, path, flags);
            KernelStat root = fs.stat("/", "/", true);
            Statx.encode(st, st.dev() == root.dev() && st.ino() == root.ino(), statx256);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /**
     * The stat of what {@code path} names from {@code dirfd} (vfs_statx): "" is ENOENT unless
     * AT_EMPTY_PATH, which then stats dirfd itself (an O_PATH descriptor too); a last
     * symbolic link is followed unless AT_SYMLINK_NOFOLLOW.
     */
    public KernelStat statAt(int dirfd, String path, int flags) throws ErrnoException {
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) == 0) throw new ErrnoException(Errno.ENOENT);
        if (path.isEmpty()) {
            if (dirfd == AT_FDCWD) return fs.stat(fs.cwd(), ".", true);
            OpenFile f = file(dirfd);
            if (f == null) throw new ErrnoException(Errno.EBADF);
            return f.stat();
        }
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        String target = follow && namesProcSelfExe(dirfd, path) ? exeGuestPath : path;
        return fs.stat(startDir(dirfd, path), target, follow);
    }

    /** faccessat(2)/faccessat2: mode F_OK or any of R_OK|W_OK|X_OK. */
    public int faccessat(int dirfd, String path, int mode, int flags) {
        if ((flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        try {
            String target = namesProcSelfExe(dirfd, path) ? exeGuestPath : path;
            fs.access(startDir(dirfd, path), target, mode, (flags & AT_SYMLINK_NOFOLLOW) == 0);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /**
     * readlinkat(2): the target's bytes into {@code out} (truncated to its length, no NUL), the
     * count returned. /proc/self/exe reads as the program's guest path.
     */
    public long readlinkat(int dirfd, String path, byte[] out) {
        if (out.length <= 0) return -Errno.EINVAL;
        try {
            String target = namesProcSelfExe(dirfd, path) ? exeGuestPath : fs.readlink(startDir(dirfd, path), path);
            byte[] b = target.getBytes(StandardCharsets.UTF_8);
            int n = Math.min(b.length, out.length);
            System.arraycopy(b, 0, out, 0, n);
            return n;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    public int mkdirat(int dirfd, String path, int mode) {
        try {
            fs.mkdir(startDir(dirfd, path), path, mode);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** symlinkat(2): a link at {@code path} (relative to {@code newdirfd}) with the text {@code target}. */
    public int symlinkat(String target, int newdirfd, String path) {
        if (path.isEmpty()) return -Errno.ENOENT;
        try {
            fs.symlink(target, startDir(newdirfd, path), path);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /**
     * linkat(2); AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH, which the guest never has here, so
     * an empty old path is ENOENT either way.
     */
    public int linkat(int olddirfd, String oldPath, int newdirfd, String newPath, int flags) {
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        if (oldPath.isEmpty() || newPath.isEmpty()) return -Errno.ENOENT;
        try {
            fs.link(startDir(olddirfd, oldPath), oldPath, startDir(newdirfd, newPath), newPath,
                    (flags & AT_SYMLINK_FOLLOW) != 0);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** fchmodat(2): AT_SYMLINK_NOFOLLOW is EOPNOTSUPP, as Linux answers (links have no mode). */
    public int fchmodat(int dirfd, String path, int mode, int flags) {
        if ((flags & ~AT_SYMLINK_NOFOLLOW) != 0) return -Errno.EINVAL;
        if ((flags & AT_SYMLINK_NOFOLLOW) != 0) return -Errno.ENOTSUP; // EOPNOTSUPP
        try {
            fs.chmod(startDir(dirfd, path), path, mode, true);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** fchmod(2) on an open file or directory. */
    public int fchmod(int fd, int mode) {
        OpenFile f = file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        HostName name = hostNameOf(f);
        if (name == null) return -Errno.EPERM; // pipes, std streams, /proc: nothing to chmod here
        try {
            fs.requireWritable();
            FileSystem.chmodHost(name.currentOrEnoent(), mode);
            fs.fsnotify().changed(f, Inotify.IN_ATTRIB);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    public int unlinkat(int dirfd, String path, int flags) {
        if ((flags & ~AT_REMOVEDIR) != 0) return -Errno.EINVAL;
        try {
            fs.unlink(startDir(dirfd, path), path, (flags & AT_REMOVEDIR) != 0);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** renameat2(2) (renameat(2) is flags 0); both names resolved in this process's namespace. */
    public int renameat2(int olddirfd, String oldPath, int newdirfd, String newPath, int flags) {
        if (oldPath.isEmpty() || newPath.isEmpty()) return -Errno.ENOENT; // getname, before the dirfds
        try {
            fs.rename(startDir(olddirfd, oldPath), oldPath, startDir(newdirfd, newPath), newPath, flags);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /**
     * fchownat(2) by a caller with filesystem ids fsuid/fsgid and no CAP_CHOWN; AT_EMPTY_PATH
     * with "" changes dirfd itself, AT_SYMLINK_NOFOLLOW the link itself.
     */
    public int fchownat(int dirfd, String path, int uid, int gid, int flags, long fsuid, long fsgid) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) == 0) return -Errno.ENOENT;
        try {
            if (path.isEmpty() && dirfd != AT_FDCWD) {
                OpenFile f = file(dirfd);
                if (f == null) return -Errno.EBADF;
                HostName name = hostNameOf(f);
                if (name != null) fs.requireWritable();
                FileSystem.chownChecked(name == null ? null : name.currentOrEnoent(), f.fileStat(), uid, gid, fsuid, fsgid);
                fs.fsnotify().changed(f, Inotify.IN_ATTRIB);
                return 0;
            }
            String start = startDir(dirfd, path);
            fs.chown(start, path.isEmpty() ? "." : path, uid, gid,
                    (flags & AT_SYMLINK_NOFOLLOW) == 0, fsuid, fsgid);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** fchown(2): as fchownat on the descriptor, but an O_PATH descriptor is EBADF. */
    public int fchown(int fd, int uid, int gid, long fsuid, long fsgid) {
        OpenFile f = file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        return fchownat(fd, "", uid, gid, AT_EMPTY_PATH, fsuid, fsgid);
    }

    /**
     * The host name behind an open file or directory, to be {@linkplain HostName#current()
     * checked} before each use; null for pipes, streams, O_PATH and /proc files.
     */
    private static HostName hostNameOf(OpenFile f) {
        return f instanceof HostFile h ? h.name() : f instanceof DirectoryFile d ? d.name() : null;
    }

    /**
     * ioctl(2). Only the terminal queries glibc makes on its own (TCGETS from isatty() and stdio
     * setup, TIOCGWINSZ) are answered, and only on a terminal; anything else is ENOTTY, which is
     * Linux's answer for an ioctl a file does not implement.
     *
     * @param argOut receives the structure the request returns (36-byte termios, 8-byte winsize)
     */
    public int ioctl(int fd, long request, byte[] argOut) {
        OpenFile f = file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        if (!f.isTerminal()) return -Errno.ENOTTY;
        if (request == Terminal.TCGETS) {
            if (argOut.length < Terminal.TERMIOS_SIZE) return -Errno.EFAULT;
            Terminal.encodeTermios(argOut);
            return 0;
        }
        if (request == Terminal.TIOCGWINSZ) {
            if (argOut.length < Terminal.WINSIZE_SIZE) return -Errno.EFAULT;
            Terminal.encodeWinsize(argOut);
            return 0;
        }
        return -Errno.ENOTTY;
    }

    public String getcwd() {
        return fs.cwd();
    }

    public int chdir(String path) {
        return fs.chdir(path);
    }

    /** fchdir(2). */
    public int fchdir(int fd) {
        OpenFile f = file(fd);
        if (f == null) return -Errno.EBADF;
        if (!f.isDirectory()) return -Errno.ENOTDIR;
        return fs.chdir(f.guestPath());
    }

    public synchronized int dup(int oldfd) {
        OpenFile f = file(oldfd);
        if (f == null) return -Errno.EBADF;
        f.retain();
        return install(f, 0, false);
    }

    /** close_range(2)'s flags (include/uapi/linux/close_range.h). */
    public static final int CLOSE_RANGE_UNSHARE = 1 << 1;
    public static final int CLOSE_RANGE_CLOEXEC = 1 << 2;

    /**
     * close_range(2): closes (or with CLOSE_RANGE_CLOEXEC marks close-on-exec) every open
     * descriptor from {@code first} to {@code last}, both unsigned. CLOSE_RANGE_UNSHARE is
     * accepted, but the guest kernel keeps one table per process: threads that share it keep
     * sharing it, where Linux would give the caller a copy first.
     */
    public synchronized int closeRange(int first, int last, int flags) {
        if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0) return -Errno.EINVAL;
        if (Integer.compareUnsigned(first, last) > 0) return -Errno.EINVAL;
        if (Integer.compareUnsigned(first, files.length) >= 0) return 0;
        int end = Integer.compareUnsigned(last, files.length - 1) > 0 ? files.length - 1 : last;
        for (int fd = first; fd <= end; fd++) {
            if (files[fd] == null) continue;
            if ((flags & CLOSE_RANGE_CLOEXEC) != 0) {
                closeOnExec[fd] = true;
            } else {
                close(fd);
            }
        }
        return 0;
    }

    /**
     * posix_fadvise(2) (fadvise64_64, mm/fadvise.c): advice about the page cache that the
     * guest kernel may ignore, once the descriptor, the file kind and the advice are valid.
     */
    public int fadvise(int fd, long offset, long length, int advice) {
        OpenFile f = file(fd);
        if (f == null) return -Errno.EBADF;
        if (Pipe.of(f) != null) return -Errno.ESPIPE;
        if (length < 0) return -Errno.EINVAL;
        // POSIX_FADV_NORMAL, RANDOM, SEQUENTIAL, WILLNEED, DONTNEED, NOREUSE
        return advice >= 0 && advice <= 5 ? 0 : -Errno.EINVAL;
    }

    /**
     * readahead(2) (mm/readahead.c ksys_readahead): a descriptor open for reading (EBADF),
     * on a regular file (EINVAL otherwise: a pipe, a directory, a socket), then
     * POSIX_FADV_WILLNEED on it, which is EINVAL for a count past LLONG_MAX. The guest kernel
     * reads host files on demand, so there is nothing to start early.
     */
    public int readahead(int fd, long offset, long count) {
        OpenFile f = file(fd);
        if (f == null || f instanceof PathOnlyFile || !f.readable()) return -Errno.EBADF;
        if (!f.isRegularFile()) return -Errno.EINVAL;
        return count < 0 ? -Errno.EINVAL : 0;
    }

    /**
     * Whether preadv/pwritev may name a position in the file (FMODE_PREAD): 0, -EBADF for a
     * descriptor not open (or O_PATH), -ESPIPE for a pipe, socket, terminal or other stream.
     */
    public int positional(int fd) {
        OpenFile f = file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        return f.pread(new byte[0], 0, 0, 0) == -Errno.ESPIPE ? -Errno.ESPIPE : 0;
    }

    /**
     * FMODE_NOWAIT: whether RWF_NOWAIT applies to the file. Pipes and sockets have it; of
     * regular files, ext4's reads do and its buffered writes do not (ext4_buffered_write_iter
     * answers EOPNOTSUPP), and shmem's (a memfd) have it for neither in 6.1.
     */
    public boolean nowaitAllowed(int fd, boolean write) {
        OpenFile f = file(fd);
        if (f == null) return false;
        if (Pipe.of(f) != null || f instanceof SocketFile) return true;
        return f instanceof HostFile && f.isRegularFile() && !write;
    }

    /** The file's length now (RWF_APPEND writes there); 0 for streams. */
    public long sizeOf(int fd) {
        OpenFile f = file(fd);
        return f == null ? 0 : f.size();
    }

    /** Whether {@code fd} is open on a regular file (the RWF_DSYNC writes that reach a disk). */
    public boolean isRegularFile(int fd) {
        OpenFile f = file(fd);
        return f != null && f.isRegularFile();
    }

    /**
     * inotify_add_watch(2) once the mask's bits are known good: the descriptor (EBADF), IN_MASK_ADD
     * with IN_MASK_CREATE (EINVAL), an inotify instance (EINVAL), the lookup from the cwd (the
     * last link followed unless IN_DONT_FOLLOW; IN_ONLYDIR: ENOTDIR for anything but a
     * directory), read permission on it (EACCES), then the watch's descriptor.
     */
    public int inotifyAddWatch(int fd, String path, int mask) {
        OpenFile f = file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        if ((mask & Inotify.IN_MASK_ADD) != 0 && (mask & Inotify.IN_MASK_CREATE) != 0) return -Errno.EINVAL;
        if (!(f instanceof Inotify group)) return -Errno.EINVAL;
        boolean follow = (mask & Inotify.IN_DONT_FOLLOW) == 0;
        try {
            KernelStat st = fs.stat(fs.cwd(), path, follow);
            if ((mask & Inotify.IN_ONLYDIR) != 0 && FileMode.type(st.mode()) != FileMode.S_IFDIR) {
                return -Errno.ENOTDIR;
            }
            if (FileMode.type(st.mode()) != FileMode.S_IFLNK) fs.access(fs.cwd(), path, R_OK, follow);
            return fs.fsnotify().addWatch(group, st, mask);
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** inotify_rm_watch(2): EBADF, EINVAL for a descriptor that is no inotify instance or a wd it does not have. */
    public int inotifyRmWatch(int fd, int wd) {
        OpenFile f = file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        if (!(f instanceof Inotify group)) return -Errno.EINVAL;
        return fs.fsnotify().removeWatch(group, wd);
    }

    /** dup3(2); dup2 is dup3 with flags 0 except that oldfd == newfd returns newfd (the caller's check). */
    public synchronized int dup3(int oldfd, int newfd, int flags) {
        if ((flags & ~O_CLOEXEC) != 0) return -Errno.EINVAL;
        OpenFile f = file(oldfd);
        if (f == null) return -Errno.EBADF;
        if (newfd < 0 || newfd >= nofile) return -Errno.EBADF;
        if (oldfd == newfd) return -Errno.EINVAL;
        f.retain();
        expandFor(newfd);
        OpenFile previous = files[newfd];
        files[newfd] = f;
        closeOnExec[newfd] = (flags & O_CLOEXEC) != 0;
        if (previous != null) {
            dropPosixLocks(previous);
            previous.release();
        }
        return newfd;
    }

    public synchronized int fcntl(int fd, int cmd, long arg) {
        OpenFile f = file(fd);
        if (f == null) return -Errno.EBADF;
        switch (cmd) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> {
                if (arg < 0 || arg >= nofile) return -Errno.EINVAL;
                if (lowestFree((int) arg) < 0) return -Errno.EMFILE;
                f.retain();
                return install(f, (int) arg, cmd == F_DUPFD_CLOEXEC);
            }
            case F_GETFD -> {
                return closeOnExec[fd] ? FD_CLOEXEC : 0;
            }
            case F_SETFD -> {
                closeOnExec[fd] = (arg & FD_CLOEXEC) != 0;
                return 0;
            }
            case F_GETFL -> {
                return f.statusFlagsForGetfl();
            }
            case F_SETFL -> {
                if (f instanceof PathOnlyFile) return -Errno.EBADF;
                f.setStatusFlags((int) arg);
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }
}
