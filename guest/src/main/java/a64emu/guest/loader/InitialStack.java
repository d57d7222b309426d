package a64emu.guest.loader;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.UserMemory;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack a new program starts on (Linux {@code fs/exec.c setup_arg_pages} and
 * {@code fs/binfmt_elf.c create_elf_tables}). From the top down: a NULL word, the program's
 * file name (AT_EXECFN), the environment and argument strings, then 16-byte aligned the
 * platform string "aarch64", 16 random bytes (AT_RANDOM), and at a 16-byte aligned SP:
 * argc, argv[], NULL, envp[], NULL, the auxiliary vector ending in AT_NULL.
 *
 * <p>The stack is an anonymous VM_GROWSDOWN area; its contents are written through
 * {@link UserMemory}, which faults the pages in like any user access.
 */
public final class InitialStack {
    private InitialStack() {}

    /**
     * The ids of Linux's struct cred: real, effective, saved set- and filesystem user and group
     * ids, and the supplementary groups. AT_UID..AT_EGID are taken from here; the setuid
     * family of system calls replaces a process's whole record, as commit_creds does.
     */
    public record Credentials(long uid, long euid, long suid, long fsuid, long gid, long egid, long sgid, long fsgid,
                              java.util.List<Long> groups) {
        public Credentials {
            groups = java.util.List.copyOf(groups);
        }

        /** A login's ids: the saved and filesystem ids are the effective ones, no supplementary groups. */
        public Credentials(long uid, long euid, long gid, long egid) {
            this(uid, euid, euid, euid, gid, egid, egid, egid, java.util.List.of());
        }
    }

    /** The layout written, for the registers and for tests. */
    public record Layout(long sp, long stackVmaStart, long argvAddr, long envpAddr, long auxvAddr,
                         long execfnAddr, long randomAddr, long platformAddr) {}

    private static final int WORD = 8;

    /**
     * Linux {@code setup_arg_pages}: the stack area covers what the arguments use plus 128 KiB
     * of room, unless that passes RLIMIT_STACK (page-aligned down, unsigned): then it reaches
     * down to the limit only, and never shrinks below what the arguments use.
     */
    static long initialStackStart(long top, long sp, long stackLimit) {
        long used = VmLayout.pageAlign(top - sp);
        long rlimit = stackLimit & VmLayout.PAGE_MASK;
        if (Long.compareUnsigned(used + VmLayout.INITIAL_STACK_EXPANSION, rlimit) > 0) {
            return Math.min(top - used, top - rlimit);
        }
        return top - used - VmLayout.INITIAL_STACK_EXPANSION;
    }

    /** The stack of a process without a vDSO (no AT_SYSINFO_EHDR). */
    public static Layout build(AddressSpace mm, UserMemory user, LoadedImage image, List<String> argv,
                               List<String> envp, String execfn, byte[] random16, Credentials cred)
            throws BadUserAddressException {
        return build(mm, user, image, argv, envp, execfn, random16, cred, 0);
    }

