package a64emu.guest;

/**
 * A system call's pointer argument does not lead to memory the process may access in
 * that way: the call fails with EFAULT (Linux's {@code copy_from_user} returning
 * non-zero).
 */
public final class BadUserAddressException extends Exception {
    public final long address;

    public BadUserAddressException(long address) {
        super(String.format("bad user address 0x%x", address), null, false, false);
        this.address = address;
    }
}
