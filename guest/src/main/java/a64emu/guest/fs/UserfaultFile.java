package a64emu.guest.fs;

import a64emu.guest.Errno;
import a64emu.guest.mm.Userfaultfd;
import java.util.function.Consumer;

/**
 * The descriptor userfaultfd(2) returns ({@code anon_inode:[userfaultfd]}, Linux
 * {@code userfaultfd_fops}): reading takes fault messages, 32 bytes each, as many as fit,
 * sleeping for the first unless O_NONBLOCK; poll is EPOLLERR before UFFDIO_API and on a
 * blocking descriptor (a fault can be woken before it is read, so poll cannot promise a
 * read will not block), EPOLLIN while an unread fault waits. The last close releases the
 * context (its areas unregister, its sleepers fault again).
 */
public final class UserfaultFile extends AnonInodeFile {
    private final Userfaultfd ctx;

    /** userfaultfd(flags), the flags already checked (O_NONBLOCK and O_CLOEXEC are the file's). */
    public UserfaultFile(Userfaultfd ctx, int flags, Consumer<Object> sleepers) {
        super("userfaultfd", OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK), sleepers);
        this.ctx = ctx;
        ctx.onReadable(() -> wakeUp(PollTable.POLLIN));
    }

    public Userfaultfd context() {
        return ctx;
    }

    /** The userfaultfd behind a descriptor's file, or null. */
    public static UserfaultFile of(OpenFile f) {
        return f instanceof UserfaultFile u ? u : null;
    }

    @Override
    long read(byte[] buf, int off, int len) {
        if (!ctx.initialized() || len < Userfaultfd.MSG_SIZE) {
            return -Errno.EINVAL;
        }
        int done = 0;
        while (len - done >= Userfaultfd.MSG_SIZE) {
            byte[] msg = ctx.readMessage();
            if (msg == null) {
                break;
            }
            System.arraycopy(msg, 0, buf, off + done, msg.length);
            done += msg.length;
        }
        return done == 0 ? -Errno.EAGAIN : done;
    }

    @Override
    public int poll(PollTable table) {
        PollTable.wait(table, pollers);
        if (!ctx.initialized() || (statusFlagsForGetfl() & OpenFlags.O_NONBLOCK) == 0) {
            return PollTable.POLLERR;
        }
        return ctx.hasUnread() ? PollTable.POLLIN : 0;
    }

    @Override
    protected void closeResource() {
        ctx.release();
    }
}
