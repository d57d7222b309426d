package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.mm.Mman;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME), and the other process calls of prctl and personality. */
class PrctlVmaNameTest {
    private static final long PAGE = 4096;
    private final SyscallFixture f = new SyscallFixture(1000, 1000);

    private long name(String s) throws BadUserAddressException {
        f.m.user.write(f.scratch, (s + "\0").getBytes(StandardCharsets.ISO_8859_1));
        return f.scratch;
    }

    private long area() {
        return f.m.memoryMap.mmap(0, 3 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
    }

    @Test
    void theNamedPageBecomesAnAreaOfItsOwn() throws BadUserAddressException {
        long a = area();
        assertEquals(0, f.call(PRCTL, PrctlSyscalls.PR_SET_VMA, PrctlSyscalls.PR_SET_VMA_ANON_NAME, a + PAGE, PAGE,
                name("my heap")));
        assertEquals("[anon:my heap]", f.m.mm.find(a + PAGE).name());
        assertEquals(a + PAGE, f.m.mm.find(a + PAGE).start());
        assertEquals(a + 2 * PAGE, f.m.mm.find(a + PAGE).end());
        assertNull(f.m.mm.find(a).name());
        assertEquals(0, f.call(PRCTL, PrctlSyscalls.PR_SET_VMA, PrctlSyscalls.PR_SET_VMA_ANON_NAME, a, 3 * PAGE, 0));
        assertNull(f.m.mm.find(a + PAGE).name());
    }

    @Test
    void badNamesRangesAndOptionsAreRefused() throws BadUserAddressException {
        long a = area();
        long opt = PrctlSyscalls.PR_SET_VMA;
        long anon = PrctlSyscalls.PR_SET_VMA_ANON_NAME;
        assertEquals(-Errno.EINVAL, f.call(PRCTL, opt, anon, a, PAGE, name("a[b")));
        assertEquals(-Errno.EINVAL, f.call(PRCTL, opt, anon, a, PAGE, name("tab\there")));
        assertEquals(-Errno.EINVAL, f.call(PRCTL, opt, anon, a, PAGE, name("x".repeat(80))), "80 bytes and a NUL");
        assertEquals(0, f.call(PRCTL, opt, anon, a, PAGE, name("x".repeat(79))));
        assertEquals(-Errno.EINVAL, f.call(PRCTL, opt, anon, a + 1, PAGE, name("x")), "unaligned");
        assertEquals(-Errno.EINVAL, f.call(PRCTL, opt, 1, a, PAGE, name("x")), "unknown sub-option");
        assertEquals(-Errno.EFAULT, f.call(PRCTL, opt, anon, a, PAGE, 8));
        assertEquals(-Errno.ENOMEM, f.call(PRCTL, opt, anon, a - PAGE, 2 * PAGE, name("y")), "a hole before the area");
        assertEquals("[anon:y]", f.m.mm.find(a).name(), "the area after the hole is named all the same");
    }

    @Test
    void prGetTidAddressAnswersTheSetTidAddressPointer() throws BadUserAddressException {
        f.call(SET_TID_ADDRESS, 0x1234_5678L);
        assertEquals(0, f.call(PRCTL, PrctlSyscalls.PR_GET_TID_ADDRESS, f.scratch + 8));
        assertEquals(0x1234_5678L, f.m.user.read64(f.scratch + 8));
    }

    @Test
    void personalityQueriesWithAllOnesAndAnswersTheOldPersona() {
        assertEquals(0, f.call(PERSONALITY, 0xFFFF_FFFFL), "PER_LINUX");
        assertEquals(0, f.call(PERSONALITY, 0x0040000), "ADDR_NO_RANDOMIZE set, old answered");
        assertEquals(0x0040000, f.call(PERSONALITY, 0xFFFF_FFFFL));
    }
}
