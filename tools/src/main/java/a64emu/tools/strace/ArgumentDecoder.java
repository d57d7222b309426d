package a64emu.tools.strace;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.UserMemory;
import a64emu.guest.fs.FileMode;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.sched.Futex;

/**
 * One argument's text, as strace prints it, from the raw register value and, for strings,
 * buffers and structs, the guest memory it points to. Memory the guest cannot read is shown
 * as its address, as strace does when its own read fails.
 */
final class ArgumentDecoder {
    /** Strings in an argv array shown before {@code ...} (strace's default -s applies per string). */
    private static final int MAX_ARGV = 32;

    private final UserMemory user;

    ArgumentDecoder(UserMemory user) {
        this.user = user;
    }

    /**
     * Argument {@code i} of {@code args} as {@code kind}; {@code result} is the call's result
     * for the {@link Arg#atExit} kinds. Null when strace leaves the argument out.
     */
    String decode(Arg kind, int i, long[] args, long result) {
        long v = args[i];
        return switch (kind) {
            case INT -> Integer.toString((int) v);
            case ULONG -> Long.toUnsignedString(v);
            case LONG -> Long.toString(v);
            case HEX -> v == 0 ? "0" : "0x" + Long.toHexString(v);
            case PTR -> pointer(v);
            case DIRFD -> (int) v == OpenFlags.AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) v);
            case PATH -> path(v);
            case BUF_IN -> buffer(v, args[i + 1], false);
            case BUF_OUT -> buffer(v, result, false);
            case BUF_OUT_HEX -> buffer(v, result, true);
            case OPEN_FLAGS -> FlagNames.openFlags(v & 0xffffffffL);
            case MODE -> mode(v);
            case OPEN_MODE -> (args[i - 1] & OpenFlags.O_CREAT) != 0 ? mode(v) : null;
            case AT_FLAGS -> FlagNames.AT.of(v & 0xffffffffL);
            case PROT -> FlagNames.prot(v & 0xffffffffL);
            case MAP_FLAGS -> FlagNames.mapFlags(v & 0xffffffffL);
            case SIGNAL -> FlagNames.signal((int) v);
            case STAT -> stat(v);
            case RLIMIT -> FlagNames.RLIMIT.of((int) v);
            case CLOCK -> FlagNames.CLOCK.of((int) v);
            case WHENCE -> FlagNames.WHENCE.of((int) v);
            case IOCTL_REQUEST -> FlagNames.ioctl(v & 0xffffffffL);
            case FCNTL_CMD -> FlagNames.FCNTL.of((int) v);
            case ADVICE -> FlagNames.MADVISE.of((int) v);
            case SIGPROCMASK_HOW -> FlagNames.SIGPROCMASK_HOW.of((int) v);
            case GRND_FLAGS -> FlagNames.GRND.of(v & 0xffffffffL);
            case CLONE_ARGS -> cloneArgs(args);
            case FUTEX_ARGS -> futexArgs(args);
            case WAIT_OPTIONS -> FlagNames.WAIT.of(v & 0xffffffffL);
            case WAIT_STATUS -> waitStatus(v);
            case RLIMIT_IN, RLIMIT_OUT -> rlimit(v);
            case ARGV -> argv(v);
            case ENVP -> envp(v);
        };
    }

    /** An address whose contents are not decoded: {@code NULL} or {@code 0x...}. */
    static String pointer(long va) {
        return va == 0 ? "NULL" : "0x" + Long.toHexString(va);
    }

    private static String mode(long mode) {
        return String.format("0%o", mode & FileMode.S_IALLUGO);
    }

    private String path(long va) {
        if (va == 0) {
            return "NULL";
        }
        try {
            String s = user.readCString(va, OpenFlags.PATH_MAX);
            if (s == null) {
                return pointer(va);
            }
            byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return quoteWhole(bytes);
        } catch (BadUserAddressException e) {
            return pointer(va);
        }
    }

    /** A path is not cut at -s: quoted with the same escapes, in full. */
    private static String quoteWhole(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (int at = 0; at < bytes.length; at += StraceStrings.MAX_STRING) {
            byte[] part = java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + StraceStrings.MAX_STRING));
            String q = StraceStrings.quote(part, part.length);
            b.append(q, 1, q.length() - 1);
        }
        return "\"" + b + "\"";
    }

    /** {@code length} bytes at {@code va}, quoted and cut at -s. */
    private String buffer(long va, long length, boolean hex) {
        if (length < 0) {
            return pointer(va);
        }
        int shown = (int) Math.min(length, StraceStrings.MAX_STRING);
        try {
            byte[] bytes = user.read(va, shown);
            return StraceStrings.quote(bytes, length, hex);
        } catch (BadUserAddressException e) {
            return pointer(va);
        }
    }

    /** A C string, cut at -s: {@code "abc"} or {@code "abcdef..."...}. */
    private String cString(long va) throws BadUserAddressException {
        String whole = user.readCString(va, StraceStrings.MAX_STRING);
        if (whole != null) {
            byte[] bytes = whole.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return StraceStrings.quote(bytes, bytes.length);
        }
        return StraceStrings.quote(user.read(va, StraceStrings.MAX_STRING), StraceStrings.MAX_STRING + 1);
    }

    /** execve's argv: {@code ["ls", "-l"]}. */
    private String argv(long va) {
        if (va == 0) {
            return "NULL";
        }
        try {
            StringBuilder b = new StringBuilder("[");
            for (int n = 0; ; n++) {
                long p = user.read64(va + 8L * n);
                if (p == 0) {
                    break;
                }
                if (n == MAX_ARGV) {
                    b.append(", ...");
                    break;
                }
                b.append(n == 0 ? "" : ", ").append(cString(p));
            }
            return b.append(']').toString();
        } catch (BadUserAddressException e) {
            return pointer(va);
        }
    }

    /** execve's envp, as strace shows it by default: {@code 0x7ffc... /* 39 vars *}{@code /}. */
    private String envp(long va) {
        if (va == 0) {
            return "NULL";
        }
        try {
            int n = 0;
            while (user.read64(va + 8L * n) != 0) {
                n++;
            }
            return pointer(va) + " /* " + n + (n == 1 ? " var" : " vars") + " */";
        } catch (BadUserAddressException e) {
            return pointer(va);
        }
    }

    /**
     * A {@code struct stat} (asm-generic/stat.h, arm64's layout) shallowly, as strace's
     * default: {@code {st_mode=S_IFREG|0644, st_size=803, ...}}, a device's numbers for
     * character and block devices.
     */
    private String stat(long va) {
        try {
            int mode = user.read32(va + 16);
            long rdev = user.read64(va + 32);
            long size = user.read64(va + 48);
            String type = switch (mode & FileMode.S_IFMT) {
                case FileMode.S_IFREG -> "S_IFREG";
                case FileMode.S_IFDIR -> "S_IFDIR";
                case FileMode.S_IFCHR -> "S_IFCHR";
                case FileMode.S_IFBLK -> "S_IFBLK";
                case FileMode.S_IFLNK -> "S_IFLNK";
                case FileMode.S_IFIFO -> "S_IFIFO";
                case FileMode.S_IFSOCK -> "S_IFSOCK";
                default -> String.format("%#o", mode & FileMode.S_IFMT);
            };
            String m = "st_mode=" + type + "|" + String.format("0%o", mode & FileMode.S_IALLUGO);
            int t = mode & FileMode.S_IFMT;
            if (t == FileMode.S_IFCHR || t == FileMode.S_IFBLK) {
                // Linux's new_encode_dev: major in bits 8-19, minor in 0-7 and 20-31.
                long major = (rdev >>> 8) & 0xfff;
                long minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
                return "{" + m + String.format(", st_rdev=makedev(%#x, %#x), ...}", major, minor);
            }
            return "{" + m + ", st_size=" + size + ", ...}";
        } catch (BadUserAddressException e) {
            return pointer(va);
        }
    }

    /** clone(flags, newsp, parent_tid, tls, child_tid), arm64's order; the pointers only where a flag uses them. */
    private static String cloneArgs(long[] args) {
        long flags = args[0];
        StringBuilder b = new StringBuilder("child_stack=").append(pointer(args[1]))
                .append(", flags=").append(FlagNames.cloneFlags(flags));
        if ((flags & FlagNames.CLONE_PARENT_SETTID) != 0) {
            b.append(", parent_tid=").append(pointer(args[2]));
        }
        if ((flags & FlagNames.CLONE_SETTLS) != 0) {
            b.append(", tls=").append(pointer(args[3]));
        }
        if ((flags & (FlagNames.CLONE_CHILD_SETTID | FlagNames.CLONE_CHILD_CLEARTID)) != 0) {
            b.append(", child_tidptr=").append(pointer(args[4]));
        }
        return b.toString();
    }

    /** The status word wait4 stored, as strace's {@code printstatus} shows it. */
    private String waitStatus(long va) {
        if (va == 0) {
            return "NULL";
        }
        try {
            int s = user.read32(va);
            int low = s & 0x7f;
            String text;
            if (low == 0) {
                text = "WIFEXITED(s) && WEXITSTATUS(s) == " + ((s >> 8) & 0xff);
            } else if (low == 0x7f) {
                text = "WIFSTOPPED(s) && WSTOPSIG(s) == " + FlagNames.signal((s >> 8) & 0xff);
            } else {
                text = "WIFSIGNALED(s) && WTERMSIG(s) == " + FlagNames.signal(low)
                        + ((s & 0x80) != 0 ? " && WCOREDUMP(s)" : "");
            }
            return "[{" + text + "}]";
        } catch (BadUserAddressException e) {
            return pointer(va);
        }
    }

    /** {@code {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}}. */
    private String rlimit(long va) {
        if (va == 0) {
            return "NULL";
        }
        try {
            return "{rlim_cur=" + limit(user.read64(va)) + ", rlim_max=" + limit(user.read64(va + 8)) + "}";
        } catch (BadUserAddressException e) {
            return pointer(va);
        }
    }

    /** strace writes a limit in KiB units when it is a whole number of them. */
    private static String limit(long value) {
        if (value == -1) {
            return "RLIM64_INFINITY";
        }
        return value != 0 && value % 1024 == 0 ? Long.toUnsignedString(value / 1024) + "*1024"
                : Long.toUnsignedString(value);
    }

    /** futex(uaddr, op, val, timeout|val2, uaddr2, val3): the arguments the operation reads, as strace's futex decoder. */
    private static String futexArgs(long[] args) {
        int op = (int) args[1];
        int cmd = op & Futex.FUTEX_CMD_MASK;
        String name = switch (cmd) {
            case Futex.FUTEX_WAIT -> "FUTEX_WAIT";
            case Futex.FUTEX_WAKE -> "FUTEX_WAKE";
            case Futex.FUTEX_REQUEUE -> "FUTEX_REQUEUE";
            case Futex.FUTEX_CMP_REQUEUE -> "FUTEX_CMP_REQUEUE";
            case Futex.FUTEX_WAKE_OP -> "FUTEX_WAKE_OP";
            case Futex.FUTEX_WAIT_BITSET -> "FUTEX_WAIT_BITSET";
            case Futex.FUTEX_WAKE_BITSET -> "FUTEX_WAKE_BITSET";
            default -> Integer.toString(cmd);
        };
        if ((op & Futex.FUTEX_PRIVATE_FLAG) != 0) {
            name += "_PRIVATE";
        }
        if ((op & Futex.FUTEX_CLOCK_REALTIME) != 0) {
            name = "FUTEX_CLOCK_REALTIME|" + name;
        }
        StringBuilder b = new StringBuilder(pointer(args[0])).append(", ").append(name).append(", ")
                .append((int) args[2]);
        switch (cmd) {
            case Futex.FUTEX_WAIT -> b.append(", ").append(pointer(args[3]));
            case Futex.FUTEX_WAIT_BITSET -> b.append(", ").append(pointer(args[3])).append(", ")
                    .append((int) args[5] == Futex.FUTEX_BITSET_MATCH_ANY ? "FUTEX_BITSET_MATCH_ANY"
                            : "0x" + Integer.toHexString((int) args[5]));
            case Futex.FUTEX_WAKE_BITSET -> b.append(", ").append("0x").append(Integer.toHexString((int) args[5]));
            case Futex.FUTEX_REQUEUE -> b.append(", ").append(args[3]).append(", ").append(pointer(args[4]));
            case Futex.FUTEX_CMP_REQUEUE -> b.append(", ").append(args[3]).append(", ").append(pointer(args[4]))
                    .append(", ").append((int) args[5]);
            case Futex.FUTEX_WAKE_OP -> b.append(", ").append(args[3]).append(", ").append(pointer(args[4]))
                    .append(", 0x").append(Integer.toHexString((int) args[5]));
            default -> { }
        }
        return b.toString();
    }
}
