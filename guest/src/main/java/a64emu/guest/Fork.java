package a64emu.guest;

import a64emu.cpu.Cpu;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.DupMmap;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.mm.OutOfFramesException;
import a64emu.guest.signal.SignalActions;

/**
 * Creating processes and threads, Linux {@code kernel/fork.c} ({@code kernel_clone},
 * {@code copy_process}): what the child shares with its parent and what it gets a copy
 * of is chosen by the clone flags, exactly as there.
 *
 * <ul>
 * <li>fork (no flags but the exit signal): a copy-on-write copy of the address space with
 *     a new ASID, a copy of the descriptor table and of the handlers.</li>
 * <li>vfork (CLONE_VM|CLONE_VFORK): the parent's address space itself, and the parent
 *     sleeps until the child execs or exits.</li>
 * <li>pthread_create (CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|
 *     CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID): a new thread in
 *     the same process, on the stack and with the TLS pointer it was given.</li>
 * </ul>
 */
public final class Fork {
    private Fork() {}

    /** Clone flags (UAPI linux/sched.h). */
    static final long CSIGNAL = 0x0000_00FFL;
    static final long CLONE_VM = 0x0000_0100L;
    static final long CLONE_FS = 0x0000_0200L;
    static final long CLONE_FILES = 0x0000_0400L;
    static final long CLONE_SIGHAND = 0x0000_0800L;
    static final long CLONE_PIDFD = 0x0000_1000L;
    static final long CLONE_PTRACE = 0x0000_2000L;
    static final long CLONE_VFORK = 0x0000_4000L;
    static final long CLONE_PARENT = 0x0000_8000L;
    static final long CLONE_THREAD = 0x0001_0000L;
    static final long CLONE_NEWNS = 0x0002_0000L;
    static final long CLONE_SYSVSEM = 0x0004_0000L;
    static final long CLONE_SETTLS = 0x0008_0000L;
    static final long CLONE_PARENT_SETTID = 0x0010_0000L;
    static final long CLONE_CHILD_CLEARTID = 0x0020_0000L;
    static final long CLONE_DETACHED = 0x0040_0000L;
    static final long CLONE_UNTRACED = 0x0080_0000L;
    static final long CLONE_CHILD_SETTID = 0x0100_0000L;
    static final long CLONE_NEWCGROUP = 0x0200_0000L;
    static final long CLONE_NEWUTS = 0x0400_0000L;
    static final long CLONE_NEWIPC = 0x0800_0000L;
    static final long CLONE_NEWUSER = 0x1000_0000L;
    static final long CLONE_NEWPID = 0x2000_0000L;
    static final long CLONE_NEWNET = 0x4000_0000L;
    static final long CLONE_IO = 0x8000_0000L;
    static final long CLONE_NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC
            | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;

    /** The arguments of clone/clone3 (struct clone_args, in clone's register order). */
    public record Args(long flags, long stack, long parentTid, long tls, long childTid, int exitSignal) {}

