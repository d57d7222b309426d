package a64emu.guest.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ElfFileTest {
    private static final long TASK_SIZE = 1L << 48;

    private static ElfFile read(byte[] image) throws ElfFormatException {
        return ElfFile.read(TestMachine.bytes(image), TASK_SIZE);
    }

    /** Why {@link ElfFile#read} refuses {@code image}. */
    private static String refusal(byte[] image) {
        return assertThrows(ElfFormatException.class, () -> read(image)).getMessage();
    }

    private static String refusal(ElfImageBuilder b) {
        return refusal(b.build());
    }

    @Test
    void minimalStaticExecutableIsAccepted() throws ElfFormatException {
        ElfFile elf = read(ElfImageBuilder.minimal().build());
        assertEquals(ElfFile.ET_EXEC, elf.type());
        assertEquals(0x400100, elf.entry());
        assertEquals(1, elf.loadSegments().size());
    }

    @Test
    void textFileIsNotAnElfFile() {
        byte[] text = "#!/bin/sh\necho hi\n".getBytes();
        String m = refusal(text);
        assertTrue(m.startsWith("not an ELF file"), m);
    }

    @Test
    void fileShorterThanTheHeaderIsTruncated() {
        byte[] cut = Arrays.copyOf(ElfImageBuilder.minimal().build(), 40);
        assertTrue(refusal(cut).startsWith("truncated ELF header"));
    }

    @Test
    void elf32IsRefusedAsThirtyTwoBit() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.ident[4] = 1;
        assertTrue(refusal(b).startsWith("32-bit ELF file"));
    }

    @Test
    void bigEndianIsRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.ident[5] = 2;
        assertTrue(refusal(b).startsWith("big-endian ELF file"));
    }

    @Test
    void x86ProgramIsRefusedNamingItsMachine() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.machine = 62;
        assertEquals("ELF file for x86-64, not AArch64 (e_machine 62, expected 183)", refusal(b));
    }

    @Test
    void objectFileIsNotAnExecutable() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.type = 1;
        assertTrue(refusal(b).contains("ET_REL"));
    }

    @Test
    void dynamicallyLinkedProgramIsRefusedNamingItsInterpreter() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        byte[] interp = "/lib/ld-linux-aarch64.so.1\0".getBytes();
        b.add(ProgramHeader.PT_INTERP, ProgramHeader.PF_R, 0x200, 0x400200, interp.length, interp.length, 1);
        byte[] image = b.build();
        System.arraycopy(interp, 0, image, 0x200, interp.length);
        assertEquals("dynamically linked (PT_INTERP /lib/ld-linux-aarch64.so.1); a64emu runs static programs only,"
                + " link with -static", refusal(image));
    }

    @Test
    void programHeaderTableBeyondTheFileIsRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.phoff = 0xFF0;
        byte[] image = Arrays.copyOf(b.build(), 0x1000);
        assertEquals("program header table 0xff0-0x1028 lies outside the file (4096 bytes)", refusal(image));
    }

    @Test
    void wrongProgramHeaderSizeIsRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.phentsize = 32;
        assertEquals("bad program header size e_phentsize=32, expected 56", refusal(b));
    }

    @Test
    void noProgramHeadersIsRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.phnumOverride = 0;
        assertEquals("no program headers (e_phnum=0)", refusal(b));
    }

    @Test
    void segmentWithMoreFileThanMemoryIsRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_W, 0, 0x410000, 0x800, 0x400, 0x1000);
        assertEquals("program header 1 (PT_LOAD) has p_filesz 0x800 larger than p_memsz 0x400", refusal(b));
    }

    @Test
    void segmentDataBeyondTheEndOfTheFileIsRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R, 0x800, 0x410800, 0x1000, 0x1000, 0x1000);
        assertEquals("program header 1 (PT_LOAD) file data 0x800-0x1800 lies outside the file (4096 bytes)",
                refusal(b));
    }

    @Test
    void segmentWhoseAddressAndOffsetDifferInPageOffsetIsRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R, 0x100, 0x410200, 0x10, 0x10, 0x1000);
        assertTrue(refusal(b).contains("differ in their page offsets"));
    }

    @Test
    void alignmentThatIsNotAPowerOfTwoIsRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R, 0, 0x410000, 0x10, 0x10, 0x3000);
        assertTrue(refusal(b).contains("not a power of two"));
    }

    @Test
    void overlappingSegmentsAreRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R, 0, 0x400000, 0x10, 0x10, 0x1000);
        assertTrue(refusal(b).contains("overlaps or precedes the previous PT_LOAD"));
    }

    @Test
    void segmentBeyondTheUserAddressSpaceIsRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R, 0, 1L << 48, 0x10, 0x10, 0x1000);
        assertTrue(refusal(b).contains("does not fit in the 48-bit user address space"));
    }

    @Test
    void entryPointOutsideExecutableSegmentsIsRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.entry = 0x500000;
        assertEquals("entry point 0x500000 is not inside an executable PT_LOAD segment", refusal(b));
    }

    @Test
    void entryPointInANonExecutableSegmentIsRefused() {
        ElfImageBuilder b = new ElfImageBuilder();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_W, 0, 0x400000, 0x1000, 0x1000, 0x1000);
        b.entry = 0x400100;
        assertTrue(refusal(b).startsWith("entry point 0x400100 is not inside an executable"));
    }

    @Test
    void fileWithoutLoadSegmentsIsRefused() {
        ElfImageBuilder b = new ElfImageBuilder();
        b.add(ProgramHeader.PT_NOTE, ProgramHeader.PF_R, 0x100, 0x400100, 0x10, 0x10, 4);
        assertEquals("no PT_LOAD segment: nothing to load", refusal(b));
    }
}
