package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.ipc.Ipc;
import a64emu.guest.ipc.IpcCaller;
import a64emu.guest.ipc.IpcNamespace;
import a64emu.guest.ipc.Msg;
import a64emu.guest.ipc.MsgQueue;
import a64emu.guest.ipc.Outcome;
import a64emu.guest.ipc.Sem;
import a64emu.guest.ipc.SemSet;
import a64emu.guest.ipc.Shm;
import a64emu.guest.ipc.ShmSegment;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The System V IPC system calls (shmget, shmctl, shmat, shmdt, semget, semctl, semop,
 * semtimedop, msgget, msgctl, msgsnd, msgrcv): arguments decoded and copied in and out in
 * Linux's order (a struct read for IPC_SET before the id is looked up, results written after),
 * the semantics in {@link a64emu.guest.ipc}. A semop or message call that must wait sleeps on
 * its object and runs again when woken; a signal ends it with EINTR whatever SA_RESTART says
 * (Linux returns -ERESTARTNOHAND from these calls).
 */
final class IpcSyscalls {
    private static final long NANOS = 1_000_000_000L;

    private final Process process;
    private final MemorySyscalls memory;
    private final TimeSyscalls time;

    /** What a call that slept keeps for its next run: the object and its deadline (-1: none). */
    private record Restart(Object on, long deadline) {}

    IpcSyscalls(Process process, MemorySyscalls memory, TimeSyscalls time) {
        this.process = process;
        this.memory = memory;
        this.time = time;
    }

    private IpcNamespace ns() {
        return process.kernel.ipc();
    }

    /** The caller as IPC sees it. */
    IpcCaller caller() {
        long caps = 0;
        for (int cap : new int[] {IpcCaller.CAP_IPC_LOCK, IpcCaller.CAP_IPC_OWNER, IpcCaller.CAP_SYS_ADMIN,
                IpcCaller.CAP_SYS_RESOURCE}) {
            if (process.capable(cap)) {
                caps |= 1L << cap;
            }
        }
        var c = process.credentials;
        return new IpcCaller(process.pid, c.euid(), c.egid(), c.groups(), caps,
                process.limits[Process.RLIMIT_MEMLOCK][0], Math.floorDiv(time.now(TimeSyscalls.CLOCK_REALTIME), NANOS));
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** No IPC namespace: a process made without a kernel (unit tests of other calls). */
    private boolean noKernel() {
        return process.kernel == null || process.kernel.ipc() == null;
    }

    // ---- shm --------------------------------------------------------------------------

    long shmget(int key, long size, int flg) {
        if (noKernel()) return -Errno.ENOSYS;
        return ns().shm().get(caller(), key, size, flg);
    }

    long shmctl(int shmid, int cmd, long buf) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        ByteBuffer b = buffer(Shm.SHMID64_DS_SIZE);
        if (cmd == Ipc.IPC_SET && shmid >= 0) {
            process.user.read(buf, b.array(), 0, Shm.SHMID64_DS_SIZE);
        }
        long r = ns().shm().ctl(caller(), shmid, cmd, b);
        int out = Shm.outputSize(cmd);
        if (r >= 0 && out > 0) {
            process.user.write(buf, b.array(), 0, out);
        }
        return r;
    }

    long shmat(int shmid, long addr, int flg) {
        if (noKernel()) return -Errno.ENOSYS;
        memory.syncLimits();
        long r = ns().shm().attach(caller(), process.memoryMap, shmid, addr, flg);
        if (r >= 0) {
            Vma v = process.mm.find(r);
            ShmSegment s = ((ShmSegment.Attachment) v.backing().source()).segment();
            if (v.isLocked()) {
                // mlockall(MCL_FUTURE): do_mmap asks for the pages at once (mm_populate).
                process.memoryMap.populate(r, r + VmLayout.pageAlign(s.size()), process.faults);
            }
        }
        return r;
    }

    long shmdt(long addr) {
        if (noKernel()) return -Errno.ENOSYS;
        return ns().shm().detach(process.mm, addr);
    }

    // ---- sem --------------------------------------------------------------------------

