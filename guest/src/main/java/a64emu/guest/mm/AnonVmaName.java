package a64emu.guest.mm;

import a64emu.guest.Errno;

/**
 * prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME) (Linux {@code mm/madvise.c madvise_set_anon_name},
 * {@code kernel/sys.c prctl_set_vma}): anonymous areas in a range get a name, shown as
 * {@code [anon:NAME]} in /proc/pid/maps, splitting at the range's ends. A file mapping in the
 * range is EBADF and a hole ENOMEM, after the areas before it are named.
 */
public final class AnonVmaName {
    /** ANON_VMA_NAME_MAX_LEN, the NUL included. */
    public static final int MAX_LEN = 80;
    private static final String PREFIX = "[anon:";

    private AnonVmaName() {}

    /** Whether a Vma's name is one this class gave it. */
    public static boolean isAnonName(String vmaName) {
        return vmaName != null && vmaName.startsWith(PREFIX);
    }

    /** is_valid_name_char: printable, and none of {@code \`$[]}. */
    public static boolean isValidName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e || "\\`$[]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Names (or with a null name, unnames) the anonymous areas of [start, start + len). */
    public static long set(AddressSpace mm, long start, long len, String name) {
        if ((start & (VmLayout.PAGE_SIZE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        long rounded = (len + VmLayout.PAGE_SIZE - 1) & ~(VmLayout.PAGE_SIZE - 1);
        if (len != 0 && rounded == 0) {
            return -Errno.EINVAL;
        }
        long end = start + rounded;
        if (Long.compareUnsigned(end, start) < 0) {
            return -Errno.EINVAL;
        }
        if (end == start) {
            return 0;
        }
        String vmaName = name == null ? null : PREFIX + name + "]";
        long cursor = start;
        boolean hole = false;
        for (Vma v : mm.overlapping(start, end)) {
            if (v.start() > cursor) {
                hole = true;
            }
            if (v.backing() != null) {
                return -Errno.EBADF;
            }
            long from = Math.max(start, v.start());
            long to = Math.min(end, v.end());
            boolean named = isAnonName(v.name());
            boolean differs = vmaName == null ? named : !vmaName.equals(v.name());
            if (differs) {
                mm.splitAt(from);
                mm.splitAt(to);
                Vma piece = mm.find(from);
                // An area /proc names by itself ([heap], [stack], [vdso]) keeps that name underneath.
                String keep = isAnonName(piece.name()) ? null : piece.name();
                mm.replace(piece, piece.withName(vmaName == null ? keep : special(piece) ? piece.name() : vmaName));
            }
            cursor = to;
        }
        return hole || cursor < end ? -Errno.ENOMEM : 0;
    }

    /** A special mapping ([vdso], [vvar]) whose name Linux's maps takes from its vm_ops, not the anon name. */
    private static boolean special(Vma v) {
        return v.name() != null && !isAnonName(v.name()) && !v.name().equals("[heap]") && !v.name().equals("[stack]");
    }
}
