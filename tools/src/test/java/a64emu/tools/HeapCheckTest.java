package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.KernelConfig;
import org.junit.jupiter.api.Test;

class HeapCheckTest {
    private static KernelConfig machine(long ram, long zram) {
        return KernelConfig.defaults().withRam(ram).withMemory(KernelConfig.Memory.DEFAULT.withZram(zram));
    }

    @Test
    void theHeapMustHoldAllOfRamPlusTheKernelsMetadata() {
        long ram = 1L << 30;
        long need = HeapCheck.needed(machine(ram, 768L << 20));
        assertEquals(ram + (ram / 4096) * HeapCheck.PER_FRAME + ((768L << 20) / 4096) * HeapCheck.PER_SWAP_SLOT
                + HeapCheck.BASE, need);
        assertTrue(need > ram, "zRAM's pool lives in RAM, so only metadata comes on top");
    }

    @Test
    void aRamTheJvmCannotHoldIsRefusedNamingTheJavaOptions() {
        String refusal = HeapCheck.refusal(machine(8L << 30, 0), 4L << 30);
        assertEquals("--ram 8.0 GiB needs about 8.3 GiB of Java heap, but this JVM may use only 4.0 GiB: "
                + "run with A64EMU_JAVA_OPTS=-Xmx9g (or a smaller --ram)", refusal);
    }

    @Test
    void aRamThatFitsIsAccepted() {
        assertNull(HeapCheck.refusal(machine(1L << 30, -1), 4L << 30));
        assertNull(HeapCheck.refusal(machine(64L << 30, -1), Long.MAX_VALUE), "no limit set");
    }

    @Test
    void runRefusesBeforeTheGuestStartsWithStatusTwo() {
        // This JVM's heap is far below 1 TiB.
        GuestPrograms.Run run = GuestPrograms.cli("run", "--ram", "1024G", GuestPrograms.binary("hello").toString());
        assertEquals(2, run.status());
        assertTrue(run.stderr().contains("A64EMU_JAVA_OPTS=-Xmx"), run.stderr());
        assertEquals("", run.out());
    }
}
