package a64emu.guest.fs;

import java.util.List;

/**
 * A file system of {@link SyntheticNode}s mounted on a directory of the guest's root (Linux mounts
 * proc on /proc). Lookups are by the components below the mount point, the empty list naming the
 * mount's root directory; a lookup is made for every step of every path walk, so the answer always
 * reflects the kernel's state at that moment (a pid directory disappears when the process is reaped).
 */
public interface SyntheticTree {
    /** The name of the mount point in the guest's root directory ("proc"). */
    String mountPoint();

    /** The st_dev of every node (procfs gets an anonymous block device number at mount). */
    long device();

    /** The node at {@code below} (components under the mount point), or null if there is none. */
    SyntheticNode lookup(List<String> below);

    /**
     * Whether the tree only adds names to the host's directory of its mount point (devtmpfs's
     * device nodes in the /dev a root may hold): a name it has no node for is the host's,
     * and where the host has that directory its root is the host's too. Where the host has
     * no such directory the tree's root stands in for it.
     */
    default boolean overlaysHost() {
        return false;
    }

    /**
     * Whether the calling process may access {@code node} for {@code mask} (R_OK, W_OK, X_OK bits):
     * Linux's generic_permission with the caller's ids and capabilities. The default is the
     * owner's bits alone.
     */
    default boolean permits(SyntheticNode node, int mask) {
        return ((node.permissions() >> 6) & mask) == mask;
    }
}
