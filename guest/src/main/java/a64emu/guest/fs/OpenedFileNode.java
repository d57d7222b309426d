package a64emu.guest.fs;

/**
 * Where a path walk ends when its last component is a magic link whose open file has no path to
 * walk to (/dev/stdout -> /proc/self/fd/1 -> "pipe:[stdout]"): the open file itself, which open(2)
 * shares and stat(2) describes, as Linux's nd_jump_link lands on the file's own dentry.
 */
record OpenedFileNode(SyntheticNode link, OpenFile file) implements SyntheticNode {
    @Override
    public Kind kind() {
        return file.isDirectory() ? Kind.DIRECTORY : Kind.REGULAR;
    }

    @Override
    public int permissions() {
        return link.permissions();
    }

    @Override
    public long inode() {
        return link.inode();
    }

    @Override
    public int uid() {
        return link.uid();
    }

    @Override
    public int gid() {
        return link.gid();
    }
}
