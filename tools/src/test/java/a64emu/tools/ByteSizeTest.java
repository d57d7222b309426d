package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @Test
    void unitsArePowersOf1024() {
        assertEquals(1L << 30, ByteSize.parse("1G"));
        assertEquals(512L << 20, ByteSize.parse("512M"));
        assertEquals(65536L << 10, ByteSize.parse("65536K"));
        assertEquals(16777216L, ByteSize.parse("16777216"));
        assertEquals(2L << 40, ByteSize.parse("2T"));
    }

    @Test
    void unitsMayBeLowerCaseAndSpelledOut() {
        assertEquals(1L << 30, ByteSize.parse("1g"));
        assertEquals(3L << 30, ByteSize.parse("3GiB"));
        assertEquals(64L << 20, ByteSize.parse("64MB"));
        assertEquals(4096, ByteSize.parse("4096B"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "G", "1.5G", "-1G", "12X", "1 G B", "0x1000", "1GG"})
    void malformedSizesAreRejectedWithAHint(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
        assertTrue(e.getMessage().contains("K, M or G"), e.getMessage());
    }

    @Test
    void sizesThatOverflowALongAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("9999999999999999999"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("8388608T"));
        assertEquals(8388607L << 40, ByteSize.parse("8388607T"));
    }

    @Test
    void formatUsesTheLargestUnitWithOneDecimal() {
        assertEquals("0 B", ByteSize.format(0));
        assertEquals("1023 B", ByteSize.format(1023));
        assertEquals("4.0 KiB", ByteSize.format(4096));
        assertEquals("1.2 MiB", ByteSize.format(312 * 4096));
        assertEquals("1.0 GiB", ByteSize.format(1L << 30));
        assertEquals("1.5 GiB", ByteSize.format(3L << 29));
    }
}