    /**
     * kernel_clone: creates the child and returns its tid to the parent (the child sees 0
     * in x0 when it first runs), or -errno.
     */
    public static long clone(Kernel kernel, Task parent, Args a) {
        long flags = a.flags();
        // copy_process's consistency checks, in its order.
        if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS)
                || (flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS)) {
            return -Errno.EINVAL;
        }
        if ((flags & CLONE_THREAD) != 0 && (flags & CLONE_SIGHAND) == 0) {
            return -Errno.EINVAL;
        }
        if ((flags & CLONE_SIGHAND) != 0 && (flags & CLONE_VM) == 0) {
            return -Errno.EINVAL;
        }
        if ((flags & CLONE_PARENT) != 0 && parent.process.parent() == null && parent.process.pid == 1) {
            return -Errno.EINVAL;
        }
        if ((flags & CLONE_NAMESPACES) != 0 && parent.process.credentials.euid() != 0) {
            // Creating namespaces needs CAP_SYS_ADMIN (a user namespace aside, not offered here).
            return -Errno.EPERM;
        }
        // The task limits: threads-max for the system, RLIMIT_NPROC for the user (root exempt).
        long nproc = parent.process.limits[Process.RLIMIT_NPROC][0];
        boolean exempt = parent.process.credentials.uid() == 0 || parent.process.capable(Process.CAP_SYS_RESOURCE)
                || parent.process.capable(Process.CAP_SYS_ADMIN);
        if (kernel.taskCount() >= Kernel.MAX_THREADS
                || (!exempt && Long.compareUnsigned(kernel.taskCount(), nproc) >= 0)) {
            return -Errno.EAGAIN;
        }
        int tid = kernel.allocatePid();
        if (tid < 0) {
            return -Errno.EAGAIN;
        }
        Process pp = parent.process;
        Task child;
        if ((flags & CLONE_THREAD) != 0) {
            child = new Task(tid, pp, newCpu(parent.cpu));
            pp.addThread(child);
            child.sched.inheritForFork(parent.sched);
        } else {
            Process p;
            try {
                p = newProcess(kernel, parent, tid, flags, a.exitSignal());
            } catch (OutOfFramesException e) {
                return -Errno.ENOMEM;
            }
            child = p.leader();
            child.sched.inheritForFork(parent.sched);
        }
        child.copyRegistersFrom(parent.cpu);
        child.mempolicy = parent.mempolicy; // copy_process: mpol_dup(current->mempolicy)
        child.cpu.x[0] = 0;
        if (a.stack() != 0) {
            child.cpu.sp = a.stack();
        }
        if ((flags & CLONE_SETTLS) != 0) {
            child.cpu.tpidrEl0 = a.tls();
        }
        child.setBlocked(parent.blocked());
        // copy_process: a thread sharing the VM but not vfork gets no alternate stack.
        child.altStack = (flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM ? SignalActions.AltStack.DISABLED
                : parent.altStack;
        child.rseq.inheritFrom(parent.rseq, (flags & CLONE_VM) != 0); // rseq_fork
        child.seccomp = parent.seccomp.copy(); // copy_seccomp
        if ((flags & CLONE_CHILD_CLEARTID) != 0) {
            child.clearChildTid = a.childTid();
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            try {
                pp.user.write32(a.parentTid(), tid);
            } catch (BadUserAddressException e) {
                // kernel_clone ignores a failing put_user: the child exists regardless.
            }
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            Task c = child;
            kernel.withAddressSpace(child.process, () -> {
                try {
                    c.process.user.write32(a.childTid(), tid);
                } catch (BadUserAddressException e) {
                    // schedule_tail ignores a failing put_user too.
                }
            });
        }
        kernel.register(child);
        kernel.events().threadCreated(parent, child);
        if ((flags & CLONE_VFORK) != 0) {
            child.process.vforkParent = parent;
            Task.Wait w = new Task.Wait(Exit.WAIT_VFORK, -1, 0, false);
            w.interruptible = false;
            parent.block(w);
            // The child's pid is the parent's result when it wakes.
            parent.cpu.x[0] = tid;
        }
        return tid;
    }

    /** A thread's registers: its own Cpu on the shared core's MMU. */
    private static Cpu newCpu(Cpu like) {
        Cpu cpu = new Cpu(like.mmu, like.decoder(), like.ids());
        cpu.setEngine(like.engine());
        return cpu;
    }

    private static Process newProcess(Kernel kernel, Task parent, int pid, long flags, int exitSignal)
            throws OutOfFramesException {
        Process pp = parent.process;
        AddressSpace mm;
        FaultHandler faults;
        UserMemory user;
        if ((flags & CLONE_VM) != 0) {
            mm = pp.mm;
            faults = pp.faults;
            user = pp.user;
            kernel.share(mm);
        } else {
            int asid = kernel.asids().allocate(kernel.mmu());
            try {
                mm = DupMmap.fork(pp.mm, asid);
            } catch (OutOfFramesException e) {
                kernel.asids().free(asid);
                throw e;
            }
            faults = new FaultHandler(mm, kernel.frames(), kernel.mmu());
            user = new UserMemory(kernel.mmu(), faults);
        }
        FileTable files;
        if ((flags & CLONE_FILES) != 0) {
            files = pp.files;
            kernel.share(files);
        } else {
            files = pp.files.copyForFork();
        }
        SignalActions handlers = (flags & CLONE_SIGHAND) != 0 ? pp.signals : pp.signals.copy();
        Process p = new Process(pid, pp.pid, pp.credentials, newCpu(parent.cpu), mm, kernel.frames(), faults, user,
                files, handlers, pp.random.split(), Process.copyLimits(pp.limits));
        p.setVdsoSigreturn(pp.vdsoSigreturn());
        if ((flags & CLONE_VM) != 0) {
            p.aio = pp.aio; // the contexts belong to the address space
        }
        p.setTaskComm(pp.comm());
        p.pgid = pp.pgid;
        p.sid = pp.sid;
        p.personality = pp.personality;
        p.forkPrctlState(pp, false);
        p.setOomScoreAdj(pp.oomScoreAdj());
        p.setOomScoreAdjMin(pp.oomScoreAdjMin());
        p.exitSignal = exitSignal;
        p.forkedWithoutExec = true;
        p.capEffective = pp.capEffective;
        p.capPermitted = pp.capPermitted;
        p.capInheritable = pp.capInheritable;
        for (OpenFile f : pp.mappedFiles()) {
            p.keepMappedFile(f);
        }
        Process newParent = (flags & CLONE_PARENT) != 0 ? pp.parent() : pp;
        if (newParent != null) {
            p.setParent(newParent);
            newParent.children().add(p);
        }
        p.syscalls = new a64emu.guest.syscall.Syscalls(p, kernel.diagnostics());
        kernel.register(p);
        return p;
    }
}
