package a64emu.cpu.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.Encoding;
import a64emu.cpu.decode.EncodingTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IntegerEncodingTablesTest {
    private static List<Encoding> integerEncodings() {
        List<Encoding> all = new ArrayList<>();
        all.addAll(DataProcessingImmediate.ENCODINGS);
        all.addAll(DataProcessingRegister.ENCODINGS);
        all.addAll(BranchExceptionSystem.ENCODINGS);
        all.addAll(SystemRegisterAccess.ENCODINGS);
        all.addAll(LoadStoreInteger.ENCODINGS);
        return all;
    }

    @Test
    void everyIntegerEncodingHasAUniqueName() {
        Set<String> names = new HashSet<>();
        for (Encoding e : integerEncodings()) {
            assertTrue(names.add(e.name()), "duplicate name " + e.name());
        }
    }

    @Test
    void everyIntegerEncodingIsRegisteredInTheWholeTable() {
        List<Encoding> table = EncodingTable.all();
        for (Encoding e : integerEncodings()) {
            assertTrue(table.contains(e), e.name() + " missing from EncodingTable");
        }
    }

    /** Each entry's own fixed bits, with every field zero, decode back to that entry or a more specific one. */
    @Test
    void eachPatternDecodesToItselfUnlessShadowedByAMoreSpecificEntry() {
        Decoder decoder = new Decoder(EncodingTable.all());
        for (Encoding e : integerEncodings()) {
            int word = e.value() | (~e.mask() & randomFieldBits(e));
            Encoding found = decoder.decode(word);
            if (found != e) {
                assertTrue(found.matches(word) && Integer.bitCount(found.mask()) >= Integer.bitCount(e.mask()),
                        () -> String.format("0x%08x: %s decoded as %s", word, e, found));
            } else {
                assertSame(e, found);
            }
        }
        assertEquals(Decoder.UNALLOCATED, decoder.decode(0));
    }

    private static int randomFieldBits(Encoding e) {
        return e.name().hashCode() * 0x9E37_79B9;
    }
}
