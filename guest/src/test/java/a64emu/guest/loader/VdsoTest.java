package a64emu.guest.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.OutOfFramesException;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.VmLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VdsoTest {
    private static final List<String> FUNCTIONS = List.of("__kernel_rt_sigreturn", "__kernel_gettimeofday",
            "__kernel_clock_gettime", "__kernel_clock_getres");
    private static final int SHT_DYNSYM = 11;
    private static final int SHT_GNU_VERDEF = 0x6ffffffd;
    private static final int SHT_GNU_VERSYM = 0x6fffffff;
    private static final int VER_FLG_BASE = 1;

    private final byte[] image = Vdso.image();
    private final ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);

    @Test
    void imageIsASharedObjectWithOneLoadSegmentAndDynamicAndNoteSegments() throws ElfFormatException {
        ElfFile elf = ElfFile.read(TestMachine.bytes(image), VmLayout.forVaBits(48).taskSize());
        assertEquals(ElfFile.ET_DYN, elf.type());
        assertEquals(1, elf.loadSegments().size());
        assertEquals(0, elf.loadSegments().get(0).vaddr());
        assertEquals(5, elf.loadSegments().get(0).flags(), "PF_R|PF_X, as vdso.lds.S");
        assertTrue(elf.find(ProgramHeader.PT_DYNAMIC) != null);
        assertTrue(elf.find(ProgramHeader.PT_NOTE) != null);
        assertEquals(Vdso.TEXT_PAGES, VmLayout.pageAlign(image.length) / VmLayout.PAGE_SIZE);
    }

    @Test
    void dynamicSymbolsAreTheFourFunctionsOfLinuxArm64() throws ElfFormatException {
        ElfSymbols symbols = ElfSymbols.readDynamic(image);
        for (String name : FUNCTIONS) {
            assertEquals(ElfSymbols.Symbol.STT_FUNC, symbols.find(name).orElseThrow().type(), name);
        }
        assertEquals(List.of(), ElfSymbols.read(image).symbols(), "stripped as Linux strips vdso.so.dbg");
    }

    @Test
    void sigreturnOffsetIsTheSymbolsAndHoldsMovX8Svc() throws ElfFormatException {
        long offset = ElfSymbols.readDynamic(image).find("__kernel_rt_sigreturn").orElseThrow().value();
        assertEquals(offset, Vdso.SIGRETURN_OFFSET);
        assertEquals(0xD503201F, b.getInt((int) offset - 4), "the nop sigreturn.S puts before the symbol");
        assertEquals(0xD2801168, b.getInt((int) offset), "mov x8, #139 (__NR_rt_sigreturn)");
        assertEquals(0xD4000001, b.getInt((int) offset + 4), "svc #0");
    }

    @Test
    void timeFunctionsMakeTheirSystemCalls() throws ElfFormatException {
        ElfSymbols symbols = ElfSymbols.readDynamic(image);
        Map<String, Integer> numbers = Map.of("__kernel_clock_gettime", 113, "__kernel_gettimeofday", 169,
                "__kernel_clock_getres", 114);
        numbers.forEach((name, nr) -> {
            int at = (int) symbols.find(name).orElseThrow().value();
            assertEquals(0xD2800008 | nr << 5, b.getInt(at), name + ": mov x8, #" + nr);
            assertEquals(0xD4000001, b.getInt(at + 4), name + ": svc #0");
            assertEquals(0xD65F03C0, b.getInt(at + 8), name + ": ret");
        });
    }

    @Test
    void everyFunctionIsDefinedAtVersionLinux2639OfLinuxVdsoSo1() {
        Map<Integer, String> versions = new HashMap<>();
        int verdef = section(SHT_GNU_VERDEF);
        int strtab = (int) sectionOffset(header(b.getInt(verdef + 40)));
        String base = null;
        int at = (int) sectionOffset(verdef);
        while (true) {
            int flags = b.getShort(at + 2) & 0xFFFF;
            int index = b.getShort(at + 4) & 0xFFFF;
            int aux = at + b.getInt(at + 12);
            String name = cString(strtab + b.getInt(aux));
            if ((flags & VER_FLG_BASE) != 0) {
                base = name;
            } else {
                versions.put(index, name);
            }
            int next = b.getInt(at + 16);
            if (next == 0) {
                break;
            }
            at += next;
        }
        assertEquals("linux-vdso.so.1", base);
        assertEquals(List.of("LINUX_2.6.39"), List.copyOf(versions.values()));

        int dynsym = section(SHT_DYNSYM);
        int symOffset = (int) sectionOffset(dynsym);
        int count = (int) (b.getLong(dynsym + 32) / 24);
        int dynstr = (int) sectionOffset(section(SHT_DYNSYM, 40));
        int versym = (int) sectionOffset(section(SHT_GNU_VERSYM));
        List<String> defined = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            String name = cString(dynstr + b.getInt(symOffset + 24 * i));
            if (FUNCTIONS.contains(name)) {
                assertEquals("LINUX_2.6.39", versions.get(b.getShort(versym + 2 * i) & 0x7FFF), name);
                defined.add(name);
            }
        }
        assertEquals(FUNCTIONS.size(), defined.size());
    }

    @Test
    void mapsVvarRightBelowVdsoWithTheImageInIt() throws Exception {
        TestMachine m = new TestMachine(48);
        long vdso = Vdso.map(m.mm);
        long vvar = vdso - Vdso.VVAR_PAGES * VmLayout.PAGE_SIZE;
        assertEquals(List.of(String.format("0x%x-0x%x r--p [vvar]", vvar, vdso),
                String.format("0x%x-0x%x r-xp [vdso]", vdso, vdso + Vdso.TEXT_PAGES * VmLayout.PAGE_SIZE)),
                m.maps());
        byte[] read = new byte[image.length];
        m.user.read(vdso, read, 0, read.length);
        assertEquals(ByteBuffer.wrap(image), ByteBuffer.wrap(read));
    }

    @Test
    void everyProcessMapsTheSameFramesBySpecialEntries() throws OutOfFramesException, ElfFormatException {
        TestMachine m = new TestMachine(48);
        long first = Vdso.map(m.mm);
        AddressSpace other = new AddressSpace(new PageTables(m.frames, m.mmu, 48, 2), VmLayout.forVaBits(48));
        long second = Vdso.map(other);
        for (int i = 0; i < Vdso.TEXT_PAGES; i++) {
            long a = m.pt.pte(first + i * VmLayout.PAGE_SIZE);
            long c = other.pageTables().pte(second + i * VmLayout.PAGE_SIZE);
            assertTrue(PageTables.isSpecial(a) && PageTables.isSpecial(c));
            assertEquals(PageTables.frameOf(a), PageTables.frameOf(c));
        }
        other.pageTables().destroy();
        byte[] read = new byte[4];
        try {
            m.user.read(first, read, 0, 4);
        } catch (BadUserAddressException e) {
            throw new AssertionError(e);
        }
        assertEquals(ByteBuffer.wrap(image, 0, 4), ByteBuffer.wrap(read), "the frames outlive a process's tables");
    }

    @Test
    void signalReturnAddressIsInTheMappedImage() throws Exception {
        TestMachine m = new TestMachine(48);
        long vdso = Vdso.map(m.mm);
        assertEquals(0xD2801168L, m.user.read32(vdso + Vdso.SIGRETURN_OFFSET) & 0xFFFFFFFFL);
    }

    private int section(int type) {
        return section(type, -1);
    }

    /** The header of the first section of {@code type}; with {@code linkField} >= 0, of the section it links to. */
    private int section(int type, int linkField) {
        long shoff = b.getLong(40);
        int shnum = b.getShort(60) & 0xFFFF;
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + 64L * i);
            if (b.getInt(sh + 4) == type) {
                return linkField < 0 ? sh : header(b.getInt(sh + linkField));
            }
        }
        throw new AssertionError("no section of type 0x" + Integer.toHexString(type));
    }

    /** Where the header of section {@code index} is. */
    private int header(int index) {
        return (int) (b.getLong(40) + 64L * index);
    }

    /** sh_offset of the section whose header is at {@code sh}. */
    private long sectionOffset(int sh) {
        return b.getLong(sh + 24);
    }

    private String cString(int at) {
        int end = at;
        while (image[end] != 0) {
            end++;
        }
        return new String(image, at, end - at, StandardCharsets.US_ASCII);
    }
}
