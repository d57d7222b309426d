package a64emu.guest.mm;

import a64emu.guest.TestMachine;
import a64emu.guest.UserMemory;

/**
 * One more process's memory on a {@link TestMachine}'s RAM, MMU and frames: its own page
 * tables under its own ASID, fault handler, user-memory access and system calls.
 * {@link #run} makes its tables the live ones before touching its memory.
 */
final class Proc {
    final TestMachine machine;
    final AddressSpace mm;
    final FaultHandler faults;
    final UserMemory user;
    final MemoryMap map;

    Proc(TestMachine machine, AddressSpace mm) {
        this.machine = machine;
        this.mm = mm;
        this.faults = new FaultHandler(mm, machine.frames, machine.mmu);
        this.user = new UserMemory(machine.mmu, faults);
        this.map = new MemoryMap(mm);
    }

    /** The machine's own first process. */
    static Proc first(TestMachine m) {
        return new Proc(m, m.mm);
    }

    /** A forked child with ASID {@code asid}. */
    Proc fork(int asid) throws OutOfFramesException {
        return new Proc(machine, DupMmap.fork(mm, asid));
    }

    /** Switches the MMU to this process (TTBR0 and the ASID), as a context switch does. */
    Proc run() {
        TranslationRegime.install(machine.mmu, mm.pageTables());
        return this;
    }
}
