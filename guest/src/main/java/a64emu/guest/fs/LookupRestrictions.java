package a64emu.guest.fs;

/**
 * openat2(2)'s RESOLVE_* flags (include/uapi/linux/openat2.h) as the path walk applies them
 * (fs/namei.c, LOOKUP_NO_XDEV and friends). The walk itself is {@link FileSystem#resolve}'s;
 * these only stop it: RESOLVE_NO_SYMLINKS (ELOOP at any link it would follow),
 * RESOLVE_NO_MAGICLINKS (ELOOP at a /proc/pid magic link), RESOLVE_NO_XDEV (EXDEV when it
 * would leave the mount it started on), RESOLVE_BENEATH (EXDEV for an absolute path or link,
 * a ".." above the starting directory, or a magic link) and RESOLVE_IN_ROOT (the starting
 * directory is the root: absolute paths and links start there, ".." stops there; magic links
 * EXDEV). RESOLVE_CACHED asks to fail with EAGAIN where the dentry cache would not answer;
 * Linux allows that answer or a full walk, and the walk here is always full.
 */
public record LookupRestrictions(int flags) {
    public static final int RESOLVE_NO_XDEV = 0x01;
    public static final int RESOLVE_NO_MAGICLINKS = 0x02;
    public static final int RESOLVE_NO_SYMLINKS = 0x04;
    public static final int RESOLVE_BENEATH = 0x08;
    public static final int RESOLVE_IN_ROOT = 0x10;
    public static final int RESOLVE_CACHED = 0x20;
    public static final int VALID = 0x3f;

    boolean noXdev() {
        return (flags & RESOLVE_NO_XDEV) != 0;
    }

    boolean noMagicLinks() {
        return (flags & RESOLVE_NO_MAGICLINKS) != 0;
    }

    boolean noSymlinks() {
        return (flags & RESOLVE_NO_SYMLINKS) != 0;
    }

    boolean beneath() {
        return (flags & RESOLVE_BENEATH) != 0;
    }

    boolean inRoot() {
        return (flags & RESOLVE_IN_ROOT) != 0;
    }

    /** LOOKUP_IS_SCOPED: the walk has a floor at its starting directory. */
    boolean scoped() {
        return beneath() || inRoot();
    }

    /** Whether a lookup under these restrictions may take /proc/self/exe's shortcut (it is a magic link). */
    public boolean allowsMagicLinks() {
        return !noMagicLinks() && !noSymlinks() && !scoped();
    }
}
