package a64emu.tools.debug.console;

import java.util.OptionalLong;

/**
 * The console's address expressions, a small part of gdb's: numbers (0x hex, 0 octal, decimal),
 * registers ({@code $x0}-{@code $x30}, {@code $w0}-{@code $w30}, {@code $sp}, {@code $pc},
 * {@code $lr}, {@code $fp}), ELF symbols, parentheses, and {@code +}/{@code -} between them:
 * {@code main+0x10}, {@code $sp+16}, {@code buf+(2*0)} is not (no {@code *}).
 */
public final class Expressions {
    /** What names in an expression mean. */
    public interface Scope {
        /** The value of register {@code name} (without the $), or empty if there is none. */
        OptionalLong register(String name);

        /** The address of symbol {@code name}, or empty. */
        OptionalLong symbol(String name);
    }

    private final String text;
    private final Scope scope;
    private int pos;

    private Expressions(String text, Scope scope) {
        this.text = text;
        this.scope = scope;
    }

    /**
     * The value of {@code text}; a {@link CommandError} says what is wrong with it. With a null
     * {@code scope} only numbers are allowed.
     */
    public static long evaluate(String text, Scope scope) {
        if (text == null || text.isBlank()) {
            throw new CommandError("Argument required (an address expression).");
        }
        Expressions e = new Expressions(text.trim(), scope);
        long v = e.sum();
        e.skipSpaces();
        if (e.pos < e.text.length()) {
            throw new CommandError("Junk at end of expression: '" + e.text.substring(e.pos) + "'.");
        }
        return v;
    }

    private long sum() {
        skipSpaces();
        long v;
        if (peek() == '-') {
            pos++;
            v = -term();
        } else {
            v = term();
        }
        while (true) {
            skipSpaces();
            char c = peek();
            if (c == '+') {
                pos++;
                v += term();
            } else if (c == '-') {
                pos++;
                v -= term();
            } else {
                return v;
            }
        }
    }

    private long term() {
        skipSpaces();
        char c = peek();
        if (c == '(') {
            pos++;
            long v = sum();
            skipSpaces();
            if (peek() != ')') {
                throw new CommandError("Missing ')' in '" + text + "'.");
            }
            pos++;
            return v;
        }
        if ((c == '$' || isSymbolStart(c)) && scope == null) {
            throw new CommandError("A number is needed here, not '" + text + "'.");
        }
        if (c == '$') {
            pos++;
            String name = word();
            return scope.register(name.toLowerCase())
                    .orElseThrow(() -> new CommandError("No register $" + name + "."));
        }
        if (Character.isDigit(c)) {
            return number(word());
        }
        if (isSymbolStart(c)) {
            String name = word();
            return scope.symbol(name).orElseThrow(() -> new CommandError("No symbol \"" + name + "\" in the program."));
        }
        throw new CommandError(c == 0 ? "Incomplete expression '" + text + "'."
                : "Invalid character '" + c + "' in expression '" + text + "'.");
    }

    private static long number(String w) {
        try {
            if (w.startsWith("0x") || w.startsWith("0X")) {
                return Long.parseUnsignedLong(w.substring(2), 16);
            }
            if (w.length() > 1 && w.startsWith("0")) {
                return Long.parseUnsignedLong(w.substring(1), 8);
            }
            return Long.parseUnsignedLong(w);
        } catch (NumberFormatException e) {
            throw new CommandError("Invalid number \"" + w + "\".");
        }
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && isSymbolPart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private static boolean isSymbolStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '.';
    }

    private static boolean isSymbolPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$';
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
