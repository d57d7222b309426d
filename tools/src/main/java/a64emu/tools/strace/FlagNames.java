package a64emu.tools.strace;

import static a64emu.guest.fs.OpenFlags.*;
import static a64emu.guest.mm.Mman.*;

import a64emu.guest.fs.Terminal;
import a64emu.guest.signal.Signal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The symbolic names strace gives to flag and value arguments, from the constants the kernel
 * itself uses ({@link a64emu.guest.fs.OpenFlags}, {@link a64emu.guest.mm.Mman}, {@link Signal});
 * the few that no guest class owns are Linux's uapi values, named here.
 */
final class FlagNames {
    private FlagNames() {}

    /** A set of single-bit flags: names joined by {@code |}, unknown bits as hex after them. */
    record Bits(Map<Long, String> names) {
        String of(long value) {
            if (value == 0) {
                return "0";
            }
            StringJoiner j = new StringJoiner("|");
            long rest = value;
            for (var e : names.entrySet()) {
                if ((rest & e.getKey()) == e.getKey() && e.getKey() != 0) {
                    j.add(e.getValue());
                    rest &= ~e.getKey();
                }
            }
            if (rest != 0 || j.length() == 0) {
                j.add("0x" + Long.toHexString(rest));
            }
            return j.toString();
        }
    }

    /** A value that is one of several names (a resource, a whence); unknown values in decimal. */
    record Values(Map<Long, String> names) {
        String of(long value) {
            String n = names.get(value);
            return n != null ? n : Long.toString(value);
        }
    }

