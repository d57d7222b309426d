package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.Vma;
import a64emu.mmu.AccessType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /proc/meminfo: Linux 6.1's lines and layout, numbers from the frame allocator. */
class MeminfoTest {
    private final TestMachine m = new TestMachine(39, 64L << 20);

    private Map<String, Long> fields() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : new String(Meminfo.show(m.frames), StandardCharsets.UTF_8).split("\n")) {
            String[] kv = line.split(":\\s+");
            out.put(kv[0], Long.parseLong(kv[1].replace(" kB", "")));
        }
        return out;
    }

    @Test
    void everyKilobyteLineHasA16ColumnLabelAndAn8ColumnValue() {
        String[] lines = new String(Meminfo.show(m.frames), StandardCharsets.UTF_8).split("\n");
        assertEquals("MemTotal:          65536 kB", lines[0]);
        for (String line : lines) {
            if (line.startsWith("HugePages_")) {
                assertTrue(line.matches("HugePages_\\w+: +\\d+") && line.length() == 24, line);
            } else {
                assertTrue(line.matches("[A-Za-z_()]+: +\\d+ kB") && line.length() == 27, line);
            }
        }
    }

    @Test
    void fieldsAppearInLinuxOrder() {
        String order = String.join(",", fields().keySet());
        assertEquals("MemTotal,MemFree,MemAvailable,Buffers,Cached,SwapCached,Active,Inactive,Active(anon),"
                + "Inactive(anon),Active(file),Inactive(file),Unevictable,Mlocked,SwapTotal,SwapFree,Dirty,"
                + "Writeback,AnonPages,Mapped,Shmem,KReclaimable,Slab,SReclaimable,SUnreclaim,KernelStack,"
                + "PageTables,SecPageTables,NFS_Unstable,Bounce,WritebackTmp,CommitLimit,Committed_AS,VmallocTotal,"
                + "VmallocUsed,VmallocChunk,Percpu,AnonHugePages,ShmemHugePages,ShmemPmdMapped,FileHugePages,"
                + "FilePmdMapped,Balloon,HugePages_Total,HugePages_Free,HugePages_Rsvd,HugePages_Surp,Hugepagesize,"
                + "Hugetlb", order);
    }

    @Test
    void memTotalIsTheRamAndMemFreeTheFreeFrames() {
        Map<String, Long> f = fields();
        assertEquals(64L << 10, f.get("MemTotal"));
        assertEquals(m.frames.freeFrames() * 4L, f.get("MemFree"));
    }

    @Test
    void touchingAnonymousPagesMovesThemFromFreeToAnonPages() {
        long va = 0x10000000L;
        m.mm.insert(Vma.anonymous(va, va + 0x8000, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        Map<String, Long> before = fields();
        for (int i = 0; i < 3; i++) {
            assertTrue(m.faults.pageFault(va + i * 0x1000L, AccessType.WRITE).resolved());
        }
        Map<String, Long> after = fields();
        assertEquals(before.get("AnonPages") + 12, after.get("AnonPages"));
        long tablesAdded = after.get("PageTables") - before.get("PageTables");
        assertEquals(before.get("MemFree") - 12 - tablesAdded, after.get("MemFree"));
        assertEquals(after.get("Inactive(anon)") + after.get("Inactive(file)"), after.get("Inactive"));
        // The private writable area is charged to the commit whole: 8 pages.
        assertEquals(32, after.get("Committed_AS"));
        assertEquals(after.get("MemTotal") / 2, after.get("CommitLimit"));
    }
}
