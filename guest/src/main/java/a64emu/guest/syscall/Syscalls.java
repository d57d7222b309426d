package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.KernelLog;
import a64emu.guest.Process;
import a64emu.guest.fs.FileSpace;
import a64emu.guest.fs.FileSync;
import a64emu.guest.fs.HostInput;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

/**
 * System call entry (Linux {@code arch/arm64/kernel/syscall.c}): the number in x8, the
 * arguments in x0-x5, the result (value or -errno) back in x0, every other register
 * preserved. This class only decodes arguments and calls the subsystem that owns the
 * behaviour. A number Linux refuses (a privileged operation, a number arm64 lacks) gets
 * Linux's errno from {@link SyscallStatus}; a call nobody implements returns -ENOSYS with one
 * kernel log notice per number.
 */
public final class Syscalls {
    private final Process process;
    private final PrintStream diagnostics;
    private FileSyscalls files;
    private final MemorySyscalls memory;
    private final ProcessSyscalls proc;
    private final SignalSyscalls signals;
    private final TimeSyscalls time;
    private final PollSyscalls poll;
    private final PipeSyscalls pipes;
    private final IntervalTimerSyscalls itimers;
    private final ResourceUsageSyscalls usage;
    private final SyslogSyscalls syslog;
    private final PrctlSyscalls prctl;
    private final EventSyscalls events;
    private final FileMetadataSyscalls metadata;
    private final FileLockSyscalls locks;
    private final MemFdSyscalls memfds;
    private final SpliceSyscalls splices;
    private final XattrSyscalls xattrs;
    private final SchedSyscalls sched;
    private final IdentitySyscalls identity;
    private final ProcessGroupSyscalls groups;
    private final PidfdSyscalls pidfds;
    private final ProcessVmSyscalls processVm;
    private final SocketSyscalls sockets;
    private final PosixTimerSyscalls posixTimers;
    private final ClockAdjustSyscalls clockAdjust;
    private final NamespaceSyscalls namespaces;
    private final KcmpSyscalls kcmp;
    private final AioSyscalls aio;
    private final IpcSyscalls ipc;
    private final MqueueSyscalls mqueues;
    private PositionalIoSyscalls positional;
    private final MountSyscalls mounts;
    private final FanotifySyscalls fanotify;
    private final InotifySyscalls inotify;
    private final UserfaultfdSyscalls userfaultfds;
    private final MempolicySyscalls mempolicies;
    private final SeccompSyscalls seccomp;
    private final Set<Integer> reportedUnimplemented = new HashSet<>();
    /** The last call was answered by seccomp and never ran. */
    private boolean stoppedBySeccomp;
    private long count;

    public Syscalls(Process process, PrintStream diagnostics) {
        this.process = process;
        this.diagnostics = diagnostics;
        this.files = new FileSyscalls(process);
        this.memory = new MemorySyscalls(process);
        this.proc = new ProcessSyscalls(process);
        this.signals = new SignalSyscalls(process, proc);
        this.time = new TimeSyscalls(process.user, process);
        this.poll = new PollSyscalls(process);
        this.pipes = new PipeSyscalls(process);
        this.itimers = new IntervalTimerSyscalls(process);
        this.usage = new ResourceUsageSyscalls(process);
        this.syslog = new SyslogSyscalls(process);
        this.prctl = new PrctlSyscalls(process);
        this.events = new EventSyscalls(process, time);
        this.metadata = new FileMetadataSyscalls(process);
        this.locks = new FileLockSyscalls(process);
        this.memfds = new MemFdSyscalls(process);
        this.splices = new SpliceSyscalls(process);
        this.xattrs = new XattrSyscalls(process);
        this.sched = new SchedSyscalls(process);
        this.identity = new IdentitySyscalls(process);
        this.groups = new ProcessGroupSyscalls(process);
        this.pidfds = new PidfdSyscalls(process, proc, signals);
        this.processVm = new ProcessVmSyscalls(process);
        this.sockets = new SocketSyscalls(process);
        this.posixTimers = new PosixTimerSyscalls(process, time);
        this.clockAdjust = new ClockAdjustSyscalls(process, time);
        this.namespaces = new NamespaceSyscalls(process);
        this.kcmp = new KcmpSyscalls(process);
        this.aio = new AioSyscalls(process);
        this.ipc = new IpcSyscalls(process, memory, time);
        this.mqueues = new MqueueSyscalls(process, ipc, time);
        this.positional = new PositionalIoSyscalls(process, files);
        this.mounts = new MountSyscalls(process);
        this.fanotify = new FanotifySyscalls(process);
        this.inotify = new InotifySyscalls(process);
        this.userfaultfds = new UserfaultfdSyscalls(process);
        this.mempolicies = new MempolicySyscalls(process);
        this.seccomp = new SeccompSyscalls(process);
    }

