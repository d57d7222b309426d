package a64emu.guest.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.Mman;
import org.junit.jupiter.api.Test;

/** The rseq system call and the return-to-user work of Linux 6.1 kernel/rseq.c. */
class RseqTest {
    private static final int SIG = 0xd428bc00; // RSEQ_SIG on AArch64 (BRK #0x45E0)

    private final TestMachine m = new TestMachine(48);
    private final long taskSize = m.mm.layout().taskSize();
    private final Cpu cpu = new Cpu(m.mmu);
    private final Rseq rseq = new Rseq();
    private final long page;
    /** struct rseq at the page's start, struct rseq_cs at +64, the section's code at +0x100. */
    private final long area;
    private final long cs;
    private final long startIp;
    private final long abortIp;

    RseqTest() throws BadUserAddressException {
        page = m.memoryMap.mmap(0, 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS,
                null, 0);
        area = page;
        cs = page + 64;
        startIp = page + 0x100;
        abortIp = page + 0x120;
        m.user.write32(cs, 0); // version
        m.user.write32(cs + 4, 0); // flags
        m.user.write64(cs + 8, startIp);
        m.user.write64(cs + 16, 0x10); // post_commit_offset: [start, start + 16)
        m.user.write64(cs + 24, abortIp);
        m.user.write32(abortIp - 4, SIG);
    }

    private long register() {
        return rseq.syscall(m.user, area, Rseq.SIZE, 0, SIG, taskSize);
    }

    private long unregister(long at, int len, int sig) {
        return rseq.syscall(m.user, at, len, Rseq.FLAG_UNREGISTER, sig, taskSize);
    }

    @Test
    void registrationWritesCpuIdZeroOnTheWayBackToUserSpace() throws BadUserAddressException {
        m.user.write32(area + Rseq.CPU_ID, 77);
        assertEquals(0, register());
        assertTrue(rseq.notifyResumePending(), "rseq_set_notify_resume");
        assertTrue(rseq.handleNotifyResume(m.user, cpu, taskSize));
        assertEquals(0, m.user.read32(area + Rseq.CPU_ID_START));
        assertEquals(0, m.user.read32(area + Rseq.CPU_ID));
        assertFalse(rseq.notifyResumePending());
    }

    @Test
    void aFirstRegistrationNeedsA32ByteAlignedAreaOf32BytesInUserSpace() {
        assertEquals(-Errno.EINVAL, rseq.syscall(m.user, area + 8, 32, 0, SIG, taskSize), "misaligned");
        assertEquals(-Errno.EINVAL, rseq.syscall(m.user, area, 31, 0, SIG, taskSize), "short");
        assertEquals(-Errno.EINVAL, rseq.syscall(m.user, area, 64, 0, SIG, taskSize), "6.1 takes exactly 32");
        assertEquals(-Errno.EINVAL, rseq.syscall(m.user, area, 32, 2, SIG, taskSize), "unknown flag");
        assertEquals(-Errno.EFAULT, rseq.syscall(m.user, taskSize, 32, 0, SIG, taskSize), "access_ok");
        assertEquals(-Errno.EFAULT, rseq.syscall(m.user, 0xffff_0000_0000_0000L, 32, 0, SIG, taskSize));
        assertFalse(rseq.registered());
    }

    @Test
    void registeringAgainIsEbusyForTheSameAreaEpermForAnotherSigEinvalOtherwise() {
        assertEquals(0, register());
        assertEquals(-Errno.EBUSY, register());
        assertEquals(-Errno.EPERM, rseq.syscall(m.user, area, 32, 0, SIG + 1, taskSize));
        assertEquals(-Errno.EINVAL, rseq.syscall(m.user, area + 32, 32, 0, SIG, taskSize));
        assertEquals(-Errno.EINVAL, rseq.syscall(m.user, area, 64, 0, SIG, taskSize));
        assertEquals(area, rseq.area());
    }

    @Test
    void unregistrationChecksAreaLengthFlagsAndSigThenResetsCpuId() throws BadUserAddressException {
        assertEquals(-Errno.EINVAL, unregister(area, 32, SIG), "nothing registered");
        register();
        rseq.handleNotifyResume(m.user, cpu, taskSize);
        assertEquals(-Errno.EINVAL, unregister(area + 32, 32, SIG));
        assertEquals(-Errno.EINVAL, unregister(area, 64, SIG));
        assertEquals(-Errno.EINVAL, rseq.syscall(m.user, area, 32, Rseq.FLAG_UNREGISTER | 2, SIG, taskSize));
        assertEquals(-Errno.EPERM, unregister(area, 32, SIG + 1));
        assertEquals(0, unregister(area, 32, SIG));
        assertFalse(rseq.registered());
        assertEquals(0, m.user.read32(area + Rseq.CPU_ID_START));
        assertEquals(Rseq.CPU_ID_UNINITIALIZED, m.user.read32(area + Rseq.CPU_ID));
        assertEquals(0, register(), "registers again after unregistration");
    }