    private static Map<Long, String> map(Object... pairs) {
        Map<Long, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(((Number) pairs[i]).longValue(), (String) pairs[i + 1]);
        }
        return m;
    }

    /** open(2) flags after the access mode, in strace's order. */
    static final Bits OPEN = new Bits(map(O_CREAT, "O_CREAT", O_EXCL, "O_EXCL", O_NOCTTY, "O_NOCTTY",
            O_TRUNC, "O_TRUNC", O_APPEND, "O_APPEND", O_NONBLOCK, "O_NONBLOCK", O_DSYNC, "O_DSYNC",
            O_DIRECTORY, "O_DIRECTORY", O_NOFOLLOW, "O_NOFOLLOW", O_DIRECT, "O_DIRECT", O_LARGEFILE, "O_LARGEFILE",
            O_NOATIME, "O_NOATIME", O_CLOEXEC, "O_CLOEXEC", O_PATH, "O_PATH"));

    /** {@code O_RDONLY|O_CLOEXEC}: the access mode, then the other flags. */
    static String openFlags(long flags) {
        String mode = switch ((int) flags & O_ACCMODE) {
            case O_RDONLY -> "O_RDONLY";
            case O_WRONLY -> "O_WRONLY";
            case O_RDWR -> "O_RDWR";
            default -> "O_ACCMODE";
        };
        long rest = flags & ~O_ACCMODE;
        return rest == 0 ? mode : mode + "|" + OPEN.of(rest);
    }

    static final Bits AT = new Bits(map(AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW", AT_REMOVEDIR, "AT_REMOVEDIR",
            AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW", AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT", AT_EMPTY_PATH, "AT_EMPTY_PATH"));

    static final Bits PROT = new Bits(map(PROT_READ, "PROT_READ", PROT_WRITE, "PROT_WRITE", PROT_EXEC, "PROT_EXEC",
            PROT_BTI, "PROT_BTI", PROT_MTE, "PROT_MTE", PROT_GROWSDOWN, "PROT_GROWSDOWN", PROT_GROWSUP, "PROT_GROWSUP"));

    /** {@code PROT_NONE} for 0, else the bits. */
    static String prot(long prot) {
        return prot == PROT_NONE ? "PROT_NONE" : PROT.of(prot);
    }

    static final Bits MAP = new Bits(map(MAP_FIXED, "MAP_FIXED", MAP_ANONYMOUS, "MAP_ANONYMOUS",
            MAP_GROWSDOWN, "MAP_GROWSDOWN", MAP_DENYWRITE, "MAP_DENYWRITE", MAP_EXECUTABLE, "MAP_EXECUTABLE",
            MAP_LOCKED, "MAP_LOCKED", MAP_NORESERVE, "MAP_NORESERVE", MAP_POPULATE, "MAP_POPULATE",
            MAP_NONBLOCK, "MAP_NONBLOCK", MAP_STACK, "MAP_STACK", MAP_HUGETLB, "MAP_HUGETLB", MAP_SYNC, "MAP_SYNC",
            MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE", MAP_UNINITIALIZED, "MAP_UNINITIALIZED"));

    /** {@code MAP_PRIVATE|MAP_ANONYMOUS}: the mapping type, then the other flags. */
    static String mapFlags(long flags) {
        String type = switch ((int) flags & MAP_TYPE) {
            case MAP_SHARED -> "MAP_SHARED";
            case MAP_PRIVATE -> "MAP_PRIVATE";
            case MAP_SHARED_VALIDATE -> "MAP_SHARED_VALIDATE";
            default -> "0x" + Long.toHexString(flags & MAP_TYPE);
        };
        long rest = flags & ~MAP_TYPE;
        return rest == 0 ? type : type + "|" + MAP.of(rest);
    }

    static final Values MADVISE = new Values(map(MADV_NORMAL, "MADV_NORMAL", MADV_RANDOM, "MADV_RANDOM",
            MADV_SEQUENTIAL, "MADV_SEQUENTIAL", MADV_WILLNEED, "MADV_WILLNEED", MADV_DONTNEED, "MADV_DONTNEED",
            MADV_FREE, "MADV_FREE", MADV_REMOVE, "MADV_REMOVE", MADV_DONTFORK, "MADV_DONTFORK",
            MADV_DOFORK, "MADV_DOFORK", MADV_MERGEABLE, "MADV_MERGEABLE", MADV_UNMERGEABLE, "MADV_UNMERGEABLE",
            MADV_HUGEPAGE, "MADV_HUGEPAGE", MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE", MADV_DONTDUMP, "MADV_DONTDUMP",
            MADV_DODUMP, "MADV_DODUMP", MADV_WIPEONFORK, "MADV_WIPEONFORK", MADV_KEEPONFORK, "MADV_KEEPONFORK",
            MADV_COLD, "MADV_COLD", MADV_PAGEOUT, "MADV_PAGEOUT", MADV_POPULATE_READ, "MADV_POPULATE_READ",
            MADV_POPULATE_WRITE, "MADV_POPULATE_WRITE"));

    static final Values WHENCE = new Values(map(SEEK_SET, "SEEK_SET", SEEK_CUR, "SEEK_CUR", SEEK_END, "SEEK_END",
            SEEK_DATA, "SEEK_DATA", SEEK_HOLE, "SEEK_HOLE"));

    static final Values FCNTL = new Values(map(F_DUPFD, "F_DUPFD", F_GETFD, "F_GETFD", F_SETFD, "F_SETFD",
            F_GETFL, "F_GETFL", F_SETFL, "F_SETFL", F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC"));

    /** getrlimit(2) resources (include/uapi/asm-generic/resource.h). */
    static final Values RLIMIT = new Values(map(0, "RLIMIT_CPU", 1, "RLIMIT_FSIZE", 2, "RLIMIT_DATA",
            3, "RLIMIT_STACK", 4, "RLIMIT_CORE", 5, "RLIMIT_RSS", 6, "RLIMIT_NPROC", 7, "RLIMIT_NOFILE",
            8, "RLIMIT_MEMLOCK", 9, "RLIMIT_AS", 10, "RLIMIT_LOCKS", 11, "RLIMIT_SIGPENDING",
            12, "RLIMIT_MSGQUEUE", 13, "RLIMIT_NICE", 14, "RLIMIT_RTPRIO", 15, "RLIMIT_RTTIME"));

    /** POSIX clocks (include/uapi/linux/time.h). */
    static final Values CLOCK = new Values(map(0, "CLOCK_REALTIME", 1, "CLOCK_MONOTONIC",
            2, "CLOCK_PROCESS_CPUTIME_ID", 3, "CLOCK_THREAD_CPUTIME_ID", 4, "CLOCK_MONOTONIC_RAW",
            5, "CLOCK_REALTIME_COARSE", 6, "CLOCK_MONOTONIC_COARSE", 7, "CLOCK_BOOTTIME"));

    /** rt_sigprocmask(2)'s how (include/uapi/asm-generic/signal-defs.h). */
    static final Values SIGPROCMASK_HOW = new Values(map(0, "SIG_BLOCK", 1, "SIG_UNBLOCK", 2, "SIG_SETMASK"));

    /** getrandom(2) flags (include/uapi/linux/random.h). */
    static final Bits GRND = new Bits(map(1, "GRND_NONBLOCK", 2, "GRND_RANDOM", 4, "GRND_INSECURE"));

    static final long CLONE_SETTLS = 0x80000;
    static final long CLONE_PARENT_SETTID = 0x100000;
    static final long CLONE_CHILD_CLEARTID = 0x200000;
    static final long CLONE_CHILD_SETTID = 0x1000000;

    /** clone(2) flags (include/uapi/linux/sched.h); the low byte is the exit signal. */
    static final Bits CLONE = new Bits(map(0x100, "CLONE_VM", 0x200, "CLONE_FS", 0x400, "CLONE_FILES",
            0x800, "CLONE_SIGHAND", 0x1000, "CLONE_PIDFD", 0x2000, "CLONE_PTRACE", 0x4000, "CLONE_VFORK",
            0x8000, "CLONE_PARENT", 0x10000, "CLONE_THREAD", 0x20000, "CLONE_NEWNS", 0x40000, "CLONE_SYSVSEM",
            CLONE_SETTLS, "CLONE_SETTLS", CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID",
            CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID", 0x400000, "CLONE_DETACHED", 0x800000, "CLONE_UNTRACED",
            CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID"));

    /** {@code CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD}. */
    static String cloneFlags(long flags) {
        long signal = flags & 0xff;
        long rest = flags & ~0xffL;
        if (rest == 0) {
            return signal == 0 ? "0" : Signal.name((int) signal);
        }
        return CLONE.of(rest) + (signal == 0 ? "" : "|" + Signal.name((int) signal));
    }

    /** wait4(2) options (include/uapi/linux/wait.h). */
    static final Bits WAIT = new Bits(map(1, "WNOHANG", 2, "WUNTRACED", 4, "WEXITED", 8, "WCONTINUED",
            0x01000000, "WNOWAIT", 0x40000000, "__WALL", 0x80000000L, "__WCLONE"));

    /** ioctl requests, the terminal ones glibc's stdio makes; others in hex. */
    static final Values IOCTL = new Values(map(Terminal.TCGETS, "TCGETS", Terminal.TCSETS, "TCSETS",
            Terminal.TIOCGWINSZ, "TIOCGWINSZ"));

    static String ioctl(long request) {
        String n = IOCTL.names().get(request);
        return n != null ? n : "0x" + Long.toHexString(request);
    }

    /** A signal number: {@code SIGTERM}, or 0. */
    static String signal(long signo) {
        return signo == 0 ? "0" : Signal.name((int) signo);
    }
}
