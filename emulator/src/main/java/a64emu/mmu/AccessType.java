package a64emu.mmu;

/** What a memory access does, as the MMU's permission checks see it. */
public enum AccessType {
    READ,
    WRITE,
    /** Instruction fetch. */
    EXECUTE
}
