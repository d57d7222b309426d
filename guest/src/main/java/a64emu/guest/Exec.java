package a64emu.guest;

import a64emu.cpu.Cpu;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.loader.ElfFile;
import a64emu.guest.loader.ElfFormatException;
import a64emu.guest.loader.ElfLoader;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.loader.LoadedImage;
import a64emu.guest.loader.Vdso;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.mm.OutOfFramesException;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.VmLayout;
import a64emu.guest.signal.SignalInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Building a new program image, Linux {@code fs/exec.c} with {@code fs/binfmt_elf.c}: a fresh
 * address space with its own ASID, the ELF segments, for a dynamically linked program its
 * interpreter (PT_INTERP, looked up through the sysroot), [vvar] and [vdso] and the initial
 * stack. Used for the first process and by execve.
 */
public final class Exec {
    private Exec() {}

    /** Why an image could not be built: the errno execve returns, and words for the first run. */
    static final class ExecFailure extends Exception {
        final int errno;

        ExecFailure(int errno, String message) {
            super(message);
            this.errno = errno;
        }
    }

    /**
     * A loaded program: its address space and fault handler, where it starts (the
     * interpreter's entry for a dynamically linked program), and the interpreter's open file
     * (null for a static program), one reference of which the caller owns.
     */
    record Image(AddressSpace mm, FaultHandler faults, UserMemory user, long entry, long sp, long vdsoSigreturn,
                 OpenFile interpreter) {}

    /** What to install when no interpreter is found (Debian's cross libc). */
    static final String CROSS_LIBC_HINT = "apt-get install libc6-arm64-cross";

    /**
     * Loads {@code exe} for the first process, opening its interpreter in the kernel's file
     * system, with init's limits and personality.
     */
    static Image load(Kernel kernel, OpenFile exe, String execfn, List<String> argv, List<String> envp,
                      InitialStack.Credentials credentials, SplittableRandom random) throws ExecFailure {
        return load(kernel, kernel.fileSystem(), exe, execfn, argv, envp, credentials, random,
                VmLayout.RLIMIT_STACK, 0);
    }

    /**
     * Loads {@code exe} into a new address space, its interpreter opened in {@code fs}. Before
     * the point of no return nothing of the caller changes; a failure releases what was built.
     * {@code stackLimit} is RLIMIT_STACK as the exec found it ({@code bprm->rlim_stack}) and
     * {@code personality} the caller's: together with {@code --no-aslr} they choose the
     * layout (load_elf_binary sets PF_RANDOMIZE unless ADDR_NO_RANDOMIZE; mmap_is_legacy).
     */
    static Image load(Kernel kernel, FileSystem fs, OpenFile exe, String execfn, List<String> argv,
                      List<String> envp, InitialStack.Credentials credentials, SplittableRandom random,
                      long stackLimit, int personality) throws ExecFailure {
        String configuredSysroot = kernel.config().sysroot();
        if (configuredSysroot != null && fs.sysroot() == null) {
            try {
                fs.setSysroot(configuredSysroot);
            } catch (ErrnoException e) {
                throw new ExecFailure(e.errno(), "sysroot " + configuredSysroot + ": " + Kernel.strerror(e.errno()));
            }
        }
        boolean randomize = kernel.config().aslr() && (personality & Process.ADDR_NO_RANDOMIZE) == 0;
        VmLayout layout = VmLayout.create(kernel.config().vaBits(), randomize ? random : null, stackLimit,
                (personality & Process.ADDR_COMPAT_LAYOUT) != 0);
        OpenFilePages exePages = new OpenFilePages(exe);
        ElfFile elf;
        try {
            elf = ElfFile.read(exePages, layout.taskSize());
        } catch (ElfFormatException e) {
            throw new ExecFailure(Errno.ENOEXEC, e.getMessage());
        }
        OpenFile interp = null;
        ElfFile interpElf = null;
        if (elf.interpreter() != null) {
            interp = openInterpreter(fs, elf.interpreter());
            try {
                interpElf = ElfFile.read(new OpenFilePages(interp), layout.taskSize());
            } catch (ElfFormatException e) {
                interp.release();
                // load_elf_binary says ELIBBAD for an interpreter that is not an AArch64 ELF
                // file; Errno has no ELIBBAD, and the shell's status (126) is the same.
                throw new ExecFailure(Errno.ENOEXEC, "interpreter " + interp.guestPath() + ": " + e.getMessage());
            }
        }
        try {
            return load(kernel, exe, exePages, elf, interp, interpElf, layout, execfn, argv, envp, credentials,
                    random);
        } catch (ExecFailure | RuntimeException e) {
            if (interp != null) {
                interp.release();
            }
            throw e;
        }
    }

