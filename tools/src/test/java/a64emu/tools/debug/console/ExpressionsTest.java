package a64emu.tools.debug.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The console's address expressions. */
class ExpressionsTest {
    private static final Expressions.Scope SCOPE = new Expressions.Scope() {
        @Override
        public OptionalLong register(String name) {
            Long v = Map.of("sp", 0x7ff0L, "pc", 0x400580L, "x0", 5L).get(name);
            return v == null ? OptionalLong.empty() : OptionalLong.of(v);
        }

        @Override
        public OptionalLong symbol(String name) {
            return name.equals("main") ? OptionalLong.of(0x400530) : OptionalLong.empty();
        }
    };

    private static long eval(String text) {
        return Expressions.evaluate(text, SCOPE);
    }

    @Test
    void numbersAreHexOctalOrDecimal() {
        assertEquals(0x400580, eval("0x400580"));
        assertEquals(8, eval("010"));
        assertEquals(42, eval("42"));
        assertEquals(0, eval("0"));
        assertEquals(-1L, eval("0xffffffffffffffff"));
    }

    @Test
    void registersSymbolsAndOffsetsCombine() {
        assertEquals(0x7ff0 + 16, eval("$sp+16"));
        assertEquals(0x400530 + 0x10, eval("main+0x10"));
        assertEquals(0x400530 - 4, eval("main - 4"));
        assertEquals(0x400580 + 5, eval("$pc + ($x0)"));
        assertEquals(-5, eval("-$x0"));
    }

    @Test
    void badInputSaysWhatIsWrongInOneLine() {
        assertTrue(assertThrows(CommandError.class, () -> eval("nosuch")).getMessage().contains("No symbol \"nosuch\""));
        assertTrue(assertThrows(CommandError.class, () -> eval("$x99")).getMessage().contains("No register $x99"));
        assertTrue(assertThrows(CommandError.class, () -> eval("0x12zz")).getMessage().contains("Invalid number"));
        assertTrue(assertThrows(CommandError.class, () -> eval("main+")).getMessage().contains("Incomplete"));
        assertTrue(assertThrows(CommandError.class, () -> eval("(main")).getMessage().contains("Missing ')'"));
        assertTrue(assertThrows(CommandError.class, () -> eval("main ]")).getMessage().contains("Junk"));
        assertTrue(assertThrows(CommandError.class, () -> eval("")).getMessage().contains("Argument required"));
        assertThrows(CommandError.class, () -> Expressions.evaluate("main", null));
    }
}