    long semget(int key, int nsems, int flg) {
        if (noKernel()) return -Errno.ENOSYS;
        return ns().sem().get(caller(), key, nsems, flg);
    }

    /** semctl(2): the fourth argument is union semun passed by value (a value or a pointer). */
    long semctl(int semid, int semnum, int cmd, long arg) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        if (semid < 0) return -Errno.EINVAL;
        Sem sem = ns().sem();
        IpcCaller c = caller();
        switch (cmd) {
            case Ipc.IPC_INFO, Sem.SEM_INFO, Ipc.IPC_STAT, Sem.SEM_STAT, Sem.SEM_STAT_ANY -> {
                ByteBuffer b = buffer(Sem.SEMID64_DS_SIZE);
                long r = cmd == Ipc.IPC_INFO || cmd == Sem.SEM_INFO ? sem.info(cmd, b) : sem.stat(c, semid, cmd, b);
                if (r >= 0) {
                    process.user.write(arg, b.array(), 0, Sem.outputSize(cmd));
                }
                return r;
            }
            case Sem.GETALL -> {
                long n = sem.checkAll(c, semid, cmd);
                if (n < 0) return n;
                int[] values = sem.getAll(semid);
                if (values == null) return -Errno.EIDRM;
                ByteBuffer b = buffer(values.length * 2);
                for (int i = 0; i < values.length; i++) {
                    b.putShort(i * 2, (short) values[i]);
                }
                process.user.write(arg, b.array(), 0, b.capacity());
                return 0;
            }
            case Sem.SETALL -> {
                long n = sem.checkAll(c, semid, cmd);
                if (n < 0) return n;
                ByteBuffer b = buffer((int) n * 2);
                process.user.read(arg, b.array(), 0, b.capacity());
                int[] values = new int[(int) n];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Short.toUnsignedInt(b.getShort(i * 2));
                }
                return sem.setAll(c, semid, values);
            }
            case Sem.GETVAL, Sem.GETPID, Sem.GETNCNT, Sem.GETZCNT -> {
                return sem.getOne(c, semid, semnum, cmd);
            }
            case Sem.SETVAL -> {
                return sem.setval(c, semid, semnum, (int) arg);
            }
            case Ipc.IPC_SET, Ipc.IPC_RMID -> {
                ByteBuffer b = buffer(Sem.SEMID64_DS_SIZE);
                if (cmd == Ipc.IPC_SET) {
                    process.user.read(arg, b.array(), 0, Sem.SEMID64_DS_SIZE);
                }
                return sem.down(c, semid, cmd, b);
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    long semop(int semid, long sops, long nsops) throws BadUserAddressException {
        return semtimedop(semid, sops, nsops, 0);
    }

    /**
     * semtimedop(2) ({@code do_semtimedop}): EINVAL for no operation or a negative id, E2BIG
     * past SEMOPM, the operations copied in, then the relative timeout (EINVAL if malformed);
     * a wait that reaches it ends with EAGAIN.
     */
    long semtimedop(int semid, long sopsVa, long nsopsArg, long timeoutVa) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        long nsops = nsopsArg & 0xFFFF_FFFFL;
        if (nsops < 1 || semid < 0) return -Errno.EINVAL;
        if (nsops > Sem.SEMOPM) return -Errno.E2BIG;
        ByteBuffer b = buffer((int) nsops * Sem.SEMBUF_SIZE);
        process.user.read(sopsVa, b.array(), 0, b.capacity());
        List<Sem.SemBuf> ops = new ArrayList<>();
        for (int i = 0; i < nsops; i++) {
            int at = i * Sem.SEMBUF_SIZE;
            ops.add(new Sem.SemBuf(Short.toUnsignedInt(b.getShort(at)), b.getShort(at + 2), b.getShort(at + 4)));
        }
        long relative = -1;
        if (timeoutVa != 0) {
            long sec = process.user.read64(timeoutVa);
            long nsec = process.user.read64(timeoutVa + 8);
            if (sec < 0 || nsec < 0 || nsec >= NANOS) return -Errno.EINVAL;
            relative = sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE : sec * NANOS + nsec;
        }
        Task t = process.current;
        Restart r = restartOf(t);
        Outcome o = ns().sem().semop(caller(), semid, ops, r == null ? null : (SemSet) r.on(), t,
                () -> stillWaiting(t, SemSet.class));
        long deadline = r != null ? r.deadline() : relative < 0 ? -1 : deadlineAfter(relative);
        return sleepOr(t, o, "semop", deadline, -Errno.EAGAIN);
    }

