package a64emu.guest.ipc;

import a64emu.guest.mm.FrameAllocator;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The IPC namespace of one guest kernel (Linux {@code struct ipc_namespace}, the initial one):
 * its shared memory, semaphores, message queues and POSIX message queues. Every guest process
 * of a run sees the same objects; they die with the kernel.
 */
public final class IpcNamespace {
    private final Shm shm;
    private final Sem sem;
    private final Msg msg;
    private final Mqueue mqueue;
    private final IntSupplier currentTgid;

    /**
     * @param frames          the frames and page cache segments live in
     * @param wake            wakes the threads sleeping on an object (the kernel's wait channels)
     * @param currentTgid     the process in the kernel now (the pid shm records at attach and detach)
     * @param realtimeSeconds CLOCK_REALTIME in seconds, for times stamped outside a system call
     */
    public IpcNamespace(FrameAllocator frames, Consumer<Object> wake, IntSupplier currentTgid,
                        LongSupplier realtimeSeconds) {
        this.shm = new Shm(frames, currentTgid, realtimeSeconds);
        this.sem = new Sem(wake, realtimeSeconds);
        this.msg = new Msg(wake);
        this.mqueue = new Mqueue(wake);
        this.currentTgid = currentTgid;
    }

    /** The thread group in the kernel now: whose close of a queue descriptor it is, for instance. */
    public int currentTgid() {
        return currentTgid.getAsInt();
    }

    public Shm shm() {
        return shm;
    }

    public Sem sem() {
        return sem;
    }

    public Msg msg() {
        return msg;
    }

    public Mqueue mqueue() {
        return mqueue;
    }

    /** What a process leaves behind at exit: its SEM_UNDO adjustments are applied ({@code exit_sem}). */
    public void exitProcess(int tgid) {
        sem.exit(tgid);
    }
}
