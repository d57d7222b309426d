package a64emu.guest.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import a64emu.guest.Task;
import a64emu.guest.fuzz.A64;
import a64emu.guest.fuzz.FuzzRoot;
import a64emu.guest.fuzz.GuestRun;
import a64emu.guest.fuzz.StaticElf;
import a64emu.guest.mm.MemoryConsistency;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes the system calls as a program makes them: a static program whose code is a series
 * of calls (x0-x5 and x8 set, SVC #0) with random numbers and arguments: pointers into its
 * data, to the edge of a hole (half-mapped buffers), into the hole, to read-only, PROT_NONE,
 * code and kernel addresses; random and huge lengths; random and closed descriptors; path
 * strings (the root is a temporary directory, {@code --root}); random flags. The data page
 * behind some pointers holds the input's bytes (structs: iovecs, sigactions, timespecs...).
 *
 * <p>After every call the result must be a value or -errno (a known errno, 1..133: no
 * kernel-internal code such as -ERESTARTSYS escapes), and {@link MemoryConsistency} must find
 * the page tables, VMAs and frame counts in agreement. The run as a whole must not be an
 * emulator bug (status 134 with "emulator bug": a Java exception in a call).
 *
 * <p>Left out, because they would end or take over the harness rather than return: exit,
 * exit_group, execve, execveat, clone, clone3 (new threads and processes running the
 * harness's code), rt_sigreturn (jumps to whatever the stack holds), kill, tkill, tgkill,
 * rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal (signals to itself, most of them
 * fatal), rt_sigsuspend, pause-like ppoll and pselect6 without a timeout (they sleep until a
 * signal), and setitimer and timer_settime (a periodic signal while every thread sleeps
 * makes the kernel's clock skip forward for ever: the run never ends). A call that blocks
 * for good otherwise (a read of an empty pipe, a futex wait) ends the run as a deadlock
 * (status 137), which is fine: every call before it was checked.
 */
class SyscallFuzzTest {
    private static final FuzzRoot ROOT = new FuzzRoot("syscalls");
    static final long CODE = 0x400000;
    static final long DATA = 0x410000;
    /** Input bytes: the second data page. */
    static final long RANDOM = DATA + 0x1000;
    /** Writable, zero (bss), then a hole. */
    static final long BSS = 0x412000;
    static final long HOLE = 0x413000;
    static final long READ_ONLY = 0x414000;
    static final long PROT_NONE = 0x416000;
    static final int MAX_CALLS = 48;
    static final long BUDGET = 100_000;

    /** Numbers that would end the harness or hang it (see the class comment). */
    static final Set<Integer> EXCLUDED = Set.of(
            SyscallNumbers.EXIT, SyscallNumbers.EXIT_GROUP, SyscallNumbers.EXECVE, 281 /* execveat */,
            SyscallNumbers.CLONE, SyscallNumbers.CLONE3, SyscallNumbers.RT_SIGRETURN,
            SyscallNumbers.KILL, SyscallNumbers.TKILL, SyscallNumbers.TGKILL, SyscallNumbers.RT_SIGQUEUEINFO,
            SyscallNumbers.RT_TGSIGQUEUEINFO, 424 /* pidfd_send_signal */, SyscallNumbers.RT_SIGSUSPEND,
            SyscallNumbers.SETITIMER, 110 /* timer_settime */);

    static final String[] PATHS = {"/prog", ".", "/", "f", "d", "d/f", "..", "", "/proc/self/maps",
        "/proc/self/status", "/proc/self/fd/0", "/proc/self/exe", "/proc/self/mem", "/proc/meminfo", "/dev/null",
        "/dev/zero", "/dev/kmsg", "/sys/kernel/mm/transparent_hugepage/enabled", "/tmp", "f/../g", "/proc/self/root",
        "/proc/self/cwd/f"};

    static final long[] POINTERS = {0, DATA, DATA + 0x800, RANDOM, RANDOM + 0x800, RANDOM + 0xff8, BSS,
        BSS + 0xff0, BSS + 0xfff, HOLE, HOLE - 1, READ_ONLY, READ_ONLY + 0xffc, PROT_NONE, CODE,
        0x1000, 0xffff_8000_0000_0000L, 0x0000_8000_0000_0000L, 0x0000_7fff_ffff_f000L, -1L, -4096L};

    static final long[] LENGTHS = {0, 1, 7, 8, 16, 64, 4096, 4097, 8192, 0x10000, 0x100000, 0x7fff_ffffL,
        0x8000_0000L, 0xffff_ffffL, 1L << 32, 1L << 40, 1L << 47, Long.MAX_VALUE, -1L, -4096L};

    @FuzzTest(maxDuration = "5m")
    void everyCallReturnsAValueOrErrnoAndLeavesMemoryConsistent(FuzzedDataProvider in) {
        byte[] random = in.consumeBytes(4096);
        List<long[]> calls = new ArrayList<>();
        int count = in.consumeInt(1, MAX_CALLS);
        for (int i = 0; i < count && in.remainingBytes() > 0; i++) {
            int nr = in.consumeBoolean() ? in.consumeInt(0, 463) : in.pickValue(COMMON);
            if (EXCLUDED.contains(nr)) {
                continue;
            }
            long[] call = new long[7];
            call[6] = nr;
            for (int a = 0; a < 6; a++) {
                call[a] = argument(in);
            }
            calls.add(call);
        }
        ROOT.clean();
        ROOT.write("f", "a file of the root\n".getBytes(StandardCharsets.UTF_8));
        ROOT.write("d/f", new byte[0]);
        String program = ROOT.write("prog", program(calls, random));
        List<String> problems = new ArrayList<>();
        GuestRun.Result r = GuestRun.run(ROOT.dir(), program, BUDGET, (kernel, t, nr, result) -> {
            if (!problems.isEmpty()) {
                return;
            }
            String what = describe(nr, t);
            if (t.state() != Task.State.BLOCKED && result < 0 && result >= -4095 && -result > 133) {
                problems.add(what + " returned " + result + ", which is no errno");
            }
            for (String p : MemoryConsistency.problems(kernel.frames())) {
                problems.add("after " + what + " = " + result + ": " + p);
            }
        });
        assertFalse(r.emulatorBug(), r.stderr());
        assertEquals(List.of(), problems);
    }

    /** The calls worth more of the fuzzer's time: the implemented ones with arguments to get wrong. */
    static final int[] COMMON = {SyscallNumbers.OPENAT, SyscallNumbers.CLOSE, SyscallNumbers.READ,
        SyscallNumbers.WRITE, SyscallNumbers.READV, SyscallNumbers.WRITEV, SyscallNumbers.PREAD64,
        SyscallNumbers.PWRITE64, SyscallNumbers.LSEEK, SyscallNumbers.FSTAT, SyscallNumbers.NEWFSTATAT,
        SyscallNumbers.GETDENTS64, SyscallNumbers.DUP3, SyscallNumbers.FCNTL, SyscallNumbers.IOCTL,
        SyscallNumbers.MKDIRAT, SyscallNumbers.UNLINKAT, SyscallNumbers.RENAMEAT2, SyscallNumbers.READLINKAT,
        SyscallNumbers.FTRUNCATE, SyscallNumbers.BRK, SyscallNumbers.MMAP, SyscallNumbers.MUNMAP,
        SyscallNumbers.MREMAP, SyscallNumbers.MPROTECT, SyscallNumbers.MADVISE, SyscallNumbers.MSYNC,
        SyscallNumbers.MLOCK, SyscallNumbers.MLOCK2, SyscallNumbers.MUNLOCK, SyscallNumbers.MLOCKALL,
        SyscallNumbers.MINCORE, SyscallNumbers.RT_SIGACTION, SyscallNumbers.RT_SIGPROCMASK,
        SyscallNumbers.SIGALTSTACK, SyscallNumbers.FUTEX, SyscallNumbers.PRLIMIT64, SyscallNumbers.PIPE2,
        SyscallNumbers.PPOLL, SyscallNumbers.PRCTL, SyscallNumbers.GETRANDOM, SyscallNumbers.UNAME,
        SyscallNumbers.WAIT4, SyscallNumbers.CLOCK_GETTIME, SyscallNumbers.NANOSLEEP, SyscallNumbers.RSEQ,
        SyscallNumbers.SET_ROBUST_LIST, SyscallNumbers.GETRUSAGE, SyscallNumbers.SYSLOG, SyscallNumbers.CAPGET};

    private static long argument(FuzzedDataProvider in) {
        return switch (in.consumeInt(0, 7)) {
            case 0 -> in.pickValue(POINTERS) + in.consumeInt(0, 64);
            case 1 -> in.consumeInt(-2, 64);
            case 2 -> in.pickValue(new int[] {-1, 0, 1, 2, 3, 4, 5, 6, 1023, 1024, 1 << 20, -100});
            case 3 -> in.pickValue(LENGTHS);
            case 4 -> in.consumeInt();
            case 5 -> in.consumeLong();
            case 6 -> DATA + 64L * in.consumeInt(0, PATHS.length - 1);
            default -> 0;
        };
    }

    /** The program: the calls in order, then exit_group(0); its data as the class comment says. */
    static byte[] program(List<long[]> calls, byte[] random) {
        List<Integer> code = new ArrayList<>();
        for (long[] call : calls) {
            for (int a = 0; a < 6; a++) {
                A64.movImm64(code, a, call[a]);
            }
            A64.movImm64(code, 8, call[6]);
            code.add(A64.SVC_0);
        }
        A64.movImm64(code, 0, 0);
        A64.movImm64(code, 8, SyscallNumbers.EXIT_GROUP);
        code.add(A64.SVC_0);
        byte[] data = new byte[0x2000];
        ByteBuffer d = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < PATHS.length; i++) {
            byte[] s = PATHS[i].getBytes(StandardCharsets.UTF_8);
            d.put(64 * i, s);
        }
        // At DATA + 0xc00: an iovec array mixing a good buffer, a half-mapped one, one in the
        // hole and a huge one; at 0xd00 a timespec of 1 us; at 0xd40 a full sigset.
        long[] iov = {RANDOM, 16, BSS + 0xff0, 64, HOLE, 8, RANDOM + 0x800, 1 << 20};
        for (int i = 0; i < iov.length; i++) {
            d.putLong(0xc00 + 8 * i, iov[i]);
        }
        d.putLong(0xd00, 0);
        d.putLong(0xd08, 1000);
        d.putLong(0xd40, -1L);
        System.arraycopy(random, 0, data, 0x1000, random.length);
        return new StaticElf(CODE)
                .add(CODE, 5, StaticElf.code(code), 0)
                .add(DATA, 6, data, 0)
                .add(BSS, 6, new byte[0], 0x1000)
                .add(READ_ONLY, 4, new byte[16], 0x1000)
                .add(PROT_NONE, 0, new byte[0], 0x1000)
                .build();
    }

    private static String describe(int nr, Task t) {
        String name = SyscallNumbers.name(nr);
        return (name == null ? "syscall " + nr : name) + " (pid " + t.process.pid + ")";
    }
}