    /** The process has a descriptor table of its own now (unshare(CLONE_FILES)). */
    public void filesReplaced() {
        files = new FileSyscalls(process);
        positional = new PositionalIoSyscalls(process, files);
    }

    /**
     * Whether seccomp answered the last call without running it: its result (a filter's
     * ERRNO, EAGAIN included) is no reason to sleep and retry.
     */
    public boolean stoppedBySeccomp() {
        return stoppedBySeccomp;
    }

    /** System calls made so far. */
    public long count() {
        return count;
    }

    /** Runs the system call the CPU stopped at (SVC #0; the PC is already past it). */
    public void handle(Cpu cpu) {
        count++;
        int nr = (int) cpu.x[8];
        long result;
        stoppedBySeccomp = seccomp.stops(cpu, nr);
        if (stoppedBySeccomp) {
            return; // the filters answered (x0 set) or a SIGSYS/SIGKILL is on its way
        }
        try {
            result = dispatch(nr, cpu.x[0], cpu.x[1], cpu.x[2], cpu.x[3], cpu.x[4], cpu.x[5]);
            while (result == -Errno.EAGAIN && process.kernel == null && (nr == READ || nr == READV)
                    && hostInputOf(cpu.x[0]) instanceof HostInput in) {
                // A process built alone has no scheduler to sleep in: it waits for the host here.
                in.await(Long.MAX_VALUE);
                result = dispatch(nr, cpu.x[0], cpu.x[1], cpu.x[2], cpu.x[3], cpu.x[4], cpu.x[5]);
            }
        } catch (BadUserAddressException e) {
            result = -Errno.EFAULT;
        }
        cpu.x[0] = result;
    }

    private Object hostInputOf(long fd) {
        a64emu.guest.fs.OpenFile f = process.files.file((int) fd);
        return f == null ? null : f.sleepChannel();
    }

