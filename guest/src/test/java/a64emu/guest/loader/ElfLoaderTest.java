package a64emu.guest.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.Vma;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElfLoaderTest {
    /** Text at 0x400000 (one page), data 0x100 bytes at 0x411f80 with .bss to 0x413010. */
    private static byte[] imageWithBss() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.fileSize = 0x3000;
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_W, 0x1f80, 0x411f80, 0x100, 0x1090, 0x10000);
        b.add(ProgramHeader.PT_GNU_STACK, ProgramHeader.PF_R | ProgramHeader.PF_W, 0, 0, 0, 0, 16);
        byte[] image = b.build();
        Arrays.fill(image, 0x1f80, 0x3000, (byte) 0x5A);
        return image;
    }

    private static LoadedImage load(TestMachine m, byte[] image) throws ElfFormatException {
        ElfFile elf = ElfFile.read(TestMachine.bytes(image), m.mm.layout().taskSize());
        return ElfLoader.load(elf, TestMachine.bytes(image), "/bin/prog", m.mm);
    }

    @Test
    void segmentsBecomeFileBackedAreasWithProtFromTheirFlags() throws ElfFormatException {
        TestMachine m = new TestMachine(48);
        load(m, imageWithBss());
        List<Vma> vmas = List.copyOf(m.mm.vmas());
        assertEquals("0x400000-0x401000 r-xp /bin/prog", vmas.get(0).describe());
        // The data segment's file bytes end on page 0x412000: file-backed up to there...
        assertEquals("0x411000-0x413000 rw-p /bin/prog", vmas.get(1).describe());
        assertEquals(0x1000, vmas.get(1).backing().offset());
        assertEquals(0x2080, vmas.get(1).backing().zeroFrom());
        // ...and anonymous zero pages for the rest of p_memsz.
        assertEquals("0x413000-0x414000 rw-p", vmas.get(2).describe());
        assertTrue(vmas.get(2).isAnonymous());
        assertEquals(3, vmas.size());
    }

    @Test
    void heapStartsAtThePageAlignedEndOfTheImage() throws ElfFormatException {
        TestMachine m = new TestMachine(48);
        LoadedImage image = load(m, imageWithBss());
        assertEquals(0x414000, image.startBrk());
        assertEquals(0x400100, image.entry());
        assertFalse(image.execStack());
        assertEquals(0, image.loadBias());
    }

    @Test
    void programHeadersAreFoundInTheSegmentThatHoldsTheirFileBytes() throws ElfFormatException {
        TestMachine m = new TestMachine(48);
        LoadedImage image = load(m, imageWithBss());
        assertEquals(0x400040, image.phdr());
        assertEquals(3, image.phnum());
    }

    @Test
    void bytesPastTheFileDataOfTheLastDataPageReadAsZero() throws ElfFormatException, BadUserAddressException {
        TestMachine m = new TestMachine(48);
        load(m, imageWithBss());
        assertEquals(0x5A, m.user.read(0x412000 + 0x7f, 1)[0]);
        assertEquals(0, m.user.read(0x412080, 1)[0], "first .bss byte");
        assertEquals(0, m.user.read(0x412fff, 1)[0], "last byte of the shared page");
        assertEquals(0, m.user.read(0x413008, 8)[3], "anonymous .bss page");
    }

    @Test
    void textIsReadFromTheFileOnFirstTouch() throws ElfFormatException, BadUserAddressException {
        TestMachine m = new TestMachine(39);
        byte[] image = imageWithBss();
        image[0x100] = (byte) 0xC0;
        load(m, image);
        assertEquals(0, m.faults.fileFaults());
        assertEquals((byte) 0xC0, m.user.read(0x400100, 1)[0]);
        assertEquals(1, m.faults.fileFaults());
    }

    @Test
    void executableGnuStackAsksForAnExecutableStack() throws ElfFormatException {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_GNU_STACK, ProgramHeader.PF_R | ProgramHeader.PF_W | ProgramHeader.PF_X, 0, 0, 0, 0, 16);
        assertTrue(load(new TestMachine(48), b.build()).execStack());
    }

    @Test
    void staticPieIsLoadedAtElfEtDynBase() throws ElfFormatException {
        ElfImageBuilder b = new ElfImageBuilder();
        b.type = ElfFile.ET_DYN;
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_X, 0, 0, 0x1000, 0x1000, 0x10000);
        b.entry = 0x100;
        TestMachine m = new TestMachine(48);
        LoadedImage image = load(m, b.build());
        long base = (1L << 48) / 3 * 2 & -0x10000L;
        assertEquals(base, image.loadBias());
        assertEquals(base + 0x100, image.entry());
        assertEquals(Mman.PROT_READ | Mman.PROT_EXEC, m.mm.find(base).prot());
        assertNull(m.mm.find(0));
    }
}
