package a64emu.guest;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.MemoryMap;
import a64emu.guest.mm.OutOfFramesException;
import a64emu.guest.mm.PageSource;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.TranslationRegime;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.Vmscan;
import a64emu.guest.mm.VmLayout;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Mmu;
import java.util.List;

/** The memory side of a guest process, wired as the kernel wires it, for tests. */
public final class TestMachine {
    public final PhysicalMemory ram;
    public final Mmu mmu;
    public final FrameAllocator frames;
    public final PageTables pt;
    public final AddressSpace mm;
    public final FaultHandler faults;
    public final UserMemory user;
    public final MemoryMap memoryMap;
    /** Reclaim, as the kernel attaches it (no swap unless a test adds some). */
    public final Vmscan vmscan;

    public TestMachine(int vaBits, long ramBytes) {
        ram = new PhysicalMemory(ramBytes);
        mmu = new Mmu(ram);
        frames = new FrameAllocator(ram);
        vmscan = new Vmscan(frames);
        try {
            pt = new PageTables(frames, mmu, vaBits, 1);
        } catch (OutOfFramesException e) {
            throw new AssertionError(e);
        }
        mm = new AddressSpace(pt, VmLayout.forVaBits(vaBits));
        TranslationRegime.install(mmu, pt);
        faults = new FaultHandler(mm, frames, mmu);
        user = new UserMemory(mmu, faults);
        memoryMap = new MemoryMap(mm);
    }

    public TestMachine(int vaBits) {
        this(vaBits, 64L << 20);
    }

    /** The address space's areas, lowest first, as {@link Vma#describe} writes them. */
    public List<String> maps() {
        return mm.vmas().stream().map(Vma::describe).toList();
    }

    /** A file held in a byte array. */
    public static PageSource bytes(byte[] data) {
        return new PageSource() {
            @Override
            public long size() {
                return data.length;
            }

            @Override
            public int readAt(long pos, byte[] dst, int off, int len) {
                if (pos >= data.length) {
                    return 0;
                }
                int n = (int) Math.min(len, data.length - pos);
                System.arraycopy(data, (int) pos, dst, off, n);
                return n;
            }
        };
    }
}
