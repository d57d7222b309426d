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
 */
public record ResolvedPath(List<String> components, Path host, BasicFileAttributes attributes,
                           boolean trailingSlash) {

    public boolean exists() {
        return attributes != null;
    }

    public boolean isDirectory() {
        return attributes != null && attributes.isDirectory();
    }

    public boolean isSymbolicLink() {
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
