package a64emu.mmu.vectors;

import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Mmu;
import a64emu.mmu.vectors.TranslationVector.Command;
import a64emu.mmu.vectors.TranslationVector.Invalidate;
import a64emu.mmu.vectors.TranslationVector.SetRegister;
import a64emu.mmu.vectors.TranslationVector.WriteMemory;

/**
 * The machine a vector case starts from ({@link VectorFile}): {@link VectorFile#RAM_BYTES} of
 * RAM at PA 0 and a fresh {@link Mmu} over it with every register zero. {@link #setUp} runs a
 * case's register, memory and TLBI commands; {@link VectorRunner} makes and judges its accesses.
 */
public final class VectorMachine {
    public final PhysicalMemory ram = new PhysicalMemory(VectorFile.RAM_BYTES);
    public final Mmu mmu = new Mmu(ram);

    /** Sets the register, writes the memory word or invalidates the TLB entries that {@code c} names. */
    public void setUp(Command c) {
        if (c instanceof SetRegister s) {
            switch (s.register()) {
                case SCTLR -> mmu.setSctlr(s.value());
                case TCR -> mmu.setTcr(s.value());
                case TTBR0 -> mmu.setTtbr0(s.value());
                case TTBR1 -> mmu.setTtbr1(s.value());
                case MAIR -> mmu.setMair(s.value());
                case PAN -> mmu.setPan(s.value() != 0);
            }
        } else if (c instanceof WriteMemory w) {
            ram.write64(w.pa(), w.value());
        } else if (c instanceof Invalidate i) {
            mmu.tlbi(i.op(), i.operand());
        } else {
            throw new IllegalArgumentException("not a set-up command: " + c);
        }
    }
}
