package a64emu.guest.fs;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Where a guest path lookup ended: the canonical guest path (every symbolic link before the last
 * component resolved, no "." or ".."), the host path it names, and the host attributes of that
 * last component, or null when only the last component is missing (so O_CREAT/mkdir can create it).
 * The host path never leaves the guest's root: every intermediate component is a real directory
 * inside the root, and the last is either missing, a non-link, or a link the caller asked not to follow.
 *
 * <p>A path inside a mounted {@link SyntheticTree} (/proc) ends on a {@code synthetic} node instead:
 * then host and attributes are null, and no host path stands for it.
 */
public record ResolvedPath(List<String> components, Path host, BasicFileAttributes attributes,
                           boolean trailingSlash, SyntheticNode synthetic) {

    public ResolvedPath(List<String> components, Path host, BasicFileAttributes attributes, boolean trailingSlash) {
        this(components, host, attributes, trailingSlash, null);
    }

    public boolean exists() {
        return attributes != null || synthetic != null;
    }

    public boolean isSynthetic() {
        return synthetic != null;
    }

    public boolean isDirectory() {
        if (synthetic != null) return synthetic.kind() == SyntheticNode.Kind.DIRECTORY;
        return attributes != null && attributes.isDirectory();
    }

    public boolean isSymbolicLink() {
        if (synthetic != null) return synthetic.kind() == SyntheticNode.Kind.SYMLINK;
        return attributes != null && attributes.isSymbolicLink();
    }

    /** "/a/b" (or "/" for the root), as the guest sees it. */
    public String guestPath() {
        return GuestPaths.join(components);
    }

    /** True for the guest's "/" itself. */
    public boolean isRoot() {
        return components.isEmpty();
    }
}
