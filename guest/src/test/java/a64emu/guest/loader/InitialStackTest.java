package a64emu.guest.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.Vma;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitialStackTest {
    private static final LoadedImage IMAGE = new LoadedImage(0x400100, 0x400040, 6, 0, 0x500000, false);
    private static final byte[] RANDOM = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final InitialStack.Credentials CRED = new InitialStack.Credentials(1000, 1001, 100, 101);

    private final TestMachine m = new TestMachine(48);
    private final InitialStack.Layout layout;

    InitialStackTest() throws BadUserAddressException {
        layout = InitialStack.build(m.mm, m.user, IMAGE, List.of("/bin/prog", "one", "two words"),
                List.of("HOME=/root", "A64EMU_X=1"), "bin/prog", RANDOM, CRED);
    }

    private long word(long va) throws BadUserAddressException {
        return m.user.read64(va);
    }

    private String string(long va) throws BadUserAddressException {
        return m.user.readCString(va, 4096);
    }

    @Test
    void stackPointerIsSixteenByteAlignedAndPointsAtArgc() throws BadUserAddressException {
        assertEquals(0, layout.sp() & 15);
        assertEquals(3, word(layout.sp()));
    }

    @Test
    void argvAndEnvpArrayFollowArgcAndEndInNull() throws BadUserAddressException {
        long argv = layout.sp() + 8;
        assertEquals(argv, layout.argvAddr());
        assertEquals("/bin/prog", string(word(argv)));
        assertEquals("one", string(word(argv + 8)));
        assertEquals("two words", string(word(argv + 16)));
        assertEquals(0, word(argv + 24));
        long envp = argv + 32;
        assertEquals(envp, layout.envpAddr());
        assertEquals("HOME=/root", string(word(envp)));
        assertEquals("A64EMU_X=1", string(word(envp + 8)));
        assertEquals(0, word(envp + 16));
    }

    @Test
    void auxiliaryVectorHasLinuxOrderAndValues() throws BadUserAddressException {
        List<long[]> aux = new ArrayList<>();
        for (long p = layout.auxvAddr(); ; p += 16) {
            aux.add(new long[] {word(p), word(p + 8)});
            if (word(p) == AuxVector.AT_NULL) {
                break;
            }
        }
        long[][] expected = {
            {AuxVector.AT_MINSIGSTKSZ, 5120},
            {AuxVector.AT_HWCAP, AuxVector.HWCAP},
            {AuxVector.AT_PAGESZ, 4096},
            {AuxVector.AT_CLKTCK, 100},
            {AuxVector.AT_PHDR, 0x400040},
            {AuxVector.AT_PHENT, 56},
            {AuxVector.AT_PHNUM, 6},
            {AuxVector.AT_BASE, 0},
            {AuxVector.AT_FLAGS, 0},
            {AuxVector.AT_ENTRY, 0x400100},
            {AuxVector.AT_UID, 1000},
            {AuxVector.AT_EUID, 1001},
            {AuxVector.AT_GID, 100},
            {AuxVector.AT_EGID, 101},
            {AuxVector.AT_SECURE, 0},
            {AuxVector.AT_RANDOM, layout.randomAddr()},
            {AuxVector.AT_HWCAP2, AuxVector.HWCAP2},
            {AuxVector.AT_EXECFN, layout.execfnAddr()},
            {AuxVector.AT_PLATFORM, layout.platformAddr()},
            {AuxVector.AT_NULL, 0},
        };
        assertEquals(expected.length, aux.size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], aux.get(i), "auxv entry " + i);
        }
    }

    @Test
    void randomBytesPlatformAndExecfnAreOnTheStack() throws BadUserAddressException {
        assertArrayEquals(RANDOM, m.user.read(layout.randomAddr(), 16));
        assertEquals("aarch64", string(layout.platformAddr()));
        assertEquals("bin/prog", string(layout.execfnAddr()));
        // The file name is the last string, just below the NULL word at the very top.
        long top = m.mm.layout().stackTop();
        assertEquals(top - 8 - "bin/prog".length() - 1, layout.execfnAddr());
        assertEquals(0, word(top - 8));
    }

    @Test
    void stackIsAGrowsDownAreaWith128KiBOfRoomBelowTheArguments() {
        Vma stack = m.mm.find(layout.sp());
        assertTrue(stack.growsDown());
        assertEquals("[stack]", stack.name());
        assertEquals(m.mm.layout().stackTop(), stack.end());
        assertEquals(stack.end() - 4096 - (128 << 10), stack.start());
    }

    @Test
    void stackPagesAreFaultedInOnlyWhereWritten() {
        assertEquals(1, m.pt.residentPages());
        assertEquals(1, m.faults.anonZeroFillFaults());
    }

    @Test
    void theInitialStackAreaIsWhatTheArgumentsUsePlus128KibWithinRlimitStack() {
        long top = 1L << 40;
        long sp = top - 5000;
        // 8 MiB: two pages of arguments and 128 KiB of room.
        assertEquals(top - 2 * 4096 - (128 << 10), InitialStack.initialStackStart(top, sp, 8L << 20));
        // RLIM_INFINITY (unsigned: huge) is the same.
        assertEquals(top - 2 * 4096 - (128 << 10), InitialStack.initialStackStart(top, sp, -1));
        // 64 KiB (plus a stray byte, aligned down): the area stops at the limit.
        assertEquals(top - (64 << 10), InitialStack.initialStackStart(top, sp, (64 << 10) + 1));
        // A limit below what the arguments use never shrinks the area under them.
        assertEquals(top - 2 * 4096, InitialStack.initialStackStart(top, sp, 4096));
    }

    @Test
    void aVdsoIsTheFirstAuxvEntryAsArm64ArchDlinfoPutsIt() throws BadUserAddressException {
        TestMachine other = new TestMachine(48);
        InitialStack.Layout l = InitialStack.build(other.mm, other.user, IMAGE, List.of("/bin/prog"), List.of(),
                "bin/prog", RANDOM, CRED, 0xfffff7fff000L);
        assertEquals(AuxVector.AT_SYSINFO_EHDR, other.user.read64(l.auxvAddr()));
        assertEquals(0xfffff7fff000L, other.user.read64(l.auxvAddr() + 8));
        assertEquals(AuxVector.AT_MINSIGSTKSZ, other.user.read64(l.auxvAddr() + 16));
        assertEquals(AuxVector.AT_SYSINFO_EHDR, other.mm.savedAuxv()[0]);
    }

    @Test
    void withoutAVdsoThereIsNoSysinfoEhdr() throws BadUserAddressException {
        assertEquals(AuxVector.AT_MINSIGSTKSZ, word(layout.auxvAddr()));
    }
}