    // ---- msg --------------------------------------------------------------------------

    long msgget(int key, int flg) {
        if (noKernel()) return -Errno.ENOSYS;
        return ns().msg().get(caller(), key, flg);
    }

    long msgctl(int msqid, int cmd, long buf) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        ByteBuffer b = buffer(Msg.MSQID64_DS_SIZE);
        if (cmd == Ipc.IPC_SET && msqid >= 0) {
            process.user.read(buf, b.array(), 0, Msg.MSQID64_DS_SIZE);
        }
        long r = ns().msg().ctl(caller(), msqid, cmd, b);
        int out = Msg.outputSize(cmd);
        if (r >= 0 && out > 0) {
            process.user.write(buf, b.array(), 0, out);
        }
        return r;
    }

    /** msgsnd(2): struct msgbuf is the type (a long) then the text. */
    long msgsnd(int msqid, long msgp, long msgsz, int flg) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        long mtype = process.user.read64(msgp);
        long err = Msg.checkSend(msqid, mtype, msgsz);
        if (err != 0) return err;
        byte[] text = process.user.read(msgp + 8, (int) msgsz);
        Task t = process.current;
        Restart r = restartOf(t);
        Outcome o = ns().msg().send(caller(), msqid, mtype, text, flg, r == null ? null : (MsgQueue) r.on());
        return sleepOr(t, o, "msgsnd", -1, 0);
    }

    long msgrcv(int msqid, long msgp, long msgsz, long msgtyp, int flg) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        long err = Msg.checkReceive(msqid, msgsz, flg);
        if (err != 0) return err;
        Task t = process.current;
        Restart r = restartOf(t);
        Msg.Received[] got = new Msg.Received[1];
        Outcome o = ns().msg().receive(caller(), msqid, msgsz, msgtyp, flg, r == null ? null : (MsgQueue) r.on(), t,
                () -> stillWaiting(t, MsgQueue.class), got);
        if (o.blocks() || o.value() < 0) {
            return sleepOr(t, o, "msgrcv", -1, 0);
        }
        process.user.write64(msgp, got[0].type());
        process.user.write(msgp + 8, got[0].text());
        return o.value();
    }

    // ---- sleeping ---------------------------------------------------------------------

    /**
     * Whether a thread that slept in semop or msgrcv still waits there: asleep on an object of
     * that kind, or woken and about to run the call again (Linux keeps it queued until it is
     * served).
     */
    private static boolean stillWaiting(Task t, Class<?> kind) {
        if (t.state() == Task.State.BLOCKED) {
            return kind.isInstance(t.waitingFor().channel);
        }
        return t.restartBlock() instanceof Restart r && kind.isInstance(r.on());
    }

    private static Restart restartOf(Task t) {
        return t.takeRestartBlock() instanceof Restart r ? r : null;
    }

    private long deadlineAfter(long relative) {
        long now = process.kernel.scheduler().now();
        return relative > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + relative;
    }

    /**
     * The outcome's value, or the thread asleep on its object until a wake-up (the call runs
     * again), the deadline ({@code timeoutResult}) or a signal (EINTR, never restarted).
     */
    private long sleepOr(Task t, Outcome o, String reason, long deadline, long timeoutResult) {
        if (!o.blocks()) {
            return o.value();
        }
        Task.Wait w = new Task.Wait(reason, deadline, timeoutResult, true);
        w.channel = o.sleepOn();
        w.restartable = false;
        w.restartBlock = new Restart(o.sleepOn(), deadline);
        t.block(w);
        return 0;
    }
}
