package a64emu.guest.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    private static byte[] withInterpreter(String interpBytes) {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        byte[] interp = interpBytes.getBytes();
        b.add(ProgramHeader.PT_INTERP, ProgramHeader.PF_R, 0x200, 0x400200, interp.length, interp.length, 1);
        byte[] image = b.build();
        System.arraycopy(interp, 0, image, 0x200, interp.length);
        return image;
    }

    @Test
    void dynamicallyLinkedProgramNamesItsInterpreter() throws ElfFormatException {
        ElfFile elf = read(withInterpreter("/lib/ld-linux-aarch64.so.1\0"));
        assertEquals("/lib/ld-linux-aarch64.so.1", elf.interpreter());
    }

    @Test
    void staticProgramHasNoInterpreter() throws ElfFormatException {
        assertNull(read(ElfImageBuilder.minimal().build()).interpreter());
    }

    @Test
    void interpreterPathWithoutItsTerminatingNulIsRefusedAsLinuxDoes() {
        assertEquals("program header 1 (PT_INTERP) path is not NUL-terminated",
                refusal(withInterpreter("/lib/ld-linux-aarch64.so.1")));
    }

    @Test
    void interpreterPathOfOneByteIsRefusedAsLinuxDoes() {
        assertEquals("program header 1 (PT_INTERP) has p_filesz 1, not 2..4096", refusal(withInterpreter("\0")));
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
    void allBssSegmentWhoseOffsetLiesPastTheEndOfTheFileIsAccepted() throws ElfFormatException {
        // ld's layout of a small freestanding program: p_filesz 0, p_offset 0xfff0 in a 0x1000-byte file.
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_W, 0xfff0, 0x41fff0, 0, 0x20, 0x10000);
        assertEquals(2, read(b.build()).loadSegments().size());
    }

    @Test
    void alignmentThatIsNotAPowerOfTwoIsIgnoredAsLinuxDoes() throws ElfFormatException {
        // maximum_alignment() skips it; nothing refuses it.
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R, 0, 0x410000, 0x10, 0x10, 0x3000);
        assertEquals(2, read(b.build()).loadSegments().size());
    }

    @Test
    void overlappingSegmentsAreAcceptedAndMappedInOrderAsLinuxDoes() throws ElfFormatException {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R, 0, 0x400000, 0x10, 0x10, 0x1000);
        assertEquals(2, read(b.build()).loadSegments().size());
    }

    @Test
    void segmentBeyondTheUserAddressSpaceIsRefused() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R, 0, 1L << 48, 0x10, 0x10, 0x1000);
        assertTrue(refusal(b).contains("does not fit in the 48-bit user address space"));
    }

    @Test
    void entryPointOutsideEverySegmentIsAcceptedAsLinuxDoes() throws ElfFormatException {
        // load_elf_binary starts it; the first instruction fetch faults (SIGSEGV).
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.entry = 0x500000;
        assertEquals(0x500000, read(b.build()).entry());
    }

    @Test
    void entryPointInANonExecutableSegmentIsAcceptedAsLinuxDoes() throws ElfFormatException {
        ElfImageBuilder b = new ElfImageBuilder();
        b.add(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_W, 0, 0x400000, 0x1000, 0x1000, 0x1000);
        b.entry = 0x400100;
        assertEquals(0x400100, read(b.build()).entry());
    }

    @Test
    void entryPointBeyondTheUserAddressSpaceIsRefusedAsBadAddr() {
        ElfImageBuilder b = ElfImageBuilder.minimal();
        b.entry = 1L << 48;
        assertEquals("entry point 0x1000000000000 lies outside the 48-bit user address space", refusal(b));
    }

    @Test
    void fileWithoutLoadSegmentsIsRefused() {
        ElfImageBuilder b = new ElfImageBuilder();
        b.add(ProgramHeader.PT_NOTE, ProgramHeader.PF_R, 0x100, 0x400100, 0x10, 0x10, 4);
        assertEquals("no PT_LOAD segment: nothing to load", refusal(b));
    }
}