    private static Image load(Kernel kernel, OpenFile exe, OpenFilePages exePages, ElfFile elf, OpenFile interp,
                              ElfFile interpElf, VmLayout layout, String execfn, List<String> argv,
                              List<String> envp, InitialStack.Credentials credentials, SplittableRandom random)
            throws ExecFailure {
        int asid = kernel.asids().allocate(kernel.mmu());
        PageTables pt;
        try {
            pt = new PageTables(kernel.frames(), kernel.mmu(), kernel.config().vaBits(), asid);
        } catch (OutOfFramesException e) {
            kernel.asids().free(asid);
            throw new ExecFailure(Errno.ENOMEM, e.getMessage());
        }
        AddressSpace mm = new AddressSpace(pt, layout);
        FaultHandler faults = new FaultHandler(mm, kernel.frames(), kernel.mmu());
        UserMemory user = new UserMemory(kernel.mmu(), faults);
        // The new tables must be the live ones while the kernel writes the stack through the MMU.
        kernel.installAddressSpace(pt);
        try {
            LoadedImage image = ElfLoader.load(elf, exePages, exe.guestPath(), mm);
            mm.setStartBrk(image.startBrk());
            long start = image.entry();
            if (interp != null) {
                long bias = ElfLoader.loadInterpreter(interpElf, new OpenFilePages(interp), interp.guestPath(), mm);
                start = interpElf.entry() + bias;
                image = image.withInterpreterBase(interpElf.type() == ElfFile.ET_DYN ? bias : 0);
            }
            long vdso = Vdso.map(mm);
            byte[] randomBytes = new byte[16];
            random.nextBytes(randomBytes);
            InitialStack.Layout stack = InitialStack.build(mm, user, image, argv, envp, execfn, randomBytes,
                    credentials, vdso);
            return new Image(mm, faults, user, start, stack.sp(), vdso + Vdso.SIGRETURN_OFFSET, interp);
        } catch (BadUserAddressException e) {
            SignalInfo kill = user.takePendingKill();
            discard(kernel, mm);
            throw new ExecFailure(Errno.ENOMEM, kill != null ? kill.detail()
                    : "the initial stack cannot be written: " + e.getMessage());
        } catch (OutOfFramesException | ElfFormatException e) {
            discard(kernel, mm);
            throw new ExecFailure(Errno.ENOMEM, e.getMessage());
        }
    }

    /**
     * Opens the interpreter PT_INTERP names, as open_exec in load_elf_binary, through the
     * sysroot: the configured one ({@code --sysroot}, already set on {@code fs}), else the
     * path itself, else the path below {@link KernelConfig#DEFAULT_SYSROOT}, which then becomes the sysroot for the
     * libraries the interpreter opens (as qemu-aarch64 -L). ENOENT (the shell's 127) with
     * what to install when none has it.
     */
    static OpenFile openInterpreter(FileSystem fs, String path) throws ExecFailure {
        ErrnoException notFound;
        try {
            return fs.openForExec(path);
        } catch (ErrnoException e) {
            notFound = e;
        }
        if (notFound.errno() == Errno.ENOENT && fs.sysroot() == null) {
            try {
                fs.setSysroot(KernelConfig.DEFAULT_SYSROOT);
                return fs.openForExec(path);
            } catch (ErrnoException e) {
                try {
                    fs.setSysroot(null);
                } catch (ErrnoException cannot) {
                    throw new AssertionError(cannot);
                }
            }
        }
        if (notFound.errno() != Errno.ENOENT && notFound.errno() != Errno.ENOTDIR) {
            throw new ExecFailure(notFound.errno(), "interpreter " + path + ": " + Kernel.strerror(notFound.errno()));
        }
        String where = fs.sysroot() != null ? "in the sysroot " + fs.sysroot() + " or at its own path"
                : "at its own path or in " + KernelConfig.DEFAULT_SYSROOT;
        throw new ExecFailure(Errno.ENOENT, "dynamically linked, and its interpreter " + path + " is not found "
                + where + "; install Debian's AArch64 libc (" + CROSS_LIBC_HINT
                + ") or pass --sysroot DIR with one");
    }

