package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The guest's view of the host file system: a root directory (the guest's "/") and a current
 * working directory. Path lookup is done here, component by component like Linux's
 * link_path_walk() (fs/namei.c): every symbolic link is read with readSymbolicLink and its target
 * walked again inside the root (absolute targets from the root, relative ones from the link's
 * directory), ".." at the root stays at the root, and more than {@link OpenFlags#MAXSYMLINKS} links
 * give ELOOP. So with a chroot root nothing outside it can be named: not by "..", not by a link to
 * a host absolute path, not by /proc magic links (their text is resolved inside the root too).
 * Files are then opened by the resolved host path with NOFOLLOW_LINKS.
 *
 * <p>Without a root the guest sees the host file system as under qemu-aarch64; the same walk runs
 * with "/" as the root, which is exactly the host's own resolution.
 *
 * <p>No name is trusted twice. The cwd and a dirfd's directory are kept as guest paths and walked
 * again from the root on each lookup; an open file keeps its host name in a {@link HostName},
 * checked again before each later use. Between two system calls the guest may rename a
 * directory away and put a link to a host path in its place; the host kernel would follow it,
 * this walk does not. A cwd or dirfd whose directory was moved therefore names what is now at its
 * old path (Linux would follow the directory); an open file whose name no longer leads to it
 * answers fstat from its stat at open, and getdents64, fchmod and fchown with ENOENT.
 *
 * <p>Limits: the kernel runs one system call at a time, so guest threads cannot race a lookup;
 * a host process other than a64emu that swaps a directory for a link between the walk and the
 * host call (a TOCTOU race) is not defended against. Names are Java strings; the caller decodes
 * guest bytes (UTF-8 expected).
 */
public final class FileSystem {
    private final Path root;
    private final boolean chroot;
    /**
     * Whether the host files are mounted read-only (MS_RDONLY): every call that would change
     * one fails with EROFS, where Linux's mnt_want_write or sb_permission fail it. The mounted
     * trees (/proc, /sys, the names /dev adds) are mounts of their own and stay as they are.
     */
    private volatile boolean readOnly;
    private MappedFileCoherence mappedFiles;
    /** The machine's advisory file locks: one table for every process (forked copies share it). */
    private final FileLocks locks;
    /** The machine's inotify watches and the event hooks: one for every process, like the locks. */
    private final Fsnotify notify;
    /** The guest pipes behind FIFO files, shared like the locks. */
    private final Fifos fifos;
    private List<String> cwd;
    private int umask = FileMode.DEFAULT_UMASK;
    /**
     * The synthetic file systems mounted on names of the root (/proc, /sys), by mount point; a
     * name without one is looked up on the host like any other. Replaced whole on each mount,
     * so that forked copies and walks in progress see one consistent set.
     */
    private Map<String, SyntheticTree> mounts = Map.of();
    /**
     * The sysroot's guest components (qemu-aarch64's {@code -L} prefix), or null: an absolute
     * path is looked up below it first and, when nothing is there, as given. It is a guest
     * path, walked inside the root like any other, so with a chroot root it cannot reach out.
     */
    private List<String> sysroot;

    /**
     * @param rootOrNull the host directory the guest sees as "/", or null for the whole host
     * @param cwd the guest's initial working directory, a guest path (absolute, or relative to "/")
     * @throws IllegalArgumentException if the root is not a directory or cwd does not resolve to one
     */
    public FileSystem(Path rootOrNull, String cwd) {
        this.chroot = rootOrNull != null;
        try {
            this.root = chroot ? rootOrNull.toRealPath() : Path.of("/");
        } catch (IOException e) {
            throw new IllegalArgumentException("guest root " + rootOrNull + ": " + e, e);
        }
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("guest root " + root + " is not a directory");
        this.cwd = List.of();
        this.locks = new FileLocks();
        this.notify = new Fsnotify();
        this.fifos = new Fifos();
        int r = chdir(cwd);
        if (r < 0) throw new IllegalArgumentException("guest cwd " + cwd + ": " + Errno.name(r));
    }

    private FileSystem(FileSystem parent) {
        this.root = parent.root;
        this.chroot = parent.chroot;
        this.readOnly = parent.readOnly;
        this.cwd = parent.cwd;
        this.umask = parent.umask;
        this.mounts = parent.mounts;
        this.mappedFiles = parent.mappedFiles;
        this.sysroot = parent.sysroot;
        this.locks = parent.locks;
        this.notify = parent.notify;
        this.fifos = parent.fifos;
    }

    /** Where the pipes of named pipes wake their sleepers: the kernel's wake-up of a channel. */
    public void attachWaker(java.util.function.Consumer<Object> wakeChannel) {
        fifos.attachWaker(wakeChannel);
    }

    /** The inotify watches of every guest process and the hooks that queue their events. */
    public Fsnotify fsnotify() {
        return notify;
    }

    /** The advisory locks of every guest process (flock, POSIX and OFD record locks). */
    public FileLocks locks() {
        return locks;
    }

    /**
     * Sets the sysroot (null for none): from now on an absolute path names the file below
     * {@code guestDir} when one exists there, else the path as given; names under a mounted
     * tree (/proc, /sys, /dev) and "/" itself are never redirected. Forked copies keep it.
     *
     * @throws ErrnoException if {@code guestDir} is not a directory
     */
    public void setSysroot(String guestDir) throws ErrnoException {
        if (guestDir == null) {
            synchronized (this) {
                sysroot = null;
            }
            return;
        }
        ResolvedPath r = walk("/", guestDir, true);
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if (!r.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
        synchronized (this) {
            sysroot = r.components().isEmpty() ? null : List.copyOf(r.components());
        }
    }

    /**
     * Mounts the host files read-only (run --read-only): from now on every call that would
     * create, remove, rename or change a host file, its data or its attributes fails with EROFS,
     * in the order Linux checks it; reads, /proc, /sys and /dev's own files work as before.
     * Forked copies keep it.
     */
    public void setReadOnly() {
        readOnly = true;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * EROFS when the host files are read-only: Linux's mnt_want_write, for calls that change
     * a name or a host file's data or attributes (truncate, utimensat, fallocate, setxattr...
     * call it where Linux does, after the lookup unless that call's own order says otherwise).
     */
    public void requireWritable() throws ErrnoException {
        if (readOnly) throw new ErrnoException(Errno.EROFS);
    }

    /**
     * EROFS when the host files are read-only and {@code r} is a regular file, directory or link
     * there: sb_permission's answer to MAY_WRITE (devices, FIFOs and sockets stay writable, as on
     * a read-only mount).
     */
    private void requireWritableInode(ResolvedPath r) throws ErrnoException {
        if (!readOnly || r.isSynthetic()) return;
        BasicFileAttributes a = r.attributes();
        if (a.isRegularFile() || a.isDirectory() || a.isSymbolicLink()) throw new ErrnoException(Errno.EROFS);
    }

    /** The sysroot as a guest path, or null. */
    public synchronized String sysroot() {
        return sysroot == null ? null : GuestPaths.join(sysroot);
    }

    /**
     * Connects the machine's page cache, so that file reads and writes stay coherent with
     * mapped pages ({@link MappedFileCoherence}). Forked copies share it.
     */
    public synchronized void attachPageCache(MappedFileCoherence coherence) {
        this.mappedFiles = coherence;
    }

    /** The page cache's coherence calls, or null when no page cache is attached (the file layer alone). */
    synchronized MappedFileCoherence mappedFiles() {
        return mappedFiles;
    }

    /** fork(2): the child starts with the parent's cwd and umask and changes them independently. */
    public FileSystem copyForFork() {
        return new FileSystem(this);
    }

    /**
     * Mounts {@code tree} on its mount point in the guest's root (Linux's mount of proc on /proc,
     * sysfs on /sys): every path that reaches that name is walked in the tree from then on, so the
     * host directory of that name (the JVM's own /proc without a root) can no longer be named. A
     * tree that {@link SyntheticTree#overlaysHost overlays} the host (devtmpfs on /dev) takes
     * only the names it has, the host directory keeps the rest. A second mount on the same name
     * replaces the first. Forked copies keep the mounts made before they were forked.
     */
    public synchronized void mount(SyntheticTree tree) {
        Map<String, SyntheticTree> next = new HashMap<>(mounts);
        next.put(tree.mountPoint(), tree);
        mounts = Map.copyOf(next);
    }

    private synchronized Map<String, SyntheticTree> mounts() {
        return mounts;
    }

    /** The tree mounted on the first of {@code components}, or null (a host path, or the root). */
    private SyntheticTree mountOf(List<String> components) {
        return components.isEmpty() ? null : mounts().get(components.get(0));
    }

    /** The tree the walk enters when, standing in directory {@code at}, it looks up {@code name}; null for none. */
    private SyntheticTree entered(Map<String, SyntheticTree> mounts, List<String> at, String name) {
        SyntheticTree tree = mounts.get(at.isEmpty() ? name : at.get(0));
        return tree != null && at.isEmpty() && overHostDirectory(tree) ? null : tree;
    }

    /**
     * Whether {@code tree} is an overlay whose mount point the host has a directory for: that
     * directory is then the mount point itself, and only the names below it may be the
     * tree's. Without one (a root that has no /dev) the tree's own root stands there.
     */
    private boolean overHostDirectory(SyntheticTree tree) {
        return tree.overlaysHost()
                && Files.isDirectory(hostOf(List.of(tree.mountPoint())), LinkOption.NOFOLLOW_LINKS);
    }

    private static SyntheticTree inside(Map<String, SyntheticTree> mounts, List<String> at) {
        return at.isEmpty() ? null : mounts.get(at.get(0));
    }

    /** The host directory that is the guest's "/". */
    public Path root() {
        return root;
    }

    public boolean isChroot() {
        return chroot;
    }

    public synchronized String cwd() {
        return GuestPaths.join(cwd);
    }

    /** chdir(2): 0, or -ENOENT/-ENOTDIR/-EACCES/-ELOOP. */
    public int chdir(String path) {
        try {
            ResolvedPath r = resolve(cwd(), path, true);
            if (!r.exists()) return -Errno.ENOENT;
            if (!r.isDirectory()) return -Errno.ENOTDIR;
            if (r.isSynthetic() ? !mountOf(r.components()).permits(r.synthetic(), X_OK) : !Files.isExecutable(r.host())) return -Errno.EACCES;
            synchronized (this) {
                cwd = List.copyOf(r.components());
            }
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /** The file mode creation mask, for /proc/pid/status. */
    public synchronized int currentUmask() {
        return umask;
    }

    /** umask(2): sets the mask, returns the previous one. */
    public synchronized int umask(int mask) {
        int old = umask;
        umask = mask & FileMode.S_IRWXUGO;
        return old;
    }

    /** The host path for canonical guest components (never a lookup; components are trusted). */
    Path hostOf(List<String> components) {
        Path p = root;
        for (String c : components) p = p.resolve(c);
        return p;
    }

    /**
     * Looks up {@code path} relative to the guest directory {@code startDir} (itself canonical).
     *
     * @param followLast whether a symbolic link as the last component is followed (it always is
     *     when the path ends in "/", as in Linux)
     * @throws ErrnoException ENOENT (empty path, missing intermediate component), ENOTDIR, ELOOP,
     *     ENAMETOOLONG, EACCES
     */
    public ResolvedPath resolve(String startDir, String path, boolean followLast) throws ErrnoException {
        return resolve(startDir, path, followLast, null);
    }

    /** {@link #resolve(String, String, boolean)} under openat2's restrictions (null: none). */
    ResolvedPath resolve(String startDir, String path, boolean followLast, LookupRestrictions rs) throws ErrnoException {
        if (rs != null && rs.flags() != 0) return walk(startDir, path, followLast, rs); // no sysroot: the walk is scoped
        List<String> prefix;
        synchronized (this) {
            prefix = sysroot;
        }
        if (prefix != null && path.startsWith("/") && path.length() < PATH_MAX) {
            List<String> parts = GuestPaths.split(path);
            if (!parts.isEmpty() && !mounts().containsKey(parts.get(0))) {
                try {
                    ResolvedPath r = walk(startDir, GuestPaths.join(prefix) + "/" + String.join("/", parts)
                            + (path.endsWith("/") ? "/" : ""), followLast);
                    if (r.exists()) return r;
                } catch (ErrnoException e) {
                    // Not in the sysroot (a missing or non-directory component): the path as given.
                }
            }
        }
        return walk(startDir, path, followLast, null);
    }

    private ResolvedPath walk(String startDir, String path, boolean followLast) throws ErrnoException {
        return walk(startDir, path, followLast, null);
    }

    /**
     * The component-by-component walk of {@link #resolve}, without the sysroot; {@code rs}
     * (or null) are openat2's restrictions, which need to know where the walk of the start
     * directory ends: there is the floor of a scoped walk and the mount a RESOLVE_NO_XDEV walk
     * stays on (for an absolute path, the root's).
     */
    private ResolvedPath walk(String startDir, String path, boolean followLast, LookupRestrictions rs)
            throws ErrnoException {
        if (path.isEmpty()) throw new ErrnoException(Errno.ENOENT);
        if (path.length() >= PATH_MAX) throw new ErrnoException(Errno.ENAMETOOLONG);
        boolean trailingSlash = path.endsWith("/");
        boolean absolute = path.startsWith("/");
        if (rs != null && rs.beneath() && absolute) throw new ErrnoException(Errno.EXDEV); // nd_jump_root
        Deque<String> pending = new ArrayDeque<>(GuestPaths.split(path));
        // The start directory (the cwd, a dirfd's name) is walked again from the root, never
        // taken as it was: since it was reached the guest may have renamed it away and put a
        // link to a host path in its place, which the host would follow.
        int startNames = 0;
        if (!absolute || (rs != null && rs.inRoot())) {
            List<String> start = GuestPaths.split(startDir);
            for (int i = start.size() - 1; i >= 0; i--) pending.addFirst(start.get(i));
            startNames = start.size();
        }
        boolean anchored = rs != null; // every restriction applies from the start directory on
        int walked = 0;
        int floor = -1;
        Object mount = null;
        List<String> at = new ArrayList<>();
        BasicFileAttributes attrs = null;
        Map<String, SyntheticTree> mounts = mounts();
        SyntheticNode synthetic = null;
        int links = 0;
        while (!pending.isEmpty()) {
            if (anchored && floor < 0 && walked == startNames) {
                floor = at.size();
                if (rs.noXdev()) mount = mountOf(mounts, at, synthetic);
            }
            String name = pending.pollFirst();
            walked++;
            boolean last = pending.isEmpty();
            if (name.equals(".")) {
                attrs = null;
                synthetic = null;
                continue;
            }
            if (name.equals("..")) {
                if (floor >= 0 && rs.scoped() && at.size() <= floor) {
                    if (rs.beneath()) throw new ErrnoException(Errno.EXDEV); // follow_dotdot at the root
                    continue; // RESOLVE_IN_ROOT: ".." at the root stays there
                }
                if (!at.isEmpty()) at.remove(at.size() - 1);
                attrs = null;
                synthetic = null;
                if (mount != null && !mount.equals(mountOf(mounts, at, null))) throw new ErrnoException(Errno.EXDEV);
                continue;
            }
            if (name.length() > NAME_MAX) throw new ErrnoException(Errno.ENAMETOOLONG);
            SyntheticTree tree = entered(mounts, at, name);
            SyntheticNode node = tree == null ? null : lookupIn(tree, at, synthetic, name);
            // A name an overlay does not have is the host's, walked below like any other.
            if (node == null && tree != null && !tree.overlaysHost()) throw new ErrnoException(Errno.ENOENT);
            if (node != null) {
                if (node.kind() == SyntheticNode.Kind.SYMLINK && (!last || followLast || trailingSlash)) {
                    if (++links > MAXSYMLINKS) throw new ErrnoException(Errno.ELOOP);
                    if (floor >= 0) restrictLink(rs, isMagicLink(tree, at, name, node));
                    String target = node.linkTarget();
                    if (last && node.openedFile() != null && !target.startsWith("/")) {
                        at.add(name);
                        return new ResolvedPath(List.copyOf(at), null, null, trailingSlash,
                                new OpenedFileNode(node, node.openedFile()));
                    }
                    if (target.isEmpty()) throw new ErrnoException(Errno.ENOENT);
                    if (target.startsWith("/")) jumpToRoot(at, floor, rs);
                    List<String> parts = GuestPaths.split(target);
                    for (int i = parts.size() - 1; i >= 0; i--) pending.addFirst(parts.get(i));
                    attrs = null;
                    synthetic = null;
                    continue;
                }
                if (!last && node.kind() != SyntheticNode.Kind.DIRECTORY) throw new ErrnoException(Errno.ENOTDIR);
                at.add(name);
                attrs = null;
                synthetic = node;
                if (mount != null && !mount.equals(mountOf(mounts, at, node))) throw new ErrnoException(Errno.EXDEV);
                continue;
            }
            synthetic = null;
            Path host = hostOf(at).resolve(checkedName(name));
            BasicFileAttributes a = attributesOrNull(host);
            if (a == null) {
                if (!last) throw new ErrnoException(Errno.ENOENT);
                List<String> missing = new ArrayList<>(at);
                missing.add(name);
                return new ResolvedPath(List.copyOf(missing), host, null, trailingSlash);
            }
            if (a.isSymbolicLink() && (!last || followLast || trailingSlash)) {
                if (++links > MAXSYMLINKS) throw new ErrnoException(Errno.ELOOP);
                if (floor >= 0) restrictLink(rs, false);
                String target = readLink(host);
                if (target.isEmpty()) throw new ErrnoException(Errno.ENOENT);
                if (target.startsWith("/")) jumpToRoot(at, floor, rs);
                List<String> parts = GuestPaths.split(target);
                for (int i = parts.size() - 1; i >= 0; i--) pending.addFirst(parts.get(i));
                attrs = null; // a target of "/" or "." names the directory reached so far
                continue;
            }
            if (!last && !a.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
            at.add(name);
            attrs = a;
            if (mount != null && !mount.equals(mountOf(mounts, at, null))) throw new ErrnoException(Errno.EXDEV);
        }
        SyntheticTree tree = inside(mounts, at);
        if (tree != null && synthetic == null && !(at.size() == 1 && overHostDirectory(tree))) {
            synthetic = tree.lookup(at.subList(1, at.size()));
        }
        if (tree != null && (synthetic != null || !tree.overlaysHost())) {
            if (synthetic == null) throw new ErrnoException(Errno.ENOENT);
            if (trailingSlash && synthetic.kind() != SyntheticNode.Kind.DIRECTORY) throw new ErrnoException(Errno.ENOTDIR);
            return new ResolvedPath(List.copyOf(at), null, null, trailingSlash, synthetic);
        }
        Path host = hostOf(at);
        if (attrs == null) {
            // Ended on "/", "." or ".." (or a link to one): a directory already walked through.
            attrs = attributesOrNull(host);
            if (attrs == null) throw new ErrnoException(Errno.ENOENT);
        }
        if (trailingSlash && !attrs.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
        return new ResolvedPath(List.copyOf(at), host, attrs, trailingSlash);
    }

    /**
     * A link the walk is about to follow, under openat2's restrictions (pick_link, then
     * nd_jump_link for a magic one): RESOLVE_NO_SYMLINKS refuses every link, RESOLVE_NO_MAGICLINKS
     * a magic one (ELOOP); a scoped walk cannot follow a magic one (EXDEV).
     */
    private static void restrictLink(LookupRestrictions rs, boolean magic) throws ErrnoException {
        if (rs.noSymlinks()) throw new ErrnoException(Errno.ELOOP);
        if (magic && rs.noMagicLinks()) throw new ErrnoException(Errno.ELOOP);
        if (magic && rs.scoped()) throw new ErrnoException(Errno.EXDEV);
    }

    /**
     * An absolute link target: the walk goes back to the root (nd_jump_root), which for
     * RESOLVE_IN_ROOT is the starting directory and for RESOLVE_BENEATH is refused (EXDEV).
     */
    private static void jumpToRoot(List<String> at, int floor, LookupRestrictions rs) throws ErrnoException {
        if (floor >= 0 && rs.beneath()) throw new ErrnoException(Errno.EXDEV);
        if (floor >= 0 && rs.inRoot()) {
            at.subList(floor, at.size()).clear();
        } else {
            at.clear();
        }
    }

    /**
     * Linux's magic links (fs/proc/base.c, proc_fd_link): a process's cwd, root and exe, and
     * its fd/N links, in /proc/PID and /proc/PID/task/TID. /proc/self and /proc/thread-self
     * are ordinary links.
     */
    private static boolean isMagicLink(SyntheticTree tree, List<String> at, String name, SyntheticNode node) {
        if (tree == null || !tree.mountPoint().equals("proc")) return false;
        if (node.openedFile() != null) return true;
        String dir = at.isEmpty() ? "" : at.get(at.size() - 1);
        return dir.equals("fd") || ((name.equals("cwd") || name.equals("root") || name.equals("exe")) && at.size() >= 2);
    }

    /**
     * Which mount {@code at} is on, for RESOLVE_NO_XDEV: a mounted tree by its mount point,
     * else the host device of the directory (a host mount point below the root counts).
     */
    private Object mountOf(Map<String, SyntheticTree> mounts, List<String> at, SyntheticNode node)
            throws ErrnoException {
        SyntheticTree tree = inside(mounts, at);
        if (tree != null && (node != null || !tree.overlaysHost() || (at.size() == 1 && !overHostDirectory(tree)))) {
            return "tree:" + tree.mountPoint();
        }
        try {
            return Files.getAttribute(hostOf(at), "unix:dev", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return "missing"; // a last component to be created: no mount is crossed to it
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /**
     * The node {@code name} names in {@code tree}, looked up from directory {@code at} (whose
     * node is {@code dir} when the walk already has it), or null; may_lookup first: searching
     * a directory of the tree needs its execute permission.
     */
    private static SyntheticNode lookupIn(SyntheticTree tree, List<String> at, SyntheticNode dir, String name)
            throws ErrnoException {
        List<String> below = new ArrayList<>(at.isEmpty() ? List.of() : at.subList(1, at.size()));
        if (!at.isEmpty()) {
            SyntheticNode here = dir != null ? dir : tree.lookup(below);
            if (here != null && !tree.permits(here, X_OK)) throw new ErrnoException(Errno.EACCES);
            below.add(name);
        }
        return tree.lookup(below);
    }

    private static String checkedName(String name) throws ErrnoException {
        if (name.indexOf('\0') >= 0) throw new ErrnoException(Errno.EINVAL);
        return name;
    }

    private static BasicFileAttributes attributesOrNull(Path host) throws ErrnoException {
        try {
            return Files.readAttributes(host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw ErrnoException.from(e);
        } catch (InvalidPathException e) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    private static String readLink(Path host) throws ErrnoException {
        try {
            return Files.readSymbolicLink(host).toString();
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /** open(2) minus the descriptor: looks up, creates if asked, and opens one file description. */
    OpenFile open(String startDir, String path, int flags, int mode) throws ErrnoException {
        return open(startDir, path, flags, mode, null);
    }

    /** {@link #open(String, String, int, int)} under openat2's restrictions (null: none). */
    OpenFile open(String startDir, String path, int flags, int mode, LookupRestrictions rs) throws ErrnoException {
        boolean create = (flags & O_CREAT) != 0;
        boolean exclusive = create && (flags & O_EXCL) != 0;
        // O_CREAT|O_EXCL never follows a last-component link: it fails with EEXIST (fs/namei.c open_last_lookups).
        boolean follow = (flags & O_NOFOLLOW) == 0 && !exclusive;
        if ((flags & O_PATH) != 0) return openPathOnly(startDir, path, flags, rs);
        ResolvedPath r = resolve(startDir, path, follow, rs);
        if (!r.exists()) {
            if (!create) throw new ErrnoException(Errno.ENOENT);
            if (r.trailingSlash()) throw new ErrnoException(Errno.EISDIR);
            requireWritable(); // lookup_open's create_error on a negative dentry
            return createRegular(r, flags, mode);
        }
        if (exclusive) throw new ErrnoException(Errno.EEXIST);
        if (r.isSymbolicLink()) throw new ErrnoException(Errno.ELOOP);
        if (r.isSynthetic()) return openSynthetic(r, flags, create);
        if (r.isDirectory()) {
            if (create || writesAllowed(flags)) throw new ErrnoException(Errno.EISDIR);
            return new DirectoryFile(root, r.guestPath(), r.host(), hostOf(parentOf(r.components())), flags);
        }
        if ((flags & O_DIRECTORY) != 0) throw new ErrnoException(Errno.ENOTDIR);
        if (r.attributes().isOther() && isSocket(r.host())) throw new ErrnoException(Errno.ENXIO);
        if (r.attributes().isOther() && fileType(r.host()) == FileMode.S_IFIFO) return openFifo(r, flags);
        // may_open's inode_permission for writing, then do_open's mnt_want_write for O_TRUNC.
        if (writesAllowed(flags) || ((flags & O_TRUNC) != 0 && r.attributes().isRegularFile())) requireWritableInode(r);
        return HostFile.open(root, r.guestPath(), r.host(), flags, openOptions(flags, false), r.attributes().isRegularFile());
    }

    /** open(2) of a node of the mounted tree, permission checked by the tree (generic_permission). */
    private OpenFile openSynthetic(ResolvedPath r, int flags, boolean create) throws ErrnoException {
        SyntheticNode node = r.synthetic();
        SyntheticTree tree = mountOf(r.components());
        if (node instanceof OpenedFileNode opened) {
            // Reopening through a magic link shares the description (no path leads to a new one).
            opened.file().retain();
            return opened.file();
        }
        if (node.kind() == SyntheticNode.Kind.DIRECTORY) {
            if (create || writesAllowed(flags)) throw new ErrnoException(Errno.EISDIR);
            return new SyntheticDirectory(r.guestPath(), node, parentInode(r.components()), tree.device(), flags);
        }
        if ((flags & O_DIRECTORY) != 0) throw new ErrnoException(Errno.ENOTDIR);
        if (readsAllowed(flags) && !tree.permits(node, R_OK)) throw new ErrnoException(Errno.EACCES);
        if (writesAllowed(flags) && !tree.permits(node, W_OK)) throw new ErrnoException(Errno.EACCES);
        FileOperations ops = node.open(flags);
        if (ops != null) return new OperationsFile(r.guestPath(), node, tree.device(), flags, ops);
        return new SyntheticFile(r.guestPath(), node, tree.device(), flags);
    }

    /** The inode of the directory above the synthetic directory at {@code components}. */
    private long parentInode(List<String> components) throws ErrnoException {
        if (components.size() > 1) {
            SyntheticNode parent = mountOf(components).lookup(components.subList(1, components.size() - 1));
            if (parent != null) return parent.inode();
        }
        try {
            return (Long) Files.getAttribute(root, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    private OpenFile openPathOnly(String startDir, String path, int flags, LookupRestrictions rs) throws ErrnoException {
        // O_PATH ignores every flag but O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC (build_open_flags).
        ResolvedPath r = resolve(startDir, path, (flags & O_NOFOLLOW) == 0, rs);
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if ((flags & O_DIRECTORY) != 0 && !r.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
        if (r.isSynthetic()) return new PathOnlyFile(r.guestPath(), r.synthetic(), mountOf(r.components()).device(), flags);
        return new PathOnlyFile(root, r.guestPath(), r.host(), r.isDirectory(), flags);
    }

    private OpenFile createRegular(ResolvedPath r, int flags, int mode) throws ErrnoException {
        try {
            OpenFile f = HostFile.open(root, r.guestPath(), r.host(), flags, openOptions(flags, true), true);
            Files.setPosixFilePermissions(r.host(), permissions(mode & ~umaskNow()));
            notify.created(r.host(), false);
            return f;
        } catch (FileAlreadyExistsException e) {
            throw new ErrnoException(Errno.EEXIST);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    private synchronized int umaskNow() {
        return umask;
    }

    private static Set<OpenOption> openOptions(int flags, boolean createNew) {
        Set<OpenOption> o = new HashSet<>();
        o.add(LinkOption.NOFOLLOW_LINKS);
        if (readsAllowed(flags) || !writesAllowed(flags)) o.add(StandardOpenOption.READ);
        if (writesAllowed(flags)) o.add(StandardOpenOption.WRITE);
        if (writesAllowed(flags) && (flags & O_TRUNC) != 0) o.add(StandardOpenOption.TRUNCATE_EXISTING);
        if (createNew) {
            // FileChannel creates only when writing; the description's own access mode still
            // forbids guest writes through a read-only descriptor.
            o.add(StandardOpenOption.CREATE_NEW);
            o.add(StandardOpenOption.WRITE);
        }
        return o;
    }

    private static boolean isSocket(Path host) throws ErrnoException {
        return fileType(host) == FileMode.S_IFSOCK;
    }

    private static int fileType(Path host) throws ErrnoException {
        try {
            int m = (Integer) Files.getAttribute(host, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return FileMode.type(m);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /**
     * open(2) of a FIFO (fifo_open): the permission the access mode needs (EACCES), then an
     * end of the FIFO's guest pipe ({@link Fifos}). Whether the open must wait for the other
     * end is the caller's to ask ({@link Pipe.FifoEnd#partnerArrived}).
     */
    private OpenFile openFifo(ResolvedPath r, int flags) throws ErrnoException {
        Path host = r.host();
        if (readsAllowed(flags) && (flags & O_ACCMODE) != O_ACCMODE && !Files.isReadable(host)) {
            throw new ErrnoException(Errno.EACCES);
        }
        if (writesAllowed(flags) && !Files.isWritable(host)) throw new ErrnoException(Errno.EACCES);
        HostName name = HostName.of(root, host);
        KernelStat st = name.statAtOpen();
        Object end = fifos.pipeFor(new Fsnotify.Inode(st.dev(), st.ino())).openFifo(r.guestPath(), name, flags);
        if (end instanceof Integer errno) throw new ErrnoException(-errno);
        return (OpenFile) end;
    }

    /**
     * mknodat(2) (fs/namei.c do_mknodat): the type first (a directory EPERM, an unknown type
     * EINVAL; 0 means a regular file), then the new name as filename_create checks it, then
     * the node: a regular file, a FIFO (a host FIFO, made by mkfifo(1), whose opens the guest
     * kernel serves: {@link Fifos}) or a socket inode (bound and closed at once, so nobody
     * listens on it); character and block devices need CAP_MKNOD (EPERM). The permission bits
     * lose the umask.
     */
    void mknod(String startDir, String path, int mode) throws ErrnoException {
        int type = FileMode.type(mode);
        switch (type) {
            case 0, FileMode.S_IFREG, FileMode.S_IFCHR, FileMode.S_IFBLK, FileMode.S_IFIFO, FileMode.S_IFSOCK -> { }
            case FileMode.S_IFDIR -> throw new ErrnoException(Errno.EPERM);
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        ResolvedPath r = newName(startDir, path);
        int perm = mode & 07777 & ~umaskNow();
        Path host = r.host();
        try {
            switch (type) {
                case 0, FileMode.S_IFREG -> Files.createFile(host);
                case FileMode.S_IFIFO -> makeHostFifo(host);
                case FileMode.S_IFSOCK -> {
                    // The JDK makes a socket node only by binding one: sun_path's 108 bytes bound the host name.
                    if (host.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 108) {
                        throw new ErrnoException(Errno.ENAMETOOLONG);
                    }
                    try (java.nio.channels.ServerSocketChannel s =
                            java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                        s.bind(java.net.UnixDomainSocketAddress.of(host));
                    }
                }
                default -> throw new ErrnoException(Errno.EPERM); // vfs_mknod: devices need CAP_MKNOD
            }
            Files.setPosixFilePermissions(host, permissions(perm & 0777));
        } catch (FileAlreadyExistsException e) {
            throw new ErrnoException(Errno.EEXIST);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
        notify.created(host, false);
    }

    /** mkfifo(1) on the host name (already checked to be inside the root and free). */
    private static void makeHostFifo(Path host) throws ErrnoException, IOException {
        Process p = new ProcessBuilder("mkfifo", "--", host.toString()).redirectErrorStream(true).start();
        try {
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) throw new ErrnoException(Errno.EEXIST);
                throw new ErrnoException(Errno.EACCES);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) s.add(order[bit]);
        }
        return s;
    }

    private static List<String> parentOf(List<String> components) {
        return components.isEmpty() ? components : components.subList(0, components.size() - 1);
    }

    /**
     * The program file for execve(2), opened read-only. Linux's do_open_execat() refuses anything
     * but a regular file with EACCES (a directory too, not EISDIR) and a file without execute
     * permission with EACCES. The returned file's {@link OpenFile#guestPath()} is the canonical
     * path, what /proc/self/exe should read. The caller owns one reference ({@link OpenFile#release()}).
     */
    public OpenFile openForExec(String path) throws ErrnoException {
        return openForExec(cwd(), path, true);
    }

    /** open_exec from {@code startDir}; a last symbolic link not to be followed is ELOOP (O_NOFOLLOW). */
    public OpenFile openForExec(String startDir, String path, boolean follow) throws ErrnoException {
        ResolvedPath r = resolve(startDir, path, follow);
        if (!follow && r.exists() && r.isSymbolicLink()) throw new ErrnoException(Errno.ELOOP);
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if (r.isSynthetic()) throw new ErrnoException(Errno.EACCES); // proc files are never executable
        if (!r.attributes().isRegularFile() || !Files.isExecutable(r.host())) throw new ErrnoException(Errno.EACCES);
        return HostFile.open(root, r.guestPath(), r.host(), O_RDONLY, openOptions(O_RDONLY, false), true);
    }

    /** stat(2)/lstat(2) of a path. */
    KernelStat stat(String startDir, String path, boolean follow) throws ErrnoException {
        ResolvedPath r = resolve(startDir, path, follow);
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if (r.synthetic() instanceof OpenedFileNode opened) return opened.file().fileStat();
        if (r.isSynthetic()) return SyntheticDirectory.statOf(r.synthetic(), mountOf(r.components()).device());
        try {
            return KernelStat.ofHostPath(r.host());
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /** readlink(2): the link's target text. EINVAL if the path is not a symbolic link. */
    String readlink(String startDir, String path) throws ErrnoException {
        ResolvedPath r = resolve(startDir, path, false);
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if (!r.isSymbolicLink()) throw new ErrnoException(Errno.EINVAL);
        return r.isSynthetic() ? r.synthetic().linkTarget() : readLink(r.host());
    }

    /** faccessat(2) with the real ids (the JDK's checks use access(2), which does the same). */
    void access(String startDir, String path, int mode, boolean follow) throws ErrnoException {
        if ((mode & ~(R_OK | W_OK | X_OK)) != 0) throw new ErrnoException(Errno.EINVAL);
        ResolvedPath r = resolve(startDir, path, follow);
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if ((mode & W_OK) != 0) requireWritableInode(r); // sb_permission, before any EACCES
        if (r.isSymbolicLink()) return; // access to a link itself: only existence is meaningful
        if (r.isSynthetic()) {
            if (!mountOf(r.components()).permits(r.synthetic(), mode)) throw new ErrnoException(Errno.EACCES);
            return;
        }
        Path h = r.host();
        if ((mode & R_OK) != 0 && !Files.isReadable(h)) throw new ErrnoException(Errno.EACCES);
        if ((mode & W_OK) != 0 && !Files.isWritable(h)) throw new ErrnoException(Errno.EACCES);
        if ((mode & X_OK) != 0 && !Files.isExecutable(h)) throw new ErrnoException(Errno.EACCES);
    }

    /** mkdirat(2): a last-component link is not followed, so an existing link gives EEXIST. */
    void mkdir(String startDir, String path, int mode) throws ErrnoException {
        ResolvedPath r = resolve(startDir, path, false);
        if (r.exists()) throw new ErrnoException(Errno.EEXIST);
        requireWritable(); // filename_create: EEXIST comes first
        try {
            Files.createDirectory(r.host());
            Files.setPosixFilePermissions(r.host(), permissions(mode & ~umaskNow()));
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
        notify.created(r.host(), true);
    }

    /**
     * The new name of symlinkat(2) and linkat(2), as fs/namei.c filename_create checks it: a
     * last component of "." or ".." (or the root) or an existing name is EEXIST, a missing one
     * with a trailing slash ENOENT, then EROFS; a name in /proc cannot be made (EPERM).
     */
    private ResolvedPath newName(String startDir, String path) throws ErrnoException {
        if (!namesAnEntry(path)) throw new ErrnoException(Errno.EEXIST);
        ResolvedPath r = resolve(startDir, path, false);
        if (r.exists()) throw new ErrnoException(Errno.EEXIST);
        if (r.trailingSlash()) throw new ErrnoException(Errno.ENOENT);
        requireWritable();
        if (r.host() == null) throw new ErrnoException(Errno.EPERM);
        return r;
    }

    /**
     * symlinkat(2): a link named {@code path} whose text is {@code target}. The text is stored
     * as given and never looked up here; later walks read it inside the root, so no text, an
     * absolute host path included, leads out. (The JDK collapses repeated slashes and drops a
     * trailing one in the stored text.)
     */
    void symlink(String target, String startDir, String path) throws ErrnoException {
        if (target.isEmpty()) throw new ErrnoException(Errno.ENOENT); // getname of ""
        ResolvedPath r = newName(startDir, path);
        try {
            Files.createSymbolicLink(r.host(), Path.of(checkedName(target)));
            notify.created(r.host(), false);
        } catch (FileAlreadyExistsException e) {
            throw new ErrnoException(Errno.EEXIST);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        } catch (InvalidPathException e) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /**
     * linkat(2): a second name for an existing file, both names resolved inside the root (so
     * no hard link to a host file outside it can be made). {@code follow} is AT_SYMLINK_FOLLOW:
     * without it a last-component link is linked itself. A directory is EPERM; names on
     * different mounts (/proc and the host) EXDEV.
     */
    void link(String oldStart, String oldPath, String newStart, String newPath, boolean follow) throws ErrnoException {
        ResolvedPath from = resolve(oldStart, oldPath, follow);
        if (!from.exists()) throw new ErrnoException(Errno.ENOENT);
        if (from.trailingSlash() && !from.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
        ResolvedPath to = newName(newStart, newPath);
        if (from.isSynthetic()) throw new ErrnoException(Errno.EXDEV);
        if (from.isDirectory()) throw new ErrnoException(Errno.EPERM);
        try {
            Files.createLink(to.host(), from.host()); // link(2): a link is linked, not followed
            notify.linked(from.host(), to.host());
        } catch (FileAlreadyExistsException e) {
            throw new ErrnoException(Errno.EEXIST);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /**
     * fchmodat(2): sets the permission bits. The host applies its own ownership check, so a
     * guest may change only what the user running a64emu may change (EPERM otherwise).
     * Set-id and sticky bits have no portable host equivalent here and are refused with
     * EPERM rather than silently dropped; /proc files refuse chmod as Linux's do.
     */
    void chmod(String startDir, String path, int mode, boolean followLast) throws ErrnoException {
        ResolvedPath r = resolve(startDir, path, followLast);
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if (r.isSynthetic()) throw new ErrnoException(Errno.EPERM);
        requireWritable(); // chmod_common's mnt_want_write
        chmodHost(r.host(), mode);
        notify.changed(r.host(), Inotify.IN_ATTRIB);
    }

    static void chmodHost(Path host, int mode) throws ErrnoException {
        if ((mode & 07000) != 0) throw new ErrnoException(Errno.EPERM);
        try {
            Files.setPosixFilePermissions(host, permissions(mode & 0777));
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /** unlinkat(2): removes a name; with AT_REMOVEDIR an empty directory (rmdir). */
    void unlink(String startDir, String path, boolean removeDir) throws ErrnoException {
        List<String> parts = GuestPaths.split(path);
        String lastName = parts.isEmpty() ? "" : parts.get(parts.size() - 1);
        if (removeDir && lastName.equals(".")) throw new ErrnoException(Errno.EINVAL);
        if (removeDir && lastName.equals("..")) throw new ErrnoException(Errno.ENOTEMPTY);
        ResolvedPath r = resolve(startDir, path, false);
        if (removeDir && r.isRoot()) throw new ErrnoException(Errno.EBUSY); // LAST_ROOT
        // do_unlinkat/do_rmdir take mnt_want_write before looking up the last component.
        if (!r.isSynthetic()) requireWritable();
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if (r.isSynthetic()) throw new ErrnoException(Errno.EACCES); // proc has no unlink or rmdir
        if (removeDir) {
            if (!r.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
            if (r.isRoot()) throw new ErrnoException(Errno.EBUSY);
            if (!isEmptyDirectory(r.host())) throw new ErrnoException(Errno.ENOTEMPTY);
        } else if (r.isDirectory()) {
            throw new ErrnoException(Errno.EISDIR); // Linux unlink(2) of a directory
        }
        Fsnotify.Removal removal = notify.beforeRemove(r.host());
        try {
            Files.delete(r.host());
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
        notify.removed(removal);
    }

    /**
     * renameat2(2), in the order fs/namei.c do_renameat2 and vfs_rename check: the flags; a
     * last component of ".", ".." or "/" (EBUSY); the source (ENOENT); RENAME_NOREPLACE
     * (EEXIST); trailing slashes on a non-directory (ENOTDIR); a directory moved below
     * itself (EINVAL) or onto an ancestor (ENOTEMPTY); two names of one inode (success,
     * nothing done); directory onto non-directory (ENOTDIR) and the reverse (EISDIR); a
     * non-empty target directory (ENOTEMPTY). Neither last component is followed, so a link
     * is renamed or replaced itself. Both names are resolved here, so --root confines them.
     * The host's rename(2) does the move (atomically replacing the target); NOREPLACE is a
     * check before it, not atomic. RENAME_EXCHANGE and RENAME_WHITEOUT need renameat2,
     * which the JDK cannot reach: EINVAL, as a filesystem without them answers.
     */
    void rename(String oldStart, String oldPath, String newStart, String newPath, int flags) throws ErrnoException {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0) throw new ErrnoException(Errno.EINVAL);
        if ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) != 0 && (flags & RENAME_EXCHANGE) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ResolvedPath from = resolve(oldStart, oldPath, false);
        ResolvedPath to = resolve(newStart, newPath, false);
        if (from.isSynthetic() || to.isSynthetic()) {
            // /proc is its own mount, and its directories have no rename operation.
            throw new ErrnoException(from.isSynthetic() && to.isSynthetic() ? Errno.EPERM : Errno.EXDEV);
        }
        if (!namesAnEntry(oldPath)) throw new ErrnoException(Errno.EBUSY);
        if (!namesAnEntry(newPath)) {
            throw new ErrnoException((flags & RENAME_NOREPLACE) != 0 ? Errno.EEXIST : Errno.EBUSY);
        }
        requireWritable(); // do_renameat2: mnt_want_write before the last components are looked up
        if (!from.exists()) throw new ErrnoException(Errno.ENOENT);
        if ((flags & RENAME_EXCHANGE) != 0 && !to.exists()) throw new ErrnoException(Errno.ENOENT);
        if ((flags & RENAME_NOREPLACE) != 0 && to.exists()) throw new ErrnoException(Errno.EEXIST);
        if ((flags & RENAME_EXCHANGE) == 0 && !from.isDirectory() && (from.trailingSlash() || to.trailingSlash())) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        List<String> a = from.components();
        List<String> b = to.components();
        if (b.size() > a.size() && b.subList(0, a.size()).equals(a)) throw new ErrnoException(Errno.EINVAL);
        if (a.size() > b.size() && a.subList(0, b.size()).equals(b)) throw new ErrnoException(Errno.ENOTEMPTY);
        if ((flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0) throw new ErrnoException(Errno.EINVAL);
        if (to.exists()) {
            Object key = from.attributes().fileKey();
            if (key != null && key.equals(to.attributes().fileKey())) return;
            if (from.isDirectory() && !to.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
            if (!from.isDirectory() && to.isDirectory()) throw new ErrnoException(Errno.EISDIR);
            if (to.isDirectory() && !isEmptyDirectory(to.host())) throw new ErrnoException(Errno.ENOTEMPTY);
        }
        Fsnotify.Removal moved = notify.beforeRemove(from.host());
        Fsnotify.Removal replaced = to.exists() ? notify.beforeRemove(to.host()) : null;
        try {
            Files.move(from.host(), to.host(), StandardCopyOption.ATOMIC_MOVE);
            notify.moved(moved, to.host(), replaced);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            throw new ErrnoException(Errno.EXDEV); // the JDK's word for rename(2)'s EXDEV
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /** Whether a path's last component is a name (LAST_NORM), not ".", ".." or the root. */
    private static boolean namesAnEntry(String path) {
        List<String> parts = GuestPaths.split(path);
        if (parts.isEmpty()) return false;
        String last = parts.get(parts.size() - 1);
        return !last.equals(".") && !last.equals("..");
    }

    /**
     * fchownat(2) for a caller without CAP_CHOWN: the owner of a file may set its owner to
     * itself and its group to its own group (fs/attr.c chown_ok, chgrp_ok); anything else is
     * EPERM. -1 leaves an id unchanged.
     */
    void chown(String startDir, String path, int uid, int gid, boolean followLast, long fsuid, long fsgid)
            throws ErrnoException {
        ResolvedPath r = resolve(startDir, path, followLast);
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if (!r.isSynthetic()) requireWritable(); // do_fchownat's mnt_want_write, before chown_ok's EPERM
        KernelStat st = r.isSynthetic() ? stat(startDir, path, followLast) : statOfHost(r.host());
        chownChecked(r.isSynthetic() ? null : r.host(), st, uid, gid, fsuid, fsgid);
        if (!r.isSynthetic()) notify.changed(r.host(), Inotify.IN_ATTRIB);
    }

    private static KernelStat statOfHost(Path host) throws ErrnoException {
        try {
            return KernelStat.ofHostPath(host);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /** The permission rule of {@link #chown}, then the group change on the host file (if any). */
    static void chownChecked(Path hostOrNull, KernelStat st, int uid, int gid, long fsuid, long fsgid)
            throws ErrnoException {
        boolean owner = (st.uid() & 0xFFFF_FFFFL) == fsuid;
        if (uid != -1 && !(owner && (uid & 0xFFFF_FFFFL) == fsuid)) throw new ErrnoException(Errno.EPERM);
        if (gid != -1 && !(owner && (gid == st.gid() || (gid & 0xFFFF_FFFFL) == fsgid))) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (hostOrNull == null || gid == -1 || gid == st.gid()) return;
        try {
            Files.setAttribute(hostOrNull, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws ErrnoException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    @Override
    public String toString() {
        return (chroot ? "chroot " + root : "host fs") + ", cwd " + cwd();
    }
}