    /**
     * The stack of a process whose [vdso] starts at {@code vdsoBase} (0: none), which arm64's
     * ARCH_DLINFO passes as the first entry of the auxiliary vector, AT_SYSINFO_EHDR.
     */
    public static Layout build(AddressSpace mm, UserMemory user, LoadedImage image, List<String> argv,
                               List<String> envp, String execfn, byte[] random16, Credentials cred,
                               long vdsoBase) throws BadUserAddressException {
        if (random16.length != 16) {
            throw new IllegalArgumentException("AT_RANDOM needs 16 bytes");
        }
        long top = mm.layout().stackTop();

        // Strings, in ascending address order: argv[0..], envp[0..], execfn, NULL word.
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        List<Integer> argOffsets = new ArrayList<>();
        for (String a : argv) {
            argOffsets.add(strings.size());
            putString(strings, a);
        }
        List<Integer> envOffsets = new ArrayList<>();
        for (String e : envp) {
            envOffsets.add(strings.size());
            putString(strings, e);
        }
        int execfnOffset = strings.size();
        putString(strings, execfn);
        byte[] stringBytes = strings.toByteArray();
        long nullWord = top - WORD;
        long stringsStart = nullWord - stringBytes.length;

        long p = stringsStart & ~15L;
        byte[] platform = (AuxVector.PLATFORM + "\0").getBytes(StandardCharsets.US_ASCII);
        long platformAddr = p - platform.length;
        long randomAddr = platformAddr - 16;

        long[] auxv = withVdso(vdsoBase, new long[] {
            AuxVector.AT_MINSIGSTKSZ, AuxVector.MINSIGSTKSZ,
            AuxVector.AT_HWCAP, AuxVector.HWCAP,
            AuxVector.AT_PAGESZ, VmLayout.PAGE_SIZE,
            AuxVector.AT_CLKTCK, AuxVector.CLOCK_TICKS,
            AuxVector.AT_PHDR, image.phdr(),
            AuxVector.AT_PHENT, ElfFile.PHDR_SIZE,
            AuxVector.AT_PHNUM, image.phnum(),
            AuxVector.AT_BASE, image.interpreterBase(),
            AuxVector.AT_FLAGS, 0,
            AuxVector.AT_ENTRY, image.entry(),
            AuxVector.AT_UID, cred.uid(),
            AuxVector.AT_EUID, cred.euid(),
            AuxVector.AT_GID, cred.gid(),
            AuxVector.AT_EGID, cred.egid(),
            AuxVector.AT_SECURE, 0,
            AuxVector.AT_RANDOM, randomAddr,
            AuxVector.AT_HWCAP2, AuxVector.HWCAP2,
            AuxVector.AT_EXECFN, stringsStart + execfnOffset,
            AuxVector.AT_PLATFORM, platformAddr,
            AuxVector.AT_NULL, 0,
        });
        int words = 1 + argv.size() + 1 + envp.size() + 1 + auxv.length;
        long sp = (randomAddr - (long) words * WORD) & ~15L;

        long vmaStart = initialStackStart(top, sp, mm.layout().stackLimit());
        int prot = Mman.PROT_READ | Mman.PROT_WRITE | (image.execStack() ? Mman.PROT_EXEC : 0);
        mm.insert(Vma.anonymous(vmaStart, top, prot, Vma.VM_GROWSDOWN, "[stack]"));
        mm.setStartStack(sp);
        // mm->arg_start..arg_end and env_start..env_end (the environment ends where the file
        // name begins) and saved_auxv, for /proc/pid/environ, auxv and stat.
        long argEnd = stringsStart + (envOffsets.isEmpty() ? execfnOffset : envOffsets.get(0));
        mm.setArgumentStrings(stringsStart, argEnd, argEnd, stringsStart + execfnOffset);
        mm.setSavedAuxv(auxv);

        user.write(stringsStart, stringBytes);
        user.write64(nullWord, 0);
        user.write(platformAddr, platform);
        user.write(randomAddr, random16);

        long[] table = new long[words];
        int i = 0;
        table[i++] = argv.size();
        long argvAddr = sp + (long) i * WORD;
        for (int off : argOffsets) {
            table[i++] = stringsStart + off;
        }
        table[i++] = 0;
        long envpAddr = sp + (long) i * WORD;
        for (int off : envOffsets) {
            table[i++] = stringsStart + off;
        }
        table[i++] = 0;
        long auxvAddr = sp + (long) i * WORD;
        for (long v : auxv) {
            table[i++] = v;
        }
        byte[] tableBytes = new byte[words * WORD];
        for (int w = 0; w < words; w++) {
            for (int b = 0; b < WORD; b++) {
                tableBytes[w * WORD + b] = (byte) (table[w] >>> (8 * b));
            }
        }
        user.write(sp, tableBytes);
        return new Layout(sp, vmaStart, argvAddr, envpAddr, auxvAddr, stringsStart + execfnOffset,
                randomAddr, platformAddr);
    }

    private static long[] withVdso(long vdsoBase, long[] auxv) {
        if (vdsoBase == 0) {
            return auxv;
        }
        long[] all = new long[auxv.length + 2];
        all[0] = AuxVector.AT_SYSINFO_EHDR;
        all[1] = vdsoBase;
        System.arraycopy(auxv, 0, all, 2, auxv.length);
        return all;
    }

    private static void putString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write(0);
    }
}
