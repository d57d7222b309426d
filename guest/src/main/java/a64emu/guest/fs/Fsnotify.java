package a64emu.guest.fs;

import static a64emu.guest.fs.Inotify.*;

import a64emu.guest.Errno;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The guest kernel's fsnotify (Linux {@code fs/notify/fsnotify.c}, {@code include/linux/fsnotify.h})
 * for inotify: the machine's watches by inode (host device and inode number), and the hooks
 * that the file operations call where Linux calls fsnotify: open, read, write and truncate,
 * close, the attribute changes, and the namespace operations (create, link, unlink, rmdir,
 * rename). Each hook delivers to the watches of the object's directory (with the object's
 * name, IN_ISDIR for a directory) and then to the object's own watches (no name), each only if
 * its mask asks for the event, as fsnotify_handle_event does.
 *
 * <p>Only what the guest kernel does is seen: a host process that changes a file under the
 * root generates no event. IN_DELETE_SELF comes when the last name goes, or when the last
 * description open on the file then closes. One table for the machine: forked file systems share it.
 */
public final class Fsnotify {
    /** /proc/sys/fs/inotify/max_user_instances's default. */
    public static final int MAX_USER_INSTANCES = 128;
    /**
     * max_user_watches: Linux 5.11+ sizes it at 1% of low memory, between 8192 and 1048576;
     * 8192 is what a machine below about 1 GiB gets.
     */
    public static final int MAX_USER_WATCHES = 8192;

    /** An inode: the host's device and inode number. */
    record Inode(long dev, long ino) {}

    /** An inotify mark: one instance's watch on one inode. */
    static final class Watch {
        final Inotify group;
        final Inode inode;
        final int wd;
        int mask;

        Watch(Inotify group, Inode inode, int mask) {
            this.group = group;
            this.inode = inode;
            this.mask = mask;
            this.wd = group.allocateWd(this);
        }
    }

    private final Map<Inode, List<Watch>> watches = new HashMap<>();
    private final Map<Long, Integer> instancesByUser = new HashMap<>();
    private final Map<Long, Integer> watchesByUser = new HashMap<>();
    /** Open descriptions by inode: an inode whose last name goes while one is open lives on until it closes. */
    private final Map<Inode, Integer> openDescriptions = new HashMap<>();
    /** Inodes with no name left, freed (IN_DELETE_SELF) when their last description closes. */
    private final java.util.Set<Inode> unlinkedWhileOpen = new java.util.HashSet<>();
    private int cookie;

    /** inotify_init1: a new instance for user {@code euid}, or -EMFILE past max_user_instances. */
    public synchronized Object newInstance(long euid, int flags, Consumer<Object> sleepers) {
        int n = instancesByUser.getOrDefault(euid, 0);
        if (n >= MAX_USER_INSTANCES) return -Errno.EMFILE;
        instancesByUser.put(euid, n + 1);
        return new Inotify(this, euid, flags, sleepers);
    }

    /**
     * inotify_update_watch: the instance's watch on the inode {@code st} describes made or changed
     * (IN_MASK_ADD adds to its mask, else the mask is replaced; IN_MASK_CREATE refuses an
     * existing one with EEXIST); its watch descriptor, or -ENOSPC past max_user_watches.
     */
    synchronized int addWatch(Inotify group, KernelStat st, int mask) {
        Inode inode = new Inode(st.dev(), st.ino());
        int events = mask & ~(IN_MASK_ADD | IN_MASK_CREATE);
        for (Watch w : watches.getOrDefault(inode, List.of())) {
            if (w.group != group) continue;
            if ((mask & IN_MASK_CREATE) != 0) return -Errno.EEXIST;
            w.mask = (mask & IN_MASK_ADD) != 0 ? w.mask | events : events;
            return w.wd;
        }
        int n = watchesByUser.getOrDefault(group.owner, 0);
        if (n >= MAX_USER_WATCHES) return -Errno.ENOSPC;
        watchesByUser.put(group.owner, n + 1);
        Watch w = new Watch(group, inode, events);
        watches.computeIfAbsent(inode, k -> new ArrayList<>()).add(w);
        return w.wd;
    }

    /** inotify_rm_watch: IN_IGNORED queued and the watch gone; -EINVAL for an unknown wd. */
    synchronized int removeWatch(Inotify group, int wd) {
        Watch w = group.watch(wd);
        if (w == null) return -Errno.EINVAL;
        destroy(w);
        return 0;
    }