    long dispatch(int nr, long a0, long a1, long a2, long a3, long a4, long a5) throws BadUserAddressException {
        return switch (nr) {
            // files
            case OPENAT -> files.openat((int) a0, a1, (int) a2, (int) a3);
            // System V IPC and POSIX message queues
            case SHMGET -> ipc.shmget((int) a0, a1, (int) a2);
            case SHMCTL -> ipc.shmctl((int) a0, (int) a1, a2);
            case SHMAT -> ipc.shmat((int) a0, a1, (int) a2);
            case SHMDT -> ipc.shmdt(a0);
            case SEMGET -> ipc.semget((int) a0, (int) a1, (int) a2);
            case SEMCTL -> ipc.semctl((int) a0, (int) a1, (int) a2, a3);
            case SEMOP -> ipc.semop((int) a0, a1, a2);
            case SEMTIMEDOP -> ipc.semtimedop((int) a0, a1, a2, a3);
            case MSGGET -> ipc.msgget((int) a0, (int) a1);
            case MSGCTL -> ipc.msgctl((int) a0, (int) a1, a2);
            case MSGSND -> ipc.msgsnd((int) a0, a1, a2, (int) a3);
            case MSGRCV -> ipc.msgrcv((int) a0, a1, a2, a3, (int) a4);
            case MQ_OPEN -> mqueues.mqOpen(a0, (int) a1, (int) a2, a3);
            case MQ_UNLINK -> mqueues.mqUnlink(a0);
            case MQ_TIMEDSEND -> mqueues.mqTimedsend((int) a0, a1, a2, a3, a4);
            case MQ_TIMEDRECEIVE -> mqueues.mqTimedreceive((int) a0, a1, a2, a3, a4);
            case MQ_NOTIFY -> mqueues.mqNotify((int) a0, a1);
            case MQ_GETSETATTR -> mqueues.mqGetsetattr((int) a0, a1, a2);
            case CLOSE -> files.close((int) a0);
            case OPENAT2 -> files.openat2((int) a0, a1, a2, a3);
            case MKNODAT -> files.mknodat((int) a0, a1, (int) a2);
            case READ -> files.read((int) a0, a1, a2);
            case WRITE -> files.write((int) a0, a1, a2);
            case READV -> files.readv((int) a0, a1, (int) a2);
            case WRITEV -> files.writev((int) a0, a1, (int) a2);
            case PREAD64 -> files.pread((int) a0, a1, a2, a3);
            case PWRITE64 -> files.pwrite((int) a0, a1, a2, a3);
            case LSEEK -> files.lseek((int) a0, a1, (int) a2);
            case FSTAT -> files.fstat((int) a0, a1);
            case FTRUNCATE -> process.files.ftruncate((int) a0, a1);
            case NEWFSTATAT -> files.newfstatat((int) a0, a1, a2, (int) a3);
            case STATFS -> files.statfs(a0, a1);
            case FSTATFS -> files.fstatfs((int) a0, a1);
            case FADVISE64 -> process.files.fadvise((int) a0, a1, a2, (int) a3);
            case CLOSE_RANGE -> process.files.closeRange((int) a0, (int) a1, (int) a2);
            case FACCESSAT -> files.faccessat((int) a0, a1, (int) a2, 0);
            case FACCESSAT2 -> files.faccessat((int) a0, a1, (int) a2, (int) a3);
            case GETCWD -> files.getcwd(a0, a1);
            case IOCTL -> userfaultfds.handles((int) a0) ? userfaultfds.ioctl((int) a0, a1, a2)
                    : files.ioctl((int) a0, a1, a2);
            case READLINKAT -> files.readlinkat((int) a0, a1, a2, a3);
            case GETDENTS64 -> files.getdents64((int) a0, a1, a2);
            case DUP -> files.dup((int) a0);
            case DUP3 -> files.dup3((int) a0, (int) a1, (int) a2);
            case FCNTL -> FileLockSyscalls.handles((int) a1) ? locks.fcntl((int) a0, (int) a1, a2)
                    : MemFdSyscalls.handles((int) a1) ? memfds.fcntl((int) a0, (int) a1, a2)
                    : files.fcntl((int) a0, (int) a1, a2);
            case MKDIRAT -> files.mkdirat((int) a0, a1, (int) a2);
            case UNLINKAT -> files.unlinkat((int) a0, a1, (int) a2);
            case RENAMEAT -> files.renameat2((int) a0, a1, (int) a2, a3, 0);
            case RENAMEAT2 -> files.renameat2((int) a0, a1, (int) a2, a3, (int) a4);
            case FCHOWNAT -> files.fchownat((int) a0, a1, (int) a2, (int) a3, (int) a4,
                    process.credentials.euid(), process.credentials.egid());
            case FCHOWN -> process.files.fchown((int) a0, (int) a1, (int) a2,
                    process.credentials.euid(), process.credentials.egid());
            case FCHMODAT -> files.fchmodat((int) a0, a1, (int) a2, 0);
            case FCHMOD -> files.fchmod((int) a0, (int) a1);
            case CHDIR -> files.chdir(a0);
            case FCHDIR -> files.fchdir((int) a0);
            case UMASK -> process.files.fileSystem().umask((int) a0 & 0777);
            case STATX -> metadata.statx((int) a0, a1, (int) a2, (int) a3, a4);
            case UTIMENSAT -> metadata.utimensat((int) a0, a1, a2, (int) a3);
            case TRUNCATE -> metadata.truncate(a0, a1);
            case LINKAT -> files.linkat((int) a0, a1, (int) a2, a3, (int) a4);
            case SYMLINKAT -> files.symlinkat(a0, (int) a1, a2);
            case FALLOCATE -> FileSpace.fallocate(process.files, (int) a0, (int) a1, a2, a3);
            case FSYNC -> FileSync.fsync(process.files, (int) a0, false);
            case FDATASYNC -> FileSync.fsync(process.files, (int) a0, true);
            case SYNC -> 0;
            case SYNCFS -> FileSync.syncfs(process.files, (int) a0);
            case SYNC_FILE_RANGE -> FileSync.syncFileRange(process.files, (int) a0, a1, a2, (int) a3);
            case FLOCK -> locks.flock((int) a0, (int) a1);
            case MEMFD_CREATE -> memfds.memfdCreate(a0, (int) a1);
            case SENDFILE -> splices.sendfile((int) a0, (int) a1, a2, a3);
            case COPY_FILE_RANGE -> splices.copyFileRange((int) a0, a1, (int) a2, a3, a4, (int) a5);
            case SPLICE -> splices.splice((int) a0, a1, (int) a2, a3, a4, (int) a5);
            case TEE -> splices.tee((int) a0, (int) a1, a2, (int) a3);
            case SETXATTR -> xattrs.set(a0, false, true, a1, a2, a3, (int) a4);
            case LSETXATTR -> xattrs.set(a0, false, false, a1, a2, a3, (int) a4);
            case FSETXATTR -> xattrs.set((int) a0, true, true, a1, a2, a3, (int) a4);
            case GETXATTR -> xattrs.get(a0, false, true, a1, a2, a3);
            case LGETXATTR -> xattrs.get(a0, false, false, a1, a2, a3);
            case FGETXATTR -> xattrs.get((int) a0, true, true, a1, a2, a3);
            case LISTXATTR -> xattrs.list(a0, false, true, a1, a2);
            case LLISTXATTR -> xattrs.list(a0, false, false, a1, a2);
            case FLISTXATTR -> xattrs.list((int) a0, true, true, a1, a2);
            case REMOVEXATTR -> xattrs.remove(a0, false, true, a1);
            case LREMOVEXATTR -> xattrs.remove(a0, false, false, a1);
            case FREMOVEXATTR -> xattrs.remove((int) a0, true, true, a1);
            case PREADV -> positional.preadv2((int) a0, a1, a2, a3, 0, false);
            case PWRITEV -> positional.pwritev2((int) a0, a1, a2, a3, 0, false);
            case PREADV2 -> positional.preadv2((int) a0, a1, a2, a3, (int) a5, true);
            case PWRITEV2 -> positional.pwritev2((int) a0, a1, a2, a3, (int) a5, true);
            case VMSPLICE -> splices.vmsplice((int) a0, a1, a2, (int) a3);
            case READAHEAD -> process.files.readahead((int) a0, a1, a2);
            case OPEN_TREE -> mounts.openTree((int) a0, a1, (int) a2);
            case MOUNT_SETATTR -> mounts.mountSetattr(a2 & 0xFFFF_FFFFL, a4);
            case FSCONFIG -> mounts.fsconfig((int) a0, (int) a1, a2, a3, (int) a4);
            case NAME_TO_HANDLE_AT -> mounts.nameToHandleAt((int) a0, a1, (int) a4);
            case QUOTACTL -> mounts.quotactl((int) a0, a1);
            case QUOTACTL_FD -> mounts.quotactlFd((int) a0, (int) a1);
            case FANOTIFY_INIT -> fanotify.init((int) a0, (int) a1);
            case FANOTIFY_MARK -> fanotify.mark((int) a0, (int) a1, a2);
            case INOTIFY_INIT1 -> inotify.init1((int) a0);
            case INOTIFY_ADD_WATCH -> inotify.addWatch((int) a0, a1, (int) a2);
            case INOTIFY_RM_WATCH -> inotify.rmWatch((int) a0, (int) a1);
            // memory
            case BRK -> memory.brk(a0);
            case MMAP -> memory.mmap(a0, a1, (int) a2, (int) a3, (int) a4, a5);
            case MUNMAP -> memory.munmap(a0, a1);
            case MREMAP -> memory.mremap(a0, a1, a2, (int) a3, a4);
            case MPROTECT -> memory.mprotect(a0, a1, (int) a2);
            case MADVISE -> memory.madvise(a0, a1, (int) a2);
            case MSYNC -> memory.msync(a0, a1, (int) a2);
            case MLOCK -> memory.mlock(a0, a1);
            case MLOCK2 -> memory.mlock2(a0, a1, (int) a2);
            case MUNLOCK -> memory.munlock(a0, a1);
            case MLOCKALL -> memory.mlockall((int) a0);
            case MUNLOCKALL -> memory.munlockall();
            case MINCORE -> memory.mincore(a0, a1, a2);
            case USERFAULTFD -> userfaultfds.userfaultfd((int) a0);
            case SET_MEMPOLICY -> mempolicies.setMempolicy((int) a0, a1, a2);
            case GET_MEMPOLICY -> mempolicies.getMempolicy(a0, a1, a2, a3, a4);
            case MBIND -> mempolicies.mbind(a0, a1, (int) a2, a3, a4, a5);
            case SET_MEMPOLICY_HOME_NODE -> mempolicies.setMempolicyHomeNode(a0, a1, a2, a3);
            case MIGRATE_PAGES -> mempolicies.migratePages((int) a0, a1, a2, a3);
            case MOVE_PAGES -> mempolicies.movePages((int) a0, a1, a2, a3, a4, (int) a5);
            case PKEY_MPROTECT -> memory.pkeyMprotect(a0, a1, (int) a2, (int) a3);
            case PKEY_ALLOC -> MemorySyscalls.pkeyAlloc(a0, a1);
            case PKEY_FREE -> MemorySyscalls.pkeyFree((int) a0);
            case MEMBARRIER -> memory.membarrier((int) a0, (int) a1, (int) a2);
            case REMAP_FILE_PAGES -> memory.remapFilePages(a0, a1, a2, a3, a4);
            case PROCESS_MADVISE -> memory.processMadvise((int) a0, a1, a2, (int) a3, a4);
            case PROCESS_MRELEASE -> memory.processMrelease((int) a0, a1 & 0xFFFF_FFFFL);
            // process
            case EXIT -> proc.exit((int) a0);
            case EXIT_GROUP -> proc.exitGroup((int) a0);
            case CLONE -> proc.clone(a0, a1, a2, a3, a4);
            case CLONE3 -> proc.clone3(a0, a1);
            case EXECVE -> proc.execve(a0, a1, a2);
            case WAIT4 -> proc.wait4((int) a0, a1, (int) a2, a3);
            case WAITID -> proc.waitid((int) a0, (int) a1, a2, (int) a3, a4);
            case GET_ROBUST_LIST -> proc.getRobustList((int) a0, a1, a2);
            case GETPID -> process.pid;
            case GETTID -> process.tid();
            case GETPPID -> proc.getppid();
            case GETUID -> process.credentials.uid();
            case GETEUID -> process.credentials.euid();
            case GETGID -> process.credentials.gid();
            case GETEGID -> process.credentials.egid();
            case SET_TID_ADDRESS -> proc.setTidAddress(a0);
            case SET_ROBUST_LIST -> proc.setRobustList(a0, a1);
            case FUTEX -> proc.futex(a0, (int) a1, (int) a2, a3, a4, (int) a5);
            case FUTEX_WAITV -> proc.futexWaitv(a0, a1, a2 & 0xFFFF_FFFFL, a3, (int) a4);
            case UNAME -> proc.uname(a0);
            case PRLIMIT64 -> proc.prlimit64((int) a0, (int) a1, a2, a3);
            case GETRLIMIT -> proc.prlimit64(0, (int) a0, 0, a1);
            case SETRLIMIT -> proc.prlimit64(0, (int) a0, a1, 0);
            case GETRANDOM -> proc.getrandom(a0, a1, (int) a2);
            case SYSINFO -> proc.sysinfo(a0);
            case SCHED_YIELD -> proc.schedYield();
            case RSEQ -> process.current.rseq.syscall(process.user, a0, (int) a1, (int) a2, (int) a3,
                    process.mm.layout().taskSize());
            case PERSONALITY -> proc.personality(a0);
            case PIDFD_OPEN -> pidfds.pidfdOpen((int) a0, (int) a1);
            case PIDFD_GETFD -> pidfds.pidfdGetfd((int) a0, (int) a1, (int) a2);
            case EXECVEAT -> proc.execveat((int) a0, a1, a2, a3, (int) a4);
            case RESTART_SYSCALL -> proc.restartSyscall();
            case KCMP -> kcmp.kcmp((int) a0, (int) a1, (int) a2, a3, a4);
            case UNSHARE -> namespaces.unshare(a0);
            case SETNS -> namespaces.setns((int) a0, (int) a1);
            case PIDFD_SEND_SIGNAL -> pidfds.pidfdSendSignal((int) a0, (int) a1, a2, (int) a3);
            case PROCESS_VM_READV -> processVm.readv((int) a0, a1, a2, a3, a4, a5);
            case PROCESS_VM_WRITEV -> processVm.writev((int) a0, a1, a2, a3, a4, a5);
            // scheduling
            case SCHED_GETAFFINITY -> sched.getaffinity((int) a0, a1 & 0xFFFF_FFFFL, a2);
            case SCHED_SETAFFINITY -> sched.setaffinity((int) a0, a1, a2);
            case SCHED_GETSCHEDULER -> sched.getscheduler((int) a0);
            case SCHED_SETSCHEDULER -> sched.setscheduler((int) a0, (int) a1, a2);
            case SCHED_GETPARAM -> sched.getparam((int) a0, a1);
            case SCHED_SETPARAM -> sched.setparam((int) a0, a1);
            case SCHED_GET_PRIORITY_MAX -> SchedSyscalls.priorityMax((int) a0);
            case SCHED_GET_PRIORITY_MIN -> SchedSyscalls.priorityMin((int) a0);
            case SCHED_RR_GET_INTERVAL -> sched.rrGetInterval((int) a0, a1);
            case SCHED_SETATTR -> sched.setattr((int) a0, a1, (int) a2);
            case SCHED_GETATTR -> sched.getattr((int) a0, a1, a2, (int) a3);
            case GETCPU -> sched.getcpu(a0, a1);
            case GETPRIORITY -> sched.getpriority((int) a0, (int) a1);
            case SETPRIORITY -> sched.setpriority((int) a0, (int) a1, (int) a2);
            case IOPRIO_SET -> sched.ioprioSet((int) a0, (int) a1, (int) a2);
            case IOPRIO_GET -> sched.ioprioGet((int) a0, (int) a1);
            // credentials, process groups
            case SETUID -> identity.setuid(a0);
            case SETGID -> identity.setgid(a0);
            case SETREUID -> identity.setreuid(a0, a1);
            case SETREGID -> identity.setregid(a0, a1);
            case SETRESUID -> identity.setresuid(a0, a1, a2);
            case SETRESGID -> identity.setresgid(a0, a1, a2);
            case GETRESUID -> identity.getresuid(a0, a1, a2);
            case GETRESGID -> identity.getresgid(a0, a1, a2);
            case SETFSUID -> identity.setfsuid(a0);
            case SETFSGID -> identity.setfsgid(a0);
            case GETGROUPS -> identity.getgroups((int) a0, a1);
            case SETGROUPS -> identity.setgroups(a0, a1);
            case GETPGID -> groups.getpgid((int) a0);
            case SETPGID -> groups.setpgid((int) a0, (int) a1);
            case GETSID -> groups.getsid((int) a0);
            case SETSID -> groups.setsid();
            case KILL -> proc.kill((int) a0, (int) a1);
            case TKILL -> proc.tkill((int) a0, (int) a1);
            case TGKILL -> proc.tgkill((int) a0, (int) a1, (int) a2);
            // signals
            case RT_SIGACTION -> signals.rtSigaction((int) a0, a1, a2, a3);
            case RT_SIGPROCMASK -> signals.rtSigprocmask((int) a0, a1, a2, a3);
            case SIGALTSTACK -> signals.sigaltstack(a0, a1);
            case RT_SIGRETURN -> signals.rtSigreturn();
            case RT_SIGPENDING -> signals.rtSigpending(a0, a1);
            case RT_SIGSUSPEND -> signals.rtSigsuspend(a0, a1);
            case RT_SIGTIMEDWAIT -> signals.rtSigtimedwait(a0, a1, a2, a3);
            case RT_SIGQUEUEINFO -> signals.rtSigqueueinfo((int) a0, 0, (int) a1, a2);
            case RT_TGSIGQUEUEINFO -> signals.rtSigqueueinfo((int) a0, (int) a1, (int) a2, a3);
            case SECCOMP -> seccomp.seccomp((int) a0, (int) a1, a2);
            case PRCTL -> prctl.prctl((int) a0, a1, a2, a3, a4);
            case CAPGET -> proc.capget(a0, a1);
            case CAPSET -> proc.capset(a0, a1);
            case PPOLL -> poll.ppoll(a0, a1, a2, a3, a4);
            case PSELECT6 -> poll.pselect6(a0, a1, a2, a3, a4, a5);
            // event files
            case EVENTFD2 -> events.eventfd2(a0, (int) a1);
            case TIMERFD_CREATE -> events.timerfdCreate((int) a0, (int) a1);
            case TIMERFD_SETTIME -> events.timerfdSettime((int) a0, (int) a1, a2, a3);
            case TIMERFD_GETTIME -> events.timerfdGettime((int) a0, a1);
            case SIGNALFD4 -> events.signalfd4((int) a0, a1, a2, (int) a3);
            case EPOLL_CREATE1 -> events.epollCreate1((int) a0);
            case EPOLL_CTL -> events.epollCtl((int) a0, (int) a1, (int) a2, a3);
            case EPOLL_PWAIT -> events.epollPwait((int) a0, a1, (int) a2, (int) a3, a4, a5);
            case EPOLL_PWAIT2 -> events.epollPwait2((int) a0, a1, (int) a2, a3, a4, a5);
            case PIPE2 -> pipes.pipe2(a0, (int) a1);
            case IO_SETUP -> aio.ioSetup(a0, a1);
            case IO_DESTROY -> aio.ioDestroy(a0);
            case IO_SUBMIT -> aio.ioSubmit(a0, a1, a2);
            case IO_CANCEL -> aio.ioCancel(a0, a1, a2);
            case IO_GETEVENTS -> aio.ioGetevents(a0, a1, a2, a3, a4);
            case IO_PGETEVENTS -> aio.ioPgetevents(a0, a1, a2, a3, a4, a5);
            case SOCKET -> sockets.socket((int) a0, (int) a1, (int) a2);
            case SOCKETPAIR -> sockets.socketpair((int) a0, (int) a1, (int) a2, a3);
            case BIND -> sockets.bind((int) a0, a1, (int) a2);
            case LISTEN -> sockets.listen((int) a0, (int) a1);
            case ACCEPT -> sockets.accept4((int) a0, a1, a2, 0);
            case ACCEPT4 -> sockets.accept4((int) a0, a1, a2, (int) a3);
            case CONNECT -> sockets.connect((int) a0, a1, (int) a2);
            case GETSOCKNAME -> sockets.getsockname((int) a0, a1, a2, false);
            case GETPEERNAME -> sockets.getsockname((int) a0, a1, a2, true);
            case SENDTO -> sockets.sendto((int) a0, a1, a2, (int) a3, a4, (int) a5);
            case RECVFROM -> sockets.recvfrom((int) a0, a1, a2, (int) a3, a4, a5);
            case SETSOCKOPT -> sockets.setsockopt((int) a0, (int) a1, (int) a2, a3, (int) a4);
            case GETSOCKOPT -> sockets.getsockopt((int) a0, (int) a1, (int) a2, a3, a4);
            case SHUTDOWN -> sockets.shutdown((int) a0, (int) a1);
            case SENDMSG -> sockets.sendmsg((int) a0, a1, (int) a2);
            case RECVMSG -> sockets.recvmsg((int) a0, a1, (int) a2);
            case SENDMMSG -> sockets.sendmmsg((int) a0, a1, (int) a2, (int) a3);
            case RECVMMSG -> sockets.recvmmsg((int) a0, a1, (int) a2, (int) a3, a4);
            case GETITIMER -> itimers.getitimer((int) a0, a1);
            case SETITIMER -> itimers.setitimer((int) a0, a1, a2);
            case GETRUSAGE -> usage.getrusage((int) a0, a1);
            case TIMES -> usage.times(a0);
            case SYSLOG -> syslog.syslog((int) a0, a1, (int) a2);
            // time
            case CLOCK_GETTIME -> time.clockGettime((int) a0, a1);
            case CLOCK_GETRES -> time.clockGetres((int) a0, a1);
            case GETTIMEOFDAY -> time.gettimeofday(a0, a1);
            case NANOSLEEP -> time.nanosleep(a0, a1);
            case CLOCK_NANOSLEEP -> time.clockNanosleep((int) a0, (int) a1, a2, a3);
            case TIMER_CREATE -> posixTimers.timerCreate((int) a0, a1, a2);
            case TIMER_SETTIME -> posixTimers.timerSettime((int) a0, (int) a1, a2, a3);
            case TIMER_GETTIME -> posixTimers.timerGettime((int) a0, a1);
            case TIMER_GETOVERRUN -> posixTimers.timerGetoverrun((int) a0);
            case TIMER_DELETE -> posixTimers.timerDelete((int) a0);
            case ADJTIMEX -> clockAdjust.adjtimex(a0);
            case CLOCK_ADJTIME -> clockAdjust.clockAdjtime((int) a0, a1);
            default -> {
                int refusal = SyscallStatus.refusal(nr);
                yield refusal != 0 ? -refusal : notImplemented(nr);
            }
        };
    }

