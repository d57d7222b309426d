package a64emu.bench;

import a64emu.guest.Errno;
import a64emu.guest.loader.ElfFile;
import a64emu.guest.loader.ElfFormatException;
import a64emu.guest.loader.ProgramHeader;
import a64emu.guest.mm.PageSource;
import a64emu.guest.syscall.SyscallNumbers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import unicorn.Arm64Const;
import unicorn.InterruptHook;
import unicorn.Unicorn;
import unicorn.UnicornConst;

/**
 * Runs one freestanding benchmark program (no C library, see {@code programs/src/nolibc.h})
 * on Unicorn 1.0.14 in this process: the speed benchmark's soft-MMU peer. Unicorn has no
 * operating system, so this class is a minimal one: it maps the ELF's PT_LOAD segments and
 * a stack with argc and argv, and serves from the SVC interrupt hook the five system calls
 * those programs make: write to stdout and stderr, exit_group, clock_gettime (the host's
 * clocks, as a64emu and qemu-aarch64 answer it), and anonymous mmap and munmap.
 *
 * <p>Unicorn starts at EL1 with the MMU off and FP/SIMD trapped (CPACR_EL1.FPEN opened
 * here, since gcc vectorises some of the loops); its flat memory is the guest's address
 * space. No code or memory hook is installed, so the guest runs at Unicorn's full speed.
 */
final class UnicornRun {
    /** QEMU 2.2 target-arm's EXCP_SWI: an SVC, as the interrupt hook reports it. */
    private static final int EXCP_SWI = 2;
    private static final long PAGE = 4096;
    private static final long CPACR_FPEN = 3L << 20;
    private static final long STACK_TOP = 0x7f00_0000L;
    private static final long STACK_SIZE = 1L << 20;
    /** Anonymous mappings go upward from here, one after the other (never reused). */
    private static final long MMAP_BASE = 0x1_0000_0000L;
    /** Never reached: runs end at exit_group's emu_stop. */
    private static final long NO_END = -4L;
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_MONOTONIC = 1;

    /** What the program printed on stdout, its exit status, and this run's wall time. */
    record Result(String stdout, int status, long wallNanos) {
    }

    private final StringBuilder stdout = new StringBuilder();
    private long mmapNext = MMAP_BASE;
    private int status = -1;
    private RuntimeException failure;

    private UnicornRun() {
    }