    /** fsnotify_destroy_mark: the IN_IGNORED event, then the watch forgotten. */
    private void destroy(Watch w) {
        List<Watch> list = watches.get(w.inode);
        if (list == null || !list.remove(w)) return;
        if (list.isEmpty()) watches.remove(w.inode);
        w.group.queue(w.wd, IN_IGNORED, 0, null);
        w.group.forget(w.wd);
        watchesByUser.merge(w.group.owner, -1, Integer::sum);
    }

    /** The instance's last close: its watches go with it (no one reads their IN_IGNORED). */
    synchronized void destroyGroup(Inotify group) {
        for (Watch w : group.allWatches()) {
            List<Watch> list = watches.get(w.inode);
            if (list != null) {
                list.remove(w);
                if (list.isEmpty()) watches.remove(w.inode);
            }
            group.forget(w.wd);
            watchesByUser.merge(group.owner, -1, Integer::sum);
        }
        instancesByUser.merge(group.owner, -1, Integer::sum);
    }

    /** Whether any watch exists: the hooks do nothing (not even a stat) until one does. */
    synchronized boolean active() {
        return !watches.isEmpty();
    }

    static Inode inodeOf(Path host) {
        try {
            KernelStat st = KernelStat.ofHostPath(host);
            return new Inode(st.dev(), st.ino());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * inotify_handle_inode_event for every watch on {@code inode} that asks for the event
     * ({@code mask & watch.mask}); IN_EXCL_UNLINK watches skip an event through a file whose
     * name is gone; IN_ONESHOT watches go after their first.
     */
    private void deliver(Inode inode, int mask, int cookie, String name, boolean unlinked) {
        if (inode == null) return;
        List<Watch> list = watches.get(inode);
        if (list == null) return;
        for (Watch w : new ArrayList<>(list)) {
            if ((mask & w.mask & IN_ALL_EVENTS) == 0) continue;
            if (unlinked && (w.mask & IN_EXCL_UNLINK) != 0) continue;
            int m = (mask & (IN_MOVE_SELF | IN_DELETE_SELF)) != 0 ? mask & ~IN_ISDIR : mask;
            w.group.queue(w.wd, m, cookie, name);
            if ((w.mask & IN_ONESHOT) != 0) destroy(w);
        }
    }

    /** An event on the object at {@code host}: its directory's watches with its name, then its own. */
    private void onObject(Path host, Inode self, boolean isDir, int mask, boolean unlinked) {
        int m = mask | (isDir ? IN_ISDIR : 0);
        if (host != null && host.getParent() != null && host.getFileName() != null) {
            deliver(inodeOf(host.getParent()), m, 0, host.getFileName().toString(), unlinked);
        }
        deliver(self, m, 0, null, unlinked);
    }

    private static HostName nameOf(OpenFile f) {
        return f instanceof HostFile h ? h.name() : f instanceof DirectoryFile d ? d.name()
                : f instanceof Pipe.FifoEnd e ? e.name() : f instanceof PathOnlyFile p ? p.name() : null;
    }

    private static Inode inodeOf(OpenFile f) {
        HostName name = nameOf(f);
        if (name == null) return null;
        KernelStat st = name.statAtOpen();
        return new Inode(st.dev(), st.ino());
    }

    private void onFile(OpenFile f, int mask) {
        HostName name = nameOf(f);
        if (name == null) return;
        Path host;
        try {
            host = name.current();
        } catch (ErrnoException e) {
            host = null;
        }
        KernelStat st = name.statAtOpen();
        // An unlinked file still has the dentry it was opened by: its old directory hears of it.
        onObject(host != null ? host : name.openedAs(), new Inode(st.dev(), st.ino()), f.isDirectory(), mask,
                host == null);
    }

    /** fsnotify_open; the description is counted open until {@link #closed}. */
    synchronized void opened(OpenFile f) {
        Inode inode = inodeOf(f);
        if (inode != null) openDescriptions.merge(inode, 1, Integer::sum);
        if (active()) onFile(f, IN_OPEN);
    }

    /** fsnotify_access: a read that returned data. */
    synchronized void accessed(OpenFile f) {
        if (active()) onFile(f, IN_ACCESS);
    }

    /** fsnotify_modify: a write that wrote, a truncate or fallocate through a descriptor. */
    synchronized void modified(OpenFile f) {
        if (active()) onFile(f, IN_MODIFY);
    }

    /**
     * fsnotify_close: the description's last reference went. The last close of an inode
     * whose names are all gone then frees it (__fput's dput: IN_DELETE_SELF, IN_IGNORED).
     */
    synchronized void closed(OpenFile f) {
        if (active()) onFile(f, f.writable() ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
        Inode inode = inodeOf(f);
        if (inode == null || openDescriptions.merge(inode, -1, Integer::sum) > 0) return;
        openDescriptions.remove(inode);
        if (unlinkedWhileOpen.remove(inode)) freed(inode);
    }

    /** fsnotify_change by path: IN_ATTRIB (chmod, chown, both times), IN_MODIFY (truncate, mtime only), IN_ACCESS (atime only). */
    synchronized void changed(Path host, int mask) {
        if (!active() || host == null) return;
        Inode self = inodeOf(host);
        if (self == null) return;
        onObject(host, self, java.nio.file.Files.isDirectory(host, java.nio.file.LinkOption.NOFOLLOW_LINKS), mask, false);
    }

    /** fsnotify_change through a descriptor (fchmod, fchown, futimens). */
    synchronized void changed(OpenFile f, int mask) {
        if (active()) onFile(f, mask);
    }

    /** fsnotify_create / fsnotify_mkdir / fsnotify_link's IN_CREATE in the directory. */
    synchronized void created(Path host, boolean isDir) {
        if (!active()) return;
        deliver(inodeOf(host.getParent()), IN_CREATE | (isDir ? IN_ISDIR : 0), 0, host.getFileName().toString(), false);
    }

    /** fsnotify_link: the inode's IN_ATTRIB (one more link), then IN_CREATE in the new directory. */
    synchronized void linked(Path target, Path newName) {
        if (!active()) return;
        deliver(inodeOf(target), IN_ATTRIB, 0, null, false);
        deliver(inodeOf(newName.getParent()), IN_CREATE, 0, newName.getFileName().toString(), false);
    }

    /**
     * What a removal will need to know, taken before it: the inode and its link count; null
     * when no watch exists.
     */
    synchronized Removal beforeRemove(Path host) {
        if (!active()) return null;
        try {
            KernelStat st = KernelStat.ofHostPath(host);
            return new Removal(host, new Inode(st.dev(), st.ino()), FileMode.type(st.mode()) == FileMode.S_IFDIR,
                    st.nlink());
        } catch (IOException e) {
            return null;
        }
    }

    /** An object about to lose a name. */
    record Removal(Path host, Inode inode, boolean isDir, int nlink) {
        /** Whether this name is its last (a directory has only one). */
        boolean last() {
            return isDir || nlink <= 1;
        }
    }

    /**
     * vfs_unlink / vfs_rmdir done: a file's IN_ATTRIB (fsnotify_link_count), then for the last
     * name IN_DELETE_SELF and IN_IGNORED on the object's watches, which go, then the
     * directory's IN_DELETE with the name.
     */
    synchronized void removed(Removal r) {
        if (r == null) return;
        if (!r.isDir) deliver(r.inode, IN_ATTRIB, 0, null, false);
        if (r.last()) freedOrDeferred(r.inode); // d_delete frees the inode before fsnotify_delete
        deliver(inodeOf(r.host.getParent()), IN_DELETE | (r.isDir ? IN_ISDIR : 0), 0,
                r.host.getFileName().toString(), false);
    }

    /** fsnotify_inoderemove: IN_DELETE_SELF, then each watch's IN_IGNORED. */
    private void freed(Inode inode) {
        deliver(inode, IN_DELETE_SELF, 0, null, false);
        for (Watch w : new ArrayList<>(watches.getOrDefault(inode, List.of()))) destroy(w);
    }

    /**
     * fsnotify_move: IN_MOVED_FROM in the old directory and IN_MOVED_TO in the new one, with
     * one cookie; a replaced target's IN_ATTRIB; the moved object's IN_MOVE_SELF; then the
     * replaced target, if that was its last name, is freed.
     */
    synchronized void moved(Removal moved, Path to, Removal replaced) {
        if (moved == null) return;
        int c = ++cookie;
        int dir = moved.isDir ? IN_ISDIR : 0;
        deliver(inodeOf(moved.host.getParent()), IN_MOVED_FROM | dir, c, moved.host.getFileName().toString(), false);
        deliver(inodeOf(to.getParent()), IN_MOVED_TO | dir, c, to.getFileName().toString(), false);
        if (replaced != null) deliver(replaced.inode, IN_ATTRIB, 0, null, false);
        deliver(moved.inode, IN_MOVE_SELF, 0, null, false);
        if (replaced != null && replaced.last()) freedOrDeferred(replaced.inode);
    }

    /** An inode whose last name went: freed now, or at its last close if a description is open. */
    private void freedOrDeferred(Inode inode) {
        if (openDescriptions.containsKey(inode)) {
            unlinkedWhileOpen.add(inode);
        } else {
            freed(inode);
        }
    }
}