    /** Linux PATH_MAX and MAX_ARG_STRLEN (32 pages). */
    static final int PATH_MAX = 4096;
    static final int MAX_ARG_STRLEN = 32 * 4096;
    /** ARG_MAX: the room for arguments even the smallest RLIMIT_STACK allows (32 pages). */
    static final long ARG_MAX = 32 * 4096;

    /**
     * Linux {@code bprm_stack_limits}: the room for argv and envp (pointers and strings) is a
     * quarter of RLIMIT_STACK (unsigned, so RLIM_INFINITY is huge), at most three quarters of
     * _STK_LIM and at least ARG_MAX.
     */
    static long argumentLimit(long stackLimit) {
        long limit = VmLayout.RLIMIT_STACK / 4 * 3; // _STK_LIM, the default RLIMIT_STACK
        if (Long.compareUnsigned(Long.divideUnsigned(stackLimit, 4), limit) < 0) {
            limit = Long.divideUnsigned(stackLimit, 4);
        }
        return Math.max(limit, ARG_MAX);
    }

    /**
     * execve(path, argv, envp): the calling thread's process gets a new program under the
     * same pid. Errors before the point of no return leave the caller as it was; after it
     * (Linux begin_new_exec) the other threads are gone, the old address space released,
     * close-on-exec descriptors closed, caught signals reset to their default (ignored ones
     * stay ignored, the mask and pending signals are kept), and a vfork parent let go.
     */
    public static long execve(Kernel kernel, Task caller, long pathPtr, long argvPtr, long envpPtr)
            throws BadUserAddressException {
        Process old = caller.process;
        String path = old.user.readCString(pathPtr, PATH_MAX - 1);
        if (path == null) {
            return -Errno.ENAMETOOLONG;
        }
        Arguments a = readArguments(old, argvPtr, envpPtr, path);
        if (a == null) {
            return -Errno.E2BIG;
        }
        OpenFile exe;
        try {
            exe = old.files.fileSystem().openForExec(path);
        } catch (ErrnoException e) {
            return -e.errno();
        }
        return run(kernel, caller, exe, path, exe.guestPath(), a.argv(), a.envp());
    }

    /** The argument and environment strings execve copied. */
    private record Arguments(List<String> argv, List<String> envp) {}

    /**
     * Copies argv and envp; null when they do not fit the room RLIMIT_STACK gives them
     * (bprm_stack_limits, E2BIG): the pointers take their room first, then the file name, the
     * strings and the NULL word at the top must fit in what is left.
     */
    private static Arguments readArguments(Process old, long argvPtr, long envpPtr, String filename)
            throws BadUserAddressException {
        long argLimit = argumentLimit(old.limits[Process.RLIMIT_STACK][0]);
        long[] total = {0};
        List<String> argv = readStrings(old.user, argvPtr, total, argLimit);
        List<String> envp = argv == null ? null : readStrings(old.user, envpPtr, total, argLimit);
        if (argv == null || envp == null) {
            return null;
        }
        long pointers = (long) (Math.max(argv.size(), 1) + envp.size()) * 8;
        long strings = total[0] + filename.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1 + 8;
        return argLimit <= pointers || strings > argLimit - pointers ? null : new Arguments(argv, envp);
    }

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_EMPTY_PATH = 0x1000;