    @Test
    void preemptionInsideTheCriticalSectionMovesThePcToAbortIpAndClearsRseqCs() throws BadUserAddressException {
        register();
        m.user.write64(area + Rseq.RSEQ_CS, cs);
        cpu.pc = startIp + 8;
        rseq.preempt();
        assertTrue(rseq.handleNotifyResume(m.user, cpu, taskSize));
        assertEquals(abortIp, cpu.pc);
        assertEquals(0, m.user.read64(area + Rseq.RSEQ_CS));
    }

    @Test
    void signalDeliveryInsideTheCriticalSectionAbortsIt() throws BadUserAddressException {
        register();
        rseq.handleNotifyResume(m.user, cpu, taskSize);
        m.user.write64(area + Rseq.RSEQ_CS, cs);
        cpu.pc = startIp;
        assertTrue(rseq.signalDeliver(m.user, cpu, taskSize));
        assertEquals(abortIp, cpu.pc);
    }

    @Test
    void thePostCommitAddressAndAddressesOutsideOnlyClearRseqCs() throws BadUserAddressException {
        register();
        m.user.write64(area + Rseq.RSEQ_CS, cs);
        cpu.pc = startIp + 0x10; // the end is exclusive: the commit has happened
        rseq.preempt();
        assertTrue(rseq.handleNotifyResume(m.user, cpu, taskSize));
        assertEquals(startIp + 0x10, cpu.pc);
        assertEquals(0, m.user.read64(area + Rseq.RSEQ_CS));
    }

    @Test
    void withoutAnEventSinceTheLastReturnTheSectionIsNotAborted() throws BadUserAddressException {
        register(); // notify-resume with no preemption or signal event
        m.user.write64(area + Rseq.RSEQ_CS, cs);
        cpu.pc = startIp + 4;
        assertTrue(rseq.handleNotifyResume(m.user, cpu, taskSize));
        assertEquals(startIp + 4, cpu.pc);
        assertEquals(cs, m.user.read64(area + Rseq.RSEQ_CS));
    }

    @Test
    void aSignatureMismatchBeforeAbortIpFailsTheReturnSoTheThreadGetsSigsegv() throws BadUserAddressException {
        register();
        m.user.write32(abortIp - 4, SIG ^ 1);
        m.user.write64(area + Rseq.RSEQ_CS, cs);
        cpu.pc = startIp + 4;
        rseq.preempt();
        assertFalse(rseq.handleNotifyResume(m.user, cpu, taskSize));
        assertEquals(startIp + 4, cpu.pc);
    }

    @Test
    void badDescriptorsFailTheReturn() throws BadUserAddressException {
        register();
        cpu.pc = startIp + 4;
        m.user.write64(area + Rseq.RSEQ_CS, cs);
        m.user.write64(cs + 24, startIp + 8); // abort_ip inside the section
        rseq.preempt();
        assertFalse(rseq.handleNotifyResume(m.user, cpu, taskSize), "abort_ip in the section");
        m.user.write64(cs + 24, abortIp);
        m.user.write32(cs, 1);
        assertFalse(rseq.handleNotifyResume(m.user, cpu, taskSize), "version 1");
        m.user.write32(cs, 0);
        m.user.write32(cs + 4, 1); // RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT, deprecated in 6.0
        assertFalse(rseq.handleNotifyResume(m.user, cpu, taskSize), "deprecated flag");
        m.user.write32(cs + 4, 0);
        m.user.write64(area + Rseq.RSEQ_CS, taskSize);
        assertFalse(rseq.handleNotifyResume(m.user, cpu, taskSize), "rseq_cs past TASK_SIZE");
        m.user.write64(area + Rseq.RSEQ_CS, page + 8192); // unmapped
        assertFalse(rseq.handleNotifyResume(m.user, cpu, taskSize), "unmapped rseq_cs");
    }

    @Test
    void aForkChildKeepsTheRegistrationAndANewThreadStartsWithout() {
        register();
        Rseq child = new Rseq();
        child.inheritFrom(rseq, false);
        assertEquals(area, child.area());
        assertEquals(-Errno.EBUSY, child.syscall(m.user, area, 32, 0, SIG, taskSize));
        Rseq thread = new Rseq();
        thread.inheritFrom(rseq, true);
        assertFalse(thread.registered());
    }
}
