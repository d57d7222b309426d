package a64emu.guest.loader;

/**
 * The file cannot be run: not an ELF file, malformed, for another machine, or not
 * static. The message is one line for the user, saying which rule the file breaks.
 */
public final class ElfFormatException extends Exception {
    public ElfFormatException(String reason) {
        super(reason, null, false, false);
    }
}