    /**
     * execveat(dirfd, path, argv, envp, flags) (Linux do_execveat_common, do_open_execat): the
     * path from {@code dirfd}, or with AT_EMPTY_PATH and "" the file open on {@code dirfd}
     * itself (fexecve); a last symbolic link with AT_SYMLINK_NOFOLLOW is ELOOP. The program's
     * name (AT_EXECFN and the command name's source) is "/dev/fd/N" or "/dev/fd/N/path" when
     * the file is named through a descriptor, as Linux's bprm->filename.
     */
    public static long execveat(Kernel kernel, Task caller, int dirfd, long pathPtr, long argvPtr, long envpPtr,
                                int flags) throws BadUserAddressException {
        Process old = caller.process;
        String path = old.user.readCString(pathPtr, PATH_MAX - 1);
        if (path == null) {
            return -Errno.ENAMETOOLONG;
        }
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) == 0) {
            return -Errno.ENOENT; // getname_flags
        }
        String filename = path.isEmpty() ? "/dev/fd/" + dirfd
                : path.startsWith("/") || dirfd == AT_FDCWD ? path : "/dev/fd/" + dirfd + "/" + path;
        Arguments a = readArguments(old, argvPtr, envpPtr, filename);
        if (a == null) {
            return -Errno.E2BIG;
        }
        List<String> argv = a.argv();
        List<String> envp = a.envp();
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            return -Errno.EINVAL;
        }
        OpenFile exe;
        String execfn;
        try {
            if (path.isEmpty()) {
                exe = old.files.openForExecAt(dirfd);
                execfn = "/dev/fd/" + dirfd;
            } else {
                exe = old.files.openForExecAt(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0);
                execfn = dirfd == AT_FDCWD || path.startsWith("/") ? path : "/dev/fd/" + dirfd + "/" + path;
            }
        } catch (ErrnoException e) {
            return -e.errno();
        }
        return run(kernel, caller, exe, execfn, execfn, argv, envp);
    }

    /** The exec itself once the program is open: {@code exe}'s one reference is the caller's, released here. */
    private static long run(Kernel kernel, Task caller, OpenFile exe, String path, String commFrom, List<String> argv,
                            List<String> envp) {
        Process old = caller.process;
        try {
            Image image;
            try {
                image = load(kernel, old.files.fileSystem(), exe, path, argv, envp, old.credentials, old.random,
                        old.limits[Process.RLIMIT_STACK][0], old.personality);
            } catch (ExecFailure e) {
                kernel.installAddressSpace(old.mm.pageTables());
                return -e.errno;
            }
            // The point of no return.
            Cpu cpu = new Cpu(caller.cpu.mmu, caller.cpu.decoder(), caller.cpu.ids());
            cpu.setEngine(caller.cpu.engine());
            Process fresh = new Process(old.pid, old.initialPpid(), old.credentials, cpu, image.mm(), old.frames,
                    image.faults(), image.user(), old.files.copyForExec(exe.guestPath()), old.signals.forExec(),
                    old.random, old.limits);
            fresh.setVdsoSigreturn(image.vdsoSigreturn());
            fresh.setComm(commFrom);
            fresh.setOomScoreAdj(old.oomScoreAdj());
            fresh.forkPrctlState(old, true);
            fresh.setOomScoreAdjMin(old.oomScoreAdjMin());
            fresh.keepMappedFile(exe);
            if (image.interpreter() != null) {
                fresh.keepMappedFile(image.interpreter());
                image.interpreter().release();
            }
            fresh.exitSignal = old.exitSignal;
            fresh.pgid = old.pgid;
            fresh.sid = old.sid;
            fresh.personality = old.personality;
            fresh.leader().sched.copyFrom(caller.sched);
            fresh.startBoottimeNanos = old.startBoottimeNanos;
            fresh.capInheritable = old.capInheritable;
            fresh.sharedPending.addAll(old.sharedPending);
            Task leader = fresh.leader();
            leader.setBlocked(caller.blocked());
            leader.seccomp = caller.seccomp.copy(); // the filters survive execve
            leader.pending.addAll(caller.pending);
            Process parent = old.parent();
            if (parent != null) {
                fresh.setParent(parent);
                int at = parent.children().indexOf(old);
                if (at >= 0) {
                    parent.children().set(at, fresh);
                } else {
                    parent.children().add(fresh);
                }
            }
            for (Process child : old.children()) {
                child.setParent(fresh);
                fresh.children().add(child);
            }
            old.children().clear();
            fresh.syscalls = new a64emu.guest.syscall.Syscalls(fresh, kernel.diagnostics());
            kernel.replaceByExec(old, fresh);
            Exit.releaseVforkParent(old);
            cpu.sp = image.sp();
            cpu.pc = image.entry();
            kernel.events().execed(old, fresh);
            return 0;
        } finally {
            exe.release();
        }
    }

    /**
     * A NULL-terminated array of string pointers (argv, envp); a NULL array is empty, as
     * Linux accepts it. Null (E2BIG) if a string is longer than MAX_ARG_STRLEN or the
     * running {@code total} of bytes with terminators and pointers passes {@code argMax}.
     */
    private static List<String> readStrings(UserMemory user, long array, long[] total, long argMax)
            throws BadUserAddressException {
        List<String> out = new ArrayList<>();
        if (array == 0) {
            return out;
        }
        for (long p = array; ; p += 8) {
            long s = user.read64(p);
            if (s == 0) {
                return out;
            }
            String str = user.readCString(s, MAX_ARG_STRLEN - 1);
            if (str == null) {
                return null;
            }
            out.add(str);
            total[0] += str.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
            if (total[0] > argMax) {
                return null;
            }
        }
    }

    private static void discard(Kernel kernel, AddressSpace mm) {
        int asid = mm.pageTables().asid();
        mm.release();
        kernel.asids().free(asid);
    }
}
