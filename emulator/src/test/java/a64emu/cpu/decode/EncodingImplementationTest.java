package a64emu.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EncodingImplementationTest {
    @Test
    void everyTableEncodingNamesAPublicStaticMethodOfAnIsaClass() throws ReflectiveOperationException {
        for (Encoding e : EncodingTable.all()) {
            Encoding.Implementation impl = e.implementation();
            assertNotNull(impl, e.name());
            assertTrue(impl.owner().startsWith("a64emu/cpu/isa/"), e.name() + ": " + impl);
            var m = Class.forName(impl.owner().replace('/', '.')).getMethod(impl.method(), a64emu.cpu.Cpu.class,
                    int.class);
            assertTrue(java.lang.reflect.Modifier.isStatic(m.getModifiers()), e.name());
        }
    }

    @Test
    void theUnallocatedLambdaHasNone() {
        assertNull(Decoder.UNALLOCATED.implementation());
    }

    @Test
    void theMethodIsTheOneTheTableReferences() {
        Encoding add = EncodingTable.all().stream().filter(e -> e.name().equals("ADD_IMM")).findFirst().orElseThrow();
        assertEquals(new Encoding.Implementation("a64emu/cpu/isa/DataProcessingImmediate", "addImm"),
                add.implementation());
        assertEquals("DataProcessingImmediate", add.implementation().ownerSimpleName());
    }
}
