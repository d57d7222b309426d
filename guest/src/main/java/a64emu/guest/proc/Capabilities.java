package a64emu.guest.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's capability sets (include/uapi/linux/capability.h), as status shows them and as
 * the permission checks of proc's writers use them. The guest runs with the host user's ids
 * (as under qemu-aarch64), so it has the host process's capabilities too: a root user in a
 * container without CAP_SYS_RESOURCE cannot lower oom_score_adj in the guest either. They are
 * read from the host kernel's status of the JVM where there is one; elsewhere root has the full
 * set and anyone else none.
 */
record Capabilities(long inheritable, long permitted, long effective, long bounding, long ambient) {
    /** CAP_DAC_OVERRIDE: file read, write and execute permission checks are bypassed. */
    static final int CAP_DAC_OVERRIDE = 1;
    /** CAP_DAC_READ_SEARCH: file read and directory search checks are bypassed. */
    static final int CAP_DAC_READ_SEARCH = 2;
    /** CAP_SYS_PTRACE: may read any process's memory files (ptrace_may_access). */
    static final int CAP_SYS_PTRACE = 19;
    /** CAP_SYS_ADMIN: sees page frame numbers in pagemap. */
    static final int CAP_SYS_ADMIN = 21;
    /** CAP_SYS_RESOURCE: may lower oom_score_adj below oom_score_adj_min. */
    static final int CAP_SYS_RESOURCE = 24;
    /** CAP_FULL_SET with CAP_LAST_CAP = 40 (CAP_CHECKPOINT_RESTORE). */
    static final long CAP_FULL_SET = (1L << 41) - 1;

    private static volatile Capabilities host;

    boolean has(int cap) {
        return (effective & (1L << cap)) != 0;
    }

    /** The sets of a process of {@code euid} on a kernel that grants root everything. */
    static Capabilities forUid(long euid) {
        long set = euid == 0 ? CAP_FULL_SET : 0;
        return new Capabilities(0, set, set, CAP_FULL_SET, 0);
    }

    /** The host process's own sets, read once; {@link #forUid} where the host has no such file. */
    static Capabilities ofHost(long euid) {
        Capabilities c = host;
        if (c == null) {
            Path status = Path.of("/proc/self/status");
            try {
                c = Files.isReadable(status) ? parse(Files.readString(status)) : null;
            } catch (IOException e) {
                c = null;
            }
            if (c == null) c = forUid(euid);
            host = c;
        }
        return c;
    }

    /** The Cap* lines of a status file, or null if one is missing. */
    static Capabilities parse(String statusText) {
        long[] v = new long[5];
        String[] names = {"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:"};
        for (int i = 0; i < names.length; i++) {
            int at = statusText.indexOf("\n" + names[i]);
            if (at < 0) return null;
            int start = at + 1 + names[i].length();
            int end = statusText.indexOf('\n', start);
            v[i] = Long.parseUnsignedLong(statusText.substring(start, end < 0 ? statusText.length() : end).trim(), 16);
        }
        return new Capabilities(v[0], v[1], v[2], v[3], v[4]);
    }
}
