package a64emu.guest.proc;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileOperations;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.fs.PollTable;
import a64emu.guest.fs.SyntheticNode;
import a64emu.guest.fs.SyntheticNode.Entry;
import a64emu.guest.fs.SyntheticNode.Kind;
import a64emu.guest.fs.WaitQueue;
import a64emu.guest.sched.Psi;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * /proc/pressure (Linux 6.1 kernel/sched/psi.c: psi_proc_init, psi_open, psi_show, psi_write,
 * psi_fop_poll, psi_fop_release): the directory holds {@code memory}, whose read is
 * {@link Psi#show} ({@code "some avg10=0.00 avg60=0.00 avg300=0.00 total=0"} and the
 * {@code full} line) and whose write registers a trigger for the open description:
 * {@code "some 150000 1000000"} asks to be told when 150 ms of the last second were memory
 * stalls. poll(2) then reports POLLPRI once per event; the trigger goes when the description
 * is closed.
 *
 * <p>psi_write's rules, as 6.1 has them: a zero-byte write is EINVAL; only the first 32 bytes
 * are read and the last of them is replaced by a NUL (writers send the string's NUL along,
 * as lmkd's libpsi does: a 19-byte "some 150000 1000000" without it loses its last digit);
 * a second trigger on one description is EBUSY; the line must be {@code some} or
 * {@code full}, then two unsigned numbers (sscanf "%u %u"), the window 500 ms to 10 s and the
 * threshold 1 us up to the window, else EINVAL. Opening for writing needs CAP_SYS_RESOURCE
 * (psi_open: EPERM), so 6.1 has no unprivileged triggers; the 2 s window multiple for
 * unprivileged writers came with 6.5, which dropped that check.
 *
 * <p>Linux also makes {@code io} and {@code cpu} (and {@code irq} with IRQ time accounting).
 * They are left out: their stall times need accounting this kernel does not do (tasks waiting
 * on block I/O, runnable tasks waiting for the CPU), and files of zeros would be wrong answers.
 */
final class Pressure {
    private Pressure() {}

    /** proc_mkdir("pressure"): 0555; proc_create("pressure/memory", 0666). */
    static final int DIRECTORY_MODE = 0555;
    static final int FILE_MODE = 0666;
    /** psi_write reads at most this many bytes (char buf[32]). */
    static final int WRITE_MAX = 32;
    /** WINDOW_MIN_US and WINDOW_MAX_US. */
    static final long WINDOW_MIN_US = 500_000;
    static final long WINDOW_MAX_US = 10_000_000;
    private static final String MEMORY = "memory";
    /** The memory file's inode: a dynamic proc inode past those of the root's entries. */
    static final long MEMORY_INODE = ProcFs.PROC_DYNAMIC_FIRST + 0x100;

    /** The node at {@code rest} below /proc/pressure, or null. */
    static SyntheticNode lookup(ProcFs proc, Psi psi, long dirInode, List<String> rest) {
        if (rest.isEmpty()) {
            return new ProcEntry.Dir(dirInode, DIRECTORY_MODE, 0, 0,
                    () -> List.of(new Entry(MEMORY, MEMORY_INODE, Kind.REGULAR)));
        }
        if (rest.size() != 1 || !rest.get(0).equals(MEMORY)) return null;
        return new ProcEntry.OperationsFile(MEMORY_INODE, FILE_MODE, 0, 0, flags -> open(proc, psi, flags));
    }

    /** psi_open: writers need CAP_SYS_RESOURCE. */
    static FileOperations open(ProcFs proc, Psi psi, int flags) throws ErrnoException {
        if (OpenFlags.writesAllowed(flags) && !proc.callerPrivileged()) throw new ErrnoException(Errno.EPERM);
        return new MemoryFile(psi);
    }

    /**
     * One open of /proc/pressure/memory: a seq_file over {@link Psi#show} (made at the first
     * read, made again after a seek elsewhere) and the description's trigger.
     */
    static final class MemoryFile implements FileOperations {
        private final Psi psi;
        private byte[] shown;
        private long position;
        private Psi.Trigger trigger;
        /** The trigger fired and no poll has reported it yet (psi_trigger's event). */
        private boolean event;
        /** event_wait: pollers of this description. */
        private final WaitQueue eventWait = new WaitQueue();

        MemoryFile(Psi psi) {
            this.psi = psi;
        }

        @Override
        public synchronized long read(byte[] buf, int off, int len, boolean nonblocking) {
            long n = pread(buf, off, len, position, nonblocking);
            if (n > 0) position += n;
            return n;
        }

        @Override
        public synchronized long pread(byte[] buf, int off, int len, long pos, boolean nonblocking) {
            if (shown == null) shown = psi.show().getBytes(StandardCharsets.US_ASCII);
            if (pos >= shown.length) return 0;
            int n = (int) Math.min(len, shown.length - pos);
            System.arraycopy(shown, (int) pos, buf, off, n);
            return n;
        }

        /** seq_lseek: SEEK_SET and SEEK_CUR; a move makes the text again at the next read. */
        @Override
        public synchronized long lseek(long offset, int whence) {
            long target = switch (whence) {
                case OpenFlags.SEEK_SET -> offset;
                case OpenFlags.SEEK_CUR -> position + offset;
                default -> -1;
            };
            if (target < 0) return -Errno.EINVAL;
            if (target != position) {
                shown = null;
                position = target;
            }
            return target;
        }

        @Override
        public synchronized long write(byte[] data) {
            if (data.length == 0) return -Errno.EINVAL;
            byte[] buf = java.util.Arrays.copyOf(data, Math.min(data.length, WRITE_MAX));
            buf[buf.length - 1] = 0;
            if (trigger != null) return -Errno.EBUSY;
            Psi.State state;
            long[] values;
            if ((values = scan(buf, "some")) != null) {
                state = Psi.State.SOME;
            } else if ((values = scan(buf, "full")) != null) {
                state = Psi.State.FULL;
            } else {
                return -Errno.EINVAL;
            }
            long thresholdUs = values[0];
            long windowUs = values[1];
            if (windowUs < WINDOW_MIN_US || windowUs > WINDOW_MAX_US) return -Errno.EINVAL;
            if (thresholdUs == 0 || thresholdUs > windowUs) return -Errno.EINVAL;
            trigger = psi.addTrigger(state, thresholdUs * 1000, windowUs * 1000, this::fired);
            return data.length;
        }

        /** The trigger's event: remembered for the next poll, and the pollers woken. */
        private void fired() {
            synchronized (this) {
                event = true;
            }
            eventWait.wakeUp();
        }

        /**
         * psi_trigger_poll: readable and writable always; POLLERR | POLLPRI without a trigger;
         * POLLPRI once for each event.
         */
        @Override
        public synchronized int poll(PollTable table) {
            if (trigger == null) return PollTable.DEFAULT_POLLMASK | PollTable.POLLERR | PollTable.POLLPRI;
            PollTable.wait(table, eventWait);
            int mask = PollTable.DEFAULT_POLLMASK;
            if (event) {
                event = false;
                mask |= PollTable.POLLPRI;
            }
            return mask;
        }

        @Override
        public synchronized void release() {
            if (trigger != null) psi.removeTrigger(trigger);
            trigger = null;
        }

        /** The registered trigger, or null. */
        synchronized Psi.Trigger trigger() {
            return trigger;
        }
    }

    /**
     * The kernel's sscanf(buf, "{@code word} %u %u"): the word matched exactly, then two
     * unsigned decimals, each after optional blanks and needing a digit; each value is the
     * unsigned long long the digits make, cut to 32 bits. Null when it does not match.
     */
    static long[] scan(byte[] buf, String word) {
        int at = 0;
        for (int i = 0; i < word.length(); i++, at++) {
            if (at >= buf.length || buf[at] != word.charAt(i)) return null;
        }
        long[] values = new long[2];
        for (int v = 0; v < 2; v++) {
            while (at < buf.length && isSpace(buf[at])) at++;
            if (at >= buf.length || buf[at] < '0' || buf[at] > '9') return null;
            long value = 0;
            while (at < buf.length && buf[at] >= '0' && buf[at] <= '9') {
                value = value * 10 + (buf[at] - '0');
                at++;
            }
            values[v] = value & 0xFFFF_FFFFL;
        }
        return values;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
