package a64emu.mmu.vectors;

/**
 * A vector file that does not follow the format ({@code docs/mmu-vectors.md}). The message
 * reads {@code file:line:column: found X, expected Y}, as compilers print it, so editors can
 * jump to the place.
 */
public final class VectorFormatException extends RuntimeException {
    private final String file;
    private final int line;
    private final int column;
    private final String found;
    private final String expected;

    /**
     * @param file     the file name as given to the parser
     * @param line     1-based line
     * @param column   1-based column of the offending word (one past the end for something missing)
     * @param found    what is there, e.g. {@code "'acess'"} or {@code "end of line"}
     * @param expected what the format allows there
     */
    public VectorFormatException(String file, int line, int column, String found, String expected) {
        super(file + ":" + line + ":" + column + ": found " + found + ", expected " + expected);
        this.file = file;
        this.line = line;
        this.column = column;
        this.found = found;
        this.expected = expected;
    }

    public String file() { return file; }
    public int line() { return line; }
    public int column() { return column; }
    public String found() { return found; }
    public String expected() { return expected; }
}
