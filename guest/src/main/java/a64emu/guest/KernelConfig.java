package a64emu.guest;

import a64emu.guest.lmk.LmkConfig;
import a64emu.jit.JitOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the guest kernel is set up for one run.
 *
 * @param ramBytes emulated physical RAM size (a multiple of 4 KiB); backed lazily
 * @param vaBits   user virtual address size: 39 (T0SZ=25, 3 levels) or 48 (T0SZ=16, 4 levels)
 * @param root     the directory the guest sees as "/", with chroot semantics; null gives the
 *                 guest the host file system, as qemu-aarch64 does
 * @param stdin    what the guest reads on fd 0
 * @param stdout   where the guest's fd 1 goes
 * @param stderr   where the guest's fd 2 and the kernel's diagnostics go
 * @param seed     the seed of the kernel's one PRNG, from which every random choice is drawn
 *                 (address-space layout, AT_RANDOM, getrandom, scheduling): the same seed
 *                 gives the same run. Default {@link #DEFAULT_SEED}, fixed, because users of
 *                 an emulator expect a run to be reproducible unless they ask otherwise
 * @param aslr     whether the address-space layout is randomised (Linux randomize_va_space=2);
 *                 false is {@code --no-aslr}, like {@code setarch -R} (ADDR_NO_RANDOMIZE)
 * @param memory   swap and reclaim settings
 * @param sysroot  where a dynamically linked program's interpreter and libraries are looked
 *                 up first ({@code --sysroot}, qemu-aarch64's {@code -L}): a guest path,
 *                 inside {@code root} when there is one; null for the default (the
 *                 interpreter's own path, else {@link #DEFAULT_SYSROOT})
 * @param jit      the JIT's settings ({@code --engine jit}), or null to interpret every
 *                 instruction ({@code --engine interp})
 */
public record KernelConfig(long ramBytes, int vaBits, Path root,
                           InputStream stdin, OutputStream stdout, OutputStream stderr,
                           long seed, boolean aslr, Memory memory, String sysroot, JitOptions jit) {
    /** Debian's cross libc (libc6-arm64-cross): the sysroot tried when none is given. */
    public static final String DEFAULT_SYSROOT = "/usr/aarch64-linux-gnu";

    /** A configuration with the default sysroot lookup, interpreted. */
    public KernelConfig(long ramBytes, int vaBits, Path root, InputStream stdin, OutputStream stdout,
                        OutputStream stderr, long seed, boolean aslr, Memory memory) {
        this(ramBytes, vaBits, root, stdin, stdout, stderr, seed, aslr, memory, null, null);
    }

    /**
     * How memory under pressure is set up.
     *
     * @param zramBytes          zram0's disksize, the swap area; 0 for no swap; negative for the
     *                           default, 75% of RAM (the Android emulator's and Cuttlefish's
     *                           {@code zramsize=75%})
     * @param swappiness         vm.swappiness, 0..200 (Linux's default 60)
     * @param hardwareAccessFlag TCR_EL1.HA: the MMU sets the access flag itself (FEAT_HAFDBS)
     *                           instead of taking Access flag faults
     * @param lmk                the low memory killer daemon: lmkd's PSI policy (Android's
     *                           default), its minfree policy, or none ({@code --lmk})
     */
    public record Memory(long zramBytes, int swappiness, boolean hardwareAccessFlag, LmkConfig lmk) {
        public static final Memory DEFAULT = new Memory(-1, 60, false, LmkConfig.DEFAULT);
        /** Android's fstab zramsize=75%. */
        public static final int DEFAULT_ZRAM_PERCENT = 75;

        public Memory {
            if (swappiness < 0 || swappiness > 200) {
                throw new IllegalArgumentException("swappiness must be 0..200, not " + swappiness);
            }
            Objects.requireNonNull(lmk, "lmk");
        }

        /** Swap and reclaim settings with lmkd's default policy. */
        public Memory(long zramBytes, int swappiness, boolean hardwareAccessFlag) {
            this(zramBytes, swappiness, hardwareAccessFlag, LmkConfig.DEFAULT);
        }

        public Memory withZram(long bytes) {
            return new Memory(bytes, swappiness, hardwareAccessFlag, lmk);
        }

        public Memory withSwappiness(int value) {
            return new Memory(zramBytes, value, hardwareAccessFlag, lmk);
        }

        public Memory withHardwareAccessFlag(boolean on) {
            return new Memory(zramBytes, swappiness, on, lmk);
        }

        public Memory withLmk(LmkConfig value) {
            return new Memory(zramBytes, swappiness, hardwareAccessFlag, value);
        }
    }

    public KernelConfig(long ramBytes, int vaBits, Path root, InputStream stdin, OutputStream stdout,
                        OutputStream stderr, long seed, boolean aslr) {
        this(ramBytes, vaBits, root, stdin, stdout, stderr, seed, aslr, Memory.DEFAULT);
    }

    public static final long DEFAULT_RAM = 1L << 30;
    public static final int DEFAULT_VA_BITS = 48;
    /** The default seed: fixed (the bytes "a64emu"), so that runs are reproducible. */
    public static final long DEFAULT_SEED = 0x6136_3465_6d75L;

    public KernelConfig {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(memory, "memory");
        if (vaBits != 39 && vaBits != 48) {
            throw new IllegalArgumentException("--va-bits must be 39 or 48, not " + vaBits);
        }
        if (ramBytes < (16L << 20) || (ramBytes & 0xFFF) != 0) {
            throw new IllegalArgumentException("RAM must be at least 16 MiB and a multiple of 4 KiB: " + ramBytes);
        }
    }

    /** The host's standard streams, 1 GiB of RAM, 48-bit VA, the host file system, the default seed, ASLR on. */
    public static KernelConfig defaults() {
        return new KernelConfig(DEFAULT_RAM, DEFAULT_VA_BITS, null, System.in, System.out, System.err,
                DEFAULT_SEED, true, Memory.DEFAULT);
    }

    public KernelConfig withRam(long bytes) {
        return new KernelConfig(bytes, vaBits, root, stdin, stdout, stderr, seed, aslr, memory, sysroot, jit);
    }

    public KernelConfig withVaBits(int bits) {
        return new KernelConfig(ramBytes, bits, root, stdin, stdout, stderr, seed, aslr, memory, sysroot, jit);
    }

    public KernelConfig withRoot(Path dir) {
        return new KernelConfig(ramBytes, vaBits, dir, stdin, stdout, stderr, seed, aslr, memory, sysroot, jit);
    }

    public KernelConfig withStreams(InputStream in, OutputStream out, OutputStream err) {
        return new KernelConfig(ramBytes, vaBits, root, in, out, err, seed, aslr, memory, sysroot, jit);
    }

    public KernelConfig withSeed(long value) {
        return new KernelConfig(ramBytes, vaBits, root, stdin, stdout, stderr, value, aslr, memory, sysroot, jit);
    }

    public KernelConfig withMemory(Memory m) {
        return new KernelConfig(ramBytes, vaBits, root, stdin, stdout, stderr, seed, aslr, m, sysroot, jit);
    }

    /**
     * zram0's disksize in bytes, page aligned: the configured size, or 75% of RAM by
     * default (fs_mgr's percentage of the physical pages, rounded down to pages).
     */
    public long zramBytes() {
        long bytes = memory.zramBytes() >= 0 ? memory.zramBytes()
                : ramBytes / 100 * Memory.DEFAULT_ZRAM_PERCENT + ramBytes % 100 * Memory.DEFAULT_ZRAM_PERCENT / 100;
        return bytes & ~0xFFFL;
    }

    public KernelConfig withAslr(boolean enabled) {
        return new KernelConfig(ramBytes, vaBits, root, stdin, stdout, stderr, seed, enabled, memory, sysroot, jit);
    }

    /** The same configuration with the JIT set up by {@code options}, or interpreted (null). */
    public KernelConfig withJit(JitOptions options) {
        return new KernelConfig(ramBytes, vaBits, root, stdin, stdout, stderr, seed, aslr, memory, sysroot, options);
    }

    /** The same configuration with {@code dir} (a guest path; null: the default lookup) as the sysroot. */
    public KernelConfig withSysroot(String dir) {
        return new KernelConfig(ramBytes, vaBits, root, stdin, stdout, stderr, seed, aslr, memory, dir, jit);
    }
}