    /** Runs {@code program} with argv = {program}; the wall time covers engine, load and run. */
    static Result run(Path program) {
        byte[] image;
        try {
            image = Files.readAllBytes(program);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long t0 = System.nanoTime();
        UnicornRun r = new UnicornRun();
        Unicorn u = new Unicorn(UnicornConst.UC_ARCH_ARM64, UnicornConst.UC_MODE_ARM);
        try {
            long entry = r.load(u, image, program);
            u.hook_add((InterruptHook) (uc, intno, user) -> r.interrupt(uc, intno), null);
            u.emu_start(entry, NO_END, 0, 0);
        } finally {
            u.closeAll();
        }
        long wall = System.nanoTime() - t0;
        if (r.failure != null) {
            throw r.failure;
        }
        if (r.status < 0) {
            throw new IllegalStateException(program + " on Unicorn: stopped without exit_group");
        }
        return new Result(r.stdout.toString(), r.status, wall);
    }

    /** Maps the segments and the stack and sets the registers; returns the entry point. */
    private long load(Unicorn u, byte[] image, Path program) {
        ElfFile elf;
        try {
            elf = ElfFile.read(new BytesSource(image), 1L << 48);
        } catch (ElfFormatException e) {
            throw new IllegalArgumentException(program + ": " + e.getMessage(), e);
        }
        if (elf.interpreter() != null) {
            throw new IllegalArgumentException(program + ": dynamically linked; Unicorn runs static programs only");
        }
        // One region over all segments: in these small programs they lie within a few pages.
        long low = Long.MAX_VALUE;
        long high = 0;
        for (ProgramHeader p : elf.loadSegments()) {
            low = Math.min(low, p.vaddr() & -PAGE);
            high = Math.max(high, (p.vaddr() + p.memsz() + PAGE - 1) & -PAGE);
        }
        u.mem_map(low, high - low, UnicornConst.UC_PROT_ALL);
        for (ProgramHeader p : elf.loadSegments()) {
            if (p.filesz() > 0) {
                byte[] bytes = new byte[(int) p.filesz()];
                System.arraycopy(image, (int) p.offset(), bytes, 0, bytes.length);
                u.mem_write(p.vaddr(), bytes);
            }
        }
        // The initial stack as Linux lays it out: argc, argv[0], NULL, envp NULL, auxv AT_NULL.
        u.mem_map(STACK_TOP - STACK_SIZE, STACK_SIZE, UnicornConst.UC_PROT_READ | UnicornConst.UC_PROT_WRITE);
        byte[] name = (program.getFileName() + "\0").getBytes(StandardCharsets.UTF_8);
        long nameAt = STACK_TOP - 256;
        u.mem_write(nameAt, name);
        long sp = nameAt - 64;
        byte[] frame = new byte[48];
        putLong(frame, 0, 1);
        putLong(frame, 8, nameAt);
        u.mem_write(sp, frame);
        write64(u, Arm64Const.UC_ARM64_REG_SP, sp);
        write64(u, Arm64Const.UC_ARM64_REG_CPACR_EL1, CPACR_FPEN);
        return elf.entry();
    }

    private void interrupt(Unicorn u, int intno) {
        try {
            if (intno != EXCP_SWI) {
                throw new IllegalStateException(String.format("guest exception %d at pc 0x%x", intno,
                        read64(u, Arm64Const.UC_ARM64_REG_PC)));
            }
            long nr = read64(u, Arm64Const.UC_ARM64_REG_X8);
            long a0 = read64(u, Arm64Const.UC_ARM64_REG_X0);
            long a1 = read64(u, Arm64Const.UC_ARM64_REG_X1);
            long a2 = read64(u, Arm64Const.UC_ARM64_REG_X2);
            write64(u, Arm64Const.UC_ARM64_REG_X0, syscall(u, (int) nr, a0, a1, a2));
        } catch (RuntimeException e) {
            failure = e;
            u.emu_stop();
        }
    }

    private long syscall(Unicorn u, int nr, long a0, long a1, long a2) {
        switch (nr) {
            case SyscallNumbers.WRITE -> {
                String text = new String(u.mem_read(a1, a2), StandardCharsets.UTF_8);
                if (a0 == 1) {
                    stdout.append(text);
                } else if (a0 == 2) {
                    System.err.print(text);
                } else {
                    return -Errno.EBADF;
                }
                return a2;
            }
            case SyscallNumbers.EXIT_GROUP -> {
                status = (int) a0 & 0xff;
                u.emu_stop();
                return 0;
            }
            case SyscallNumbers.CLOCK_GETTIME -> {
                long ns;
                if (a0 == CLOCK_MONOTONIC) {
                    ns = System.nanoTime(); // CLOCK_MONOTONIC on Linux
                } else if (a0 == CLOCK_REALTIME) {
                    Instant now = Instant.now();
                    ns = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                } else {
                    return -Errno.EINVAL;
                }
                byte[] ts = new byte[16];
                putLong(ts, 0, ns / 1_000_000_000L);
                putLong(ts, 8, ns % 1_000_000_000L);
                u.mem_write(a1, ts);
                return 0;
            }
            case SyscallNumbers.MMAP -> {
                // Only what the programs ask for: fresh anonymous read-write memory, zero-filled.
                long length = (a1 + PAGE - 1) & -PAGE;
                if (length <= 0) {
                    return -Errno.EINVAL;
                }
                long at = mmapNext;
                u.mem_map(at, length, UnicornConst.UC_PROT_READ | UnicornConst.UC_PROT_WRITE);
                mmapNext += length + PAGE;
                return at;
            }
            case SyscallNumbers.MUNMAP -> {
                u.mem_unmap(a0, (a1 + PAGE - 1) & -PAGE);
                return 0;
            }
            default -> throw new IllegalStateException("system call " + nr + " is not served on Unicorn");
        }
    }

    /** The ELF image in memory, as the guest's ELF reader reads files. */
    private record BytesSource(byte[] bytes) implements PageSource {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public int readAt(long pos, byte[] dst, int off, int len) {
            if (pos >= bytes.length) {
                return 0;
            }
            int n = (int) Math.min(len, bytes.length - pos);
            System.arraycopy(bytes, (int) pos, dst, off, n);
            return n;
        }
    }

    /*
     * Registers move as little-endian bytes: the binding's Number forms crashed the JVM in
     * reg_read_num once hooks were installed (see difftest's UnicornRunner).
     */
    @SuppressWarnings("deprecation")
    private static void write64(Unicorn u, int register, long value) {
        byte[] b = new byte[8];
        putLong(b, 0, value);
        u.reg_write(register, b);
    }

    @SuppressWarnings("deprecation")
    private static long read64(Unicorn u, int register) {
        byte[] b = u.reg_read(register, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
