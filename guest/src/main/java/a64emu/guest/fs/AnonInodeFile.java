package a64emu.guest.fs;

import java.util.function.Consumer;

/**
 * A file with no name in any file system (Linux {@code fs/anon_inodes.c}): an eventfd,
 * timerfd, signalfd or epoll instance. All share the one anonymous inode, mode 0600 with
 * no file type, owned by root; /proc/self/fd names them {@code anon_inode:[eventfd]}.
 *
 * <p>Each has a poll method and a wait queue: {@link #wakeUp} tells the pollers (with the
 * events that became ready) and the threads sleeping in a read or write of it that answered
 * -EAGAIN, which the kernel sleeps on {@link #waitChannel} ({@code sleepers} wakes them).
 */
public abstract class AnonInodeFile extends OpenFile {
    /** The anonymous inode's number: the first inode of the anon_inodefs superblock. */
    private static final long ANON_INODE = 1;

    protected final WaitQueue pollers = new WaitQueue();
    private final Consumer<Object> sleepers;

    /**
     * @param kind      "eventfd", "timerfd", "signalfd", "eventpoll"
     * @param openFlags O_RDWR with O_NONBLOCK when asked (the flags' own NONBLOCK bit)
     * @param sleepers  wakes the threads sleeping on a channel (the kernel's wakeChannel)
     */
    protected AnonInodeFile(String kind, int openFlags, Consumer<Object> sleepers) {
        super("anon_inode:[" + kind + "]", openFlags);
        this.sleepers = sleepers;
    }

    /** The pollers and the sleepers: {@code events} became ready (0: anything may have changed). */
    protected final void wakeUp(int events) {
        pollers.wakeUp(events);
        sleepers.accept(this);
    }

    /** Wakes the threads sleeping on {@code channel} (a queue this file's readers sleep on). */
    protected final void wakeSleepers(Object channel) {
        sleepers.accept(channel);
    }

    @Override
    public final boolean canPoll() {
        return true;
    }

    @Override
    public Object waitChannel() {
        return this;
    }

    @Override
    KernelStat stat() {
        // alloc_anon_inode: S_IRUSR | S_IWUSR and no type; the blocksize is a page.
        return new KernelStat(0, ANON_INODE, 0600, 1, 0, 0, 0, 0, KernelStat.BLOCK_SIZE, 0, 0, 0, 0, 0, 0, 0);
    }
}
