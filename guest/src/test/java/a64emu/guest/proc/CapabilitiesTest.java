package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    @Test
    void setsAreParsedFromAStatusFileSoAContainerRootWithoutCapSysResourceLacksIt() {
        // A root user in a container whose bounding set drops CAP_SYS_RESOURCE (bit 24).
        Capabilities c = Capabilities.parse("Name:\tcat\nCapInh:\t0000000000000000\nCapPrm:\t000001fffeffffff\n"
                + "CapEff:\t000001fffeffffff\nCapBnd:\t000001fffeffffff\nCapAmb:\t0000000000000000\n");
        assertEquals(0x1fffeffffffL, c.effective());
        assertFalse(c.has(Capabilities.CAP_SYS_RESOURCE));
        assertTrue(c.has(21)); // CAP_SYS_ADMIN
    }

    @Test
    void aStatusWithoutCapabilityLinesGivesNothing() {
        assertNull(Capabilities.parse("Name:\tcat\n"));
    }

    @Test
    void withoutAHostStatusRootHasTheFullSetAndOthersNone() {
        assertTrue(Capabilities.forUid(0).has(Capabilities.CAP_SYS_RESOURCE));
        assertEquals(0, Capabilities.forUid(1000).effective());
        assertEquals(Capabilities.CAP_FULL_SET, Capabilities.forUid(1000).bounding());
    }
}
