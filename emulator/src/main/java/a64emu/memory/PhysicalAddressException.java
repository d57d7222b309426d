package a64emu.memory;

/**
 * A physical address outside RAM. The guest cannot cause this through a correct
 * MMU (descriptors are checked against RAM), so it signals an emulator or kernel bug.
 */
public final class PhysicalAddressException extends RuntimeException {
    public PhysicalAddressException(long pa, long ramSize) {
        super(String.format("physical address 0x%x is outside RAM (size 0x%x)", pa, ramSize));
    }
}
