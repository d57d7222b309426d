package a64emu.guest.fs;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pipes behind named pipes (Linux keeps a pipe_inode_info in the FIFO's inode): the FIFO
 * is a real FIFO file on the host, so that stat, ls and rm see one, but the guest kernel never
 * opens it on the host (a host open would block a JVM thread until a partner came). Guest
 * opens of it get ends of one guest {@link Pipe} per FIFO inode instead; it is freed with its
 * bytes when no end is open, as Linux frees it. A host process that opens the FIFO meets
 * nobody from the guest. One table for the machine: forked file systems share it.
 */
final class Fifos {
    private final Map<Fsnotify.Inode, Pipe> pipes = new HashMap<>();
    private volatile Consumer<Object> waker = channel -> {};

    /** Where a FIFO's change (data, an end opened or closed) wakes the threads sleeping on it. */
    void attachWaker(Consumer<Object> waker) {
        this.waker = waker;
    }

    /** The pipe of the FIFO inode {@code inode}: the one in use, or a new one. */
    synchronized Pipe pipeFor(Fsnotify.Inode inode) {
        Pipe p = pipes.get(inode);
        if (p == null || p.unused()) {
            p = new Pipe(channel -> waker.accept(channel));
            pipes.put(inode, p);
        }
        return p;
    }
}
