package a64emu.guest.sys;

import a64emu.guest.Errno;
import a64emu.guest.fs.SyntheticNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The nodes of sysfs as Linux 6.1's kernfs (fs/kernfs/) makes them: root-owned directories
 * (0755) listed in the order of their children's rbtree, links (0777), and attribute files
 * whose reads run the attribute's show method and whose writes run its store method, through
 * the device core's dev_attr_show and dev_attr_store.
 */
final class Kernfs {
    private Kernfs() {}

    /** What an attribute shows: its whole text, generated when read. */
    @FunctionalInterface
    interface Show {
        String show();
    }

    /** What an attribute does with a write: 0 or a positive count taken, or -errno. */
    @FunctionalInterface
    interface Store {
        long store(String text, int count);
    }

    /** One name of a directory, with the node it leads to. */
    record Child(String name, SyntheticNode node) {}

    /** GOLDEN_RATIO_64 (include/linux/hash.h), the multiplier of hash_64. */
    private static final long GOLDEN_RATIO_64 = 0x61C8864680B583EBL;
    /** A write is cut to PAGE_SIZE bytes (kernfs_fop_write_iter without an atomic_write_len). */
    static final int MAX_WRITE = 4096;

    /**
     * kernfs_name_hash with no namespace: partial_name_hash over the bytes (arm64's char is
     * unsigned) in an unsigned long, end_name_hash (include/linux/stringhash.h: hash_long(hash,
     * 32), on a 64-bit kernel the top 32 bits of hash * GOLDEN_RATIO_64), 31 bits kept, 0, 1
     * and INT_MAX reserved. Directories list their children in the order of this hash.
     */
    static long nameHash(String name) {
        long hash = 0;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            long c = b & 0xff;
            hash = (hash + (c << 4) + (c >> 4)) * 11;
        }
        long h = ((hash * GOLDEN_RATIO_64) >>> 32) & 0x7fffffffL;
        if (h < 2) h += 2;
        if (h >= Integer.MAX_VALUE) h = Integer.MAX_VALUE - 1;
        return h;
    }

    /** kernfs_sd_compare: by hash, then by name (strcmp). */
    static final Comparator<String> ORDER =
            Comparator.comparingLong(Kernfs::nameHash).thenComparing(Comparator.naturalOrder());

    /** A directory of sysfs: kobjects and groups, 0755 and root's. */
    record Dir(long inode, Supplier<List<Child>> children) implements SyntheticNode {
        @Override
        public Kind kind() {
            return Kind.DIRECTORY;
        }

        @Override
        public int permissions() {
            return 0755;
        }

        @Override
        public int uid() {
            return 0;
        }

        @Override
        public int gid() {
            return 0;
        }

        /** The children in kernfs readdir order. */
        List<Child> sorted() {
            List<Child> out = new ArrayList<>(children.get());
            out.sort(Comparator.comparing(Child::name, ORDER));
            return out;
        }

        @Override
        public List<Entry> list() {
            List<Entry> out = new ArrayList<>();
            for (Child c : sorted()) out.add(new Entry(c.name(), c.node().inode(), c.node().kind()));
            return out;
        }

        /** The child named {@code name}, or null. */
        SyntheticNode child(String name) {
            for (Child c : children.get()) {
                if (c.name().equals(name)) return c.node();
            }
            return null;
        }
    }

    /** A sysfs link (sysfs_create_link): kernfs gives it the relative path to its target. */
    record Link(long inode, String target) implements SyntheticNode {
        @Override
        public Kind kind() {
            return Kind.SYMLINK;
        }

        @Override
        public int permissions() {
            return 0777;
        }

        @Override
        public int uid() {
            return 0;
        }

        @Override
        public int gid() {
            return 0;
        }

        @Override
        public String linkTarget() {
            return target;
        }
    }

    /**
     * A device attribute file: DEVICE_ATTR_RO (0444), _RW (0644) or _WO (0200). Reading runs
     * {@code show} and writing {@code store}; an attribute without one gives EIO
     * (dev_attr_show and dev_attr_store), which root, who may open any of them, sees.
     */
    record Attribute(long inode, int permissions, Show show, Store store) implements SyntheticNode {
        @Override
        public Kind kind() {
            return Kind.REGULAR;
        }

        @Override
        public int uid() {
            return 0;
        }

        @Override
        public int gid() {
            return 0;
        }

        /**
         * seq_read over sysfs_kf_seq_show: a read from position 0 runs show again; a read
         * further on continues in the text the last one made.
         */
        @Override
        public PositionalReader openReader() {
            byte[][] text = {null};
            return (pos, buf, off, len) -> {
                if (show == null) return -Errno.EIO;
                if (pos == 0 || text[0] == null) text[0] = show.show().getBytes(StandardCharsets.ISO_8859_1);
                if (pos >= text[0].length) return 0;
                int n = (int) Math.min(len, text[0].length - pos);
                System.arraycopy(text[0], (int) pos, buf, off, n);
                return n;
            };
        }

        /**
         * kernfs_fop_write_iter and sysfs_kf_write: at most a page is taken and handed to the
         * store method as a C string (up to its first NUL); an empty write does nothing.
         */
        @Override
        public long write(byte[] data) {
            int count = Math.min(data.length, MAX_WRITE);
            if (count == 0) return 0;
            if (store == null) return -Errno.EIO;
            int end = 0;
            while (end < count && data[end] != 0) end++;
            long r = store.store(new String(data, 0, end, StandardCharsets.ISO_8859_1), count);
            return r == 0 ? count : r;
        }
    }
}
