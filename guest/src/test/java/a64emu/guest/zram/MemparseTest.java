package a64emu.guest.zram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MemparseTest {
    private static void parses(String text, long value, int end) {
        assertEquals(new Memparse.Result(value, end), Memparse.parse(text), text);
    }

    @Test
    void decimalHexAndOctalAreReadAsSimpleStrtoullWithBaseZero() {
        parses("4096", 4096, 4);
        parses("0x1F", 31, 4);
        parses("0X1f", 31, 4);
        parses("017", 15, 3);
        parses("0", 0, 1);
    }

    @Test
    void oneSuffixMultipliesByPowersOf1024() {
        parses("2K", 2048, 2);
        parses("3m", 3L << 20, 2);
        parses("1G", 1L << 30, 2);
        parses("1t", 1L << 40, 2);
        parses("1P", 1L << 50, 2);
        parses("1e", 1L << 60, 2);
        parses("1KK", 1024, 2);
    }

    @Test
    void parsingStopsAtTheFirstCharacterThatDoesNotFit() {
        parses("512M\n", 512L << 20, 4);
        parses("09", 0, 1);
        parses("0x", 0, 1);
        parses("12abc", 12, 2);
    }

    @Test
    void nothingParsedLeavesTheEndAtTheStart() {
        parses("", 0, 0);
        parses("abc", 0, 0);
        parses(" 1", 0, 0);
        parses("-1", 0, 0);
    }

    @Test
    void aLoneSuffixIsZeroWithOneCharacterParsed() {
        parses("K", 0, 1);
    }
}