    /**
     * ENOSYS, with one notice per number in the kernel log (what qemu's {@code -d unimp}
     * reports; {@code run --log unimp} copies these notices to stderr). A process built alone
     * has no kernel log: its notices go to the diagnostics stream.
     */
    private long notImplemented(int nr) {
        if (reportedUnimplemented.add(nr)) {
            String notice = unimplementedNotice(nr);
            if (process.kernel != null) {
                process.kernel.kernelLog().log(KernelLog.NOTICE, notice);
            } else {
                diagnostics.println(notice);
                diagnostics.flush();
            }
        }
        return -Errno.ENOSYS;
    }

    private static final String UNIMPLEMENTED_PREFIX = "a64emu: syscall ";
    private static final String UNIMPLEMENTED_SUFFIX = " not implemented, returning -ENOSYS";

    /** The notice for system call {@code nr}: "a64emu: syscall 293 (rseq) not implemented, returning -ENOSYS". */
    public static String unimplementedNotice(int nr) {
        String name = SyscallNumbers.name(nr);
        return UNIMPLEMENTED_PREFIX + nr + (name == null ? "" : " (" + name + ")") + UNIMPLEMENTED_SUFFIX;
    }

    /** Whether a kernel log line is an {@link #unimplementedNotice} (what {@code --log unimp} shows). */
    public static boolean isUnimplementedNotice(String text) {
        return text.startsWith(UNIMPLEMENTED_PREFIX) && text.endsWith(UNIMPLEMENTED_SUFFIX);
    }
}
