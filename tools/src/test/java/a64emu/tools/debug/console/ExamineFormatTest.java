package a64emu.tools.debug.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** gdb's x/FMT: count, format letter and unit size, remembered from one x to the next. */
class ExamineFormatTest {
    @Test
    void countSizeAndFormatInAnyOrder() {
        assertEquals(new ExamineFormat(4, 'x', 8), ExamineFormat.parse("4gx", ExamineFormat.DEFAULT));
        assertEquals(new ExamineFormat(4, 'x', 8), ExamineFormat.parse("4xg", ExamineFormat.DEFAULT));
        assertEquals(new ExamineFormat(8, 'i', 4), ExamineFormat.parse("8i", ExamineFormat.DEFAULT));
        assertEquals(new ExamineFormat(2, 'd', 2), ExamineFormat.parse("2dh", ExamineFormat.DEFAULT));
    }

    @Test
    void emptyFormatIsOneUnitOfThePreviousFormatAndSize() {
        ExamineFormat previous = new ExamineFormat(4, 'u', 2);
        assertEquals(new ExamineFormat(1, 'u', 2), ExamineFormat.parse("", previous));
        assertEquals(ExamineFormat.DEFAULT, ExamineFormat.parse("", ExamineFormat.DEFAULT));
    }

    @Test
    void addressesAreGiantAndCharsAreBytesUnlessSaid() {
        assertEquals(8, ExamineFormat.parse("a", ExamineFormat.DEFAULT).size());
        assertEquals(1, ExamineFormat.parse("c", ExamineFormat.DEFAULT).size());
        assertEquals(4, ExamineFormat.parse("x", ExamineFormat.parse("a", ExamineFormat.DEFAULT)).size());
    }

    @Test
    void unitsFormatAsGdbPrintsThem() {
        assertEquals("0x000000ff", new ExamineFormat(1, 'x', 4).formatUnit(0xff));
        assertEquals("-1", new ExamineFormat(1, 'd', 2).formatUnit(0xffff));
        assertEquals("65535", new ExamineFormat(1, 'u', 2).formatUnit(0xffff));
        assertEquals("010", new ExamineFormat(1, 'o', 1).formatUnit(8));
        assertEquals("00000101", new ExamineFormat(1, 't', 1).formatUnit(5));
        assertEquals("65 'A'", new ExamineFormat(1, 'c', 1).formatUnit('A'));
        assertEquals("10 '\\n'", new ExamineFormat(1, 'c', 1).formatUnit('\n'));
        assertEquals(2, new ExamineFormat(4, 'x', 8).perLine());
    }

    @Test
    void badLettersAndCountsAreErrors() {
        assertThrows(CommandError.class, () -> ExamineFormat.parse("4q", ExamineFormat.DEFAULT));
        assertThrows(CommandError.class, () -> ExamineFormat.parse("0x", ExamineFormat.DEFAULT));
        assertThrows(CommandError.class, () -> ExamineFormat.parse("wa", ExamineFormat.DEFAULT));
    }
}
