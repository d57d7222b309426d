package a64emu.guest.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The .symtab reader behind {@code walk --at SYMBOL} and the {@code <main+0x10>} PC names. */
class ElfSymbolsTest {
    private static ElfSymbols of(Path file) throws IOException, ElfFormatException {
        return ElfSymbols.read(Files.readAllBytes(file));
    }

    @Test
    void staticGlibcProgramNamesItsFunctionsAndObjects() throws Exception {
        ElfSymbols hello = of(Path.of("programs", "bin", "hello"));
        ElfSymbols.Symbol main = hello.find("main").orElseThrow();
        assertEquals(0x400530L, main.value());
        assertEquals(32, main.size());
        assertEquals(ElfSymbols.Symbol.STT_FUNC, main.type());
        assertEquals(0x490238L, hello.find("_IO_2_1_stdout_").orElseThrow().value());
        assertEquals("<main>", hello.describe(0x400530L));
        assertEquals("<main+0x1c>", hello.describe(0x40054cL));
        assertEquals("", hello.describe(0x10L), "no symbol holds the null page");
    }

    @Test
    void assemblyLabelsCountButMappingSymbolsDoNot() throws Exception {
        ElfSymbols asm = of(Path.of("src", "test", "resources", "elf", "write_exit"));
        assertEquals(0x400078L, asm.find("_start").orElseThrow().value());
        assertTrue(asm.find("$x").isEmpty());
        assertTrue(asm.find("$d").isEmpty());
    }

    @Test
    void somethingThatIsNotElfIsRefused() {
        assertThrows(ElfFormatException.class, () -> ElfSymbols.read("#!/bin/sh\n".getBytes()));
    }
}
