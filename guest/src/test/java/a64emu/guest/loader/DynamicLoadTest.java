package a64emu.guest.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A dynamically linked PIE and its interpreter, placed as Linux's load_elf_binary and
 * load_elf_interp place them, and the auxiliary vector that tells the interpreter where.
 */
class DynamicLoadTest {
    private static final String INTERP = "/lib/ld-linux-aarch64.so.1";

    /** A PIE: text at 0 (with the program headers and PT_INTERP), data at 0x10000, entry 0x600. */
    private static byte[] pie() {
        ElfImageBuilder b = new ElfImageBuilder();
        b.type = ElfFile.ET_DYN;
        b.fileSize = 0x11000;
        b.add(ProgramHeader.PT_PHDR, ProgramHeader.PF_R, 0x40, 0x40, 4 * 56, 4 * 56, 8);
        b.add(ProgramHeader.PT_INTERP, ProgramHeader.PF_R, 0x200, 0x200, INTERP.length() + 1, INTERP.length() + 1, 1);
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_X, 0, 0, 0x1000, 0x1000, 0x10000);
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_W, 0x10000, 0x10000, 0x100, 0x2000, 0x10000);
        b.entry = 0x600;
        byte[] image = b.build();
        byte[] path = (INTERP + "\0").getBytes();
        System.arraycopy(path, 0, image, 0x200, path.length);
        return image;
    }

    /** An interpreter like ld.so: ET_DYN, text at 0 and data at 0x20000, entry 0x800. */
    private static byte[] interpreter() {
        ElfImageBuilder b = new ElfImageBuilder();
        b.type = ElfFile.ET_DYN;
        b.fileSize = 0x21000;
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_X, 0, 0, 0x2000, 0x2000, 0x10000);
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_W, 0x20000, 0x20000, 0x800, 0x1800,
                0x10000);
        b.entry = 0x800;
        return b.build();
    }

    private static ElfFile read(TestMachine m, byte[] image) throws ElfFormatException {
        return ElfFile.read(TestMachine.bytes(image), m.mm.layout().taskSize());
    }

    @Test
    void pieWithAnInterpreterIsLoadedAtElfEtDynBase() throws ElfFormatException {
        TestMachine m = new TestMachine(48);
        ElfFile elf = read(m, pie());
        LoadedImage image = ElfLoader.load(elf, TestMachine.bytes(pie()), "/bin/dyn", m.mm);
        long base = (1L << 48) / 3 * 2 & -0x10000L;
        assertEquals(INTERP, elf.interpreter());
        assertEquals(base, image.loadBias());
        assertEquals(base + 0x600, image.entry(), "AT_ENTRY is the program's entry, biased");
        assertEquals(base + 0x40, image.phdr(), "AT_PHDR is PT_PHDR's address, biased");
        assertEquals(4, image.phnum());
    }

    @Test
    void randomisedElfEtDynBaseMovesWithTheSeedAndStaysAboveTwoThirds() {
        VmLayout fixed = VmLayout.forVaBits(48);
        VmLayout one = VmLayout.create(48, new SplittableRandom(1));
        VmLayout again = VmLayout.create(48, new SplittableRandom(1));
        VmLayout two = VmLayout.create(48, new SplittableRandom(2));
        assertEquals(one.elfEtDynBase(), again.elfEtDynBase(), "the same seed gives the same base");
        assertNotEquals(one.elfEtDynBase(), two.elfEtDynBase());
        assertTrue(one.elfEtDynBase() >= fixed.elfEtDynBase());
        assertTrue(VmLayout.isPageAligned(one.elfEtDynBase()));
    }

    @Test
    void interpreterGoesTopDownBelowMmapBaseAsOneSpan() throws ElfFormatException {
        TestMachine m = new TestMachine(48);
        ElfLoader.load(read(m, pie()), TestMachine.bytes(pie()), "/bin/dyn", m.mm);
        long bias = ElfLoader.loadInterpreter(read(m, interpreter()), TestMachine.bytes(interpreter()), INTERP, m.mm);
        // total_mapping_size: 0 .. 0x21800, rounded up to pages, ending at mmap_base.
        assertEquals(m.mm.layout().mmapBase() - 0x22000, bias);
        Vma text = m.mm.find(bias);
        assertTrue(text.describe().endsWith(" " + INTERP), text.describe());
        assertTrue(!text.isAnonymous(), "interpreter text is a file mapping: " + text.describe());
        assertEquals(bias + 0x20000, m.mm.find(bias + 0x20000).start());
        assertTrue(m.mm.find(bias + 0x21000).isAnonymous(), "its .bss past the file page");
    }

    @Test
    void interpreterDoesNotMoveTheProgramsCodeDataOrBrk() throws ElfFormatException {
        TestMachine m = new TestMachine(48);
        LoadedImage image = ElfLoader.load(read(m, pie()), TestMachine.bytes(pie()), "/bin/dyn", m.mm);
        m.mm.setStartBrk(image.startBrk());
        long startBrk = m.mm.startBrk();
        ElfLoader.loadInterpreter(read(m, interpreter()), TestMachine.bytes(interpreter()), INTERP, m.mm);
        assertEquals(startBrk, m.mm.startBrk());
        assertEquals(image.loadBias() + 0x12000, image.startBrk());
    }

    @Test
    void auxvTellsTheInterpreterWhereItAndTheProgramAre() throws Exception {
        TestMachine m = new TestMachine(48);
        LoadedImage image = ElfLoader.load(read(m, pie()), TestMachine.bytes(pie()), "/bin/dyn", m.mm);
        long bias = ElfLoader.loadInterpreter(read(m, interpreter()), TestMachine.bytes(interpreter()), INTERP, m.mm);
        InitialStack.build(m.mm, m.user, image.withInterpreterBase(bias), List.of("/bin/dyn"), List.of(), "/bin/dyn",
                new byte[16], new InitialStack.Credentials(1000, 1000, 1000, 1000));
        Map<Long, Long> auxv = auxv(m.mm.savedAuxv());
        long base = image.loadBias();
        assertEquals(bias, auxv.get((long) AuxVector.AT_BASE));
        assertEquals(base + 0x40, auxv.get((long) AuxVector.AT_PHDR));
        assertEquals(56L, auxv.get((long) AuxVector.AT_PHENT));
        assertEquals(4L, auxv.get((long) AuxVector.AT_PHNUM));
        assertEquals(base + 0x600, auxv.get((long) AuxVector.AT_ENTRY));
    }

    @Test
    void allBssSegmentWithItsOffsetPastTheEndOfTheFileLoadsAsZeroPages()
            throws ElfFormatException, BadUserAddressException {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_W, 0xfff0, 0x41fff0, 0, 0x20, 0x10000);
        byte[] image = b.build();
        TestMachine m = new TestMachine(48);
        ElfLoader.load(read(m, image), TestMachine.bytes(image), "/bin/tiny", m.mm);
        Vma bss = m.mm.find(0x41fff0);
        assertTrue(bss.isAnonymous(), bss.describe());
        assertEquals(0, m.user.read(0x41fff0, 1)[0]);
        assertEquals(0, m.user.read(0x420008, 1)[0]);
    }

    private static Map<Long, Long> auxv(long[] pairs) {
        Map<Long, Long> m = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
