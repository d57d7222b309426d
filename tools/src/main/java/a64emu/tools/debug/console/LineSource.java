package a64emu.tools.debug.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where the console's commands come from: the lines of a command file ({@code -x}), then
 * standard input; the console shows the lines of a file after its prompt, as a transcript.
 */
public final class LineSource {
    /** One command line and whether the console should show it (it was not typed at a terminal). */
    public record Line(String text, boolean echo) {}

    private record Source(BufferedReader reader, boolean echo) {}

    private final Deque<Source> sources = new ArrayDeque<>();

    private LineSource() {}

    /**
     * The lines of {@code file} (if not null), then those of {@code stdin} (if not null);
     * {@code echoStdin} when stdin is a script rather than a person (batch mode).
     */
    public static LineSource of(Path file, InputStream stdin, boolean echoStdin) throws IOException {
        LineSource s = new LineSource();
        if (file != null) {
            s.sources.add(new Source(Files.newBufferedReader(file, StandardCharsets.UTF_8), true));
        }
        if (stdin != null) {
            s.sources.add(new Source(new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)),
                    echoStdin));
        }
        return s;
    }

    /** Lines given as text (tests). */
    public static LineSource ofText(String text) {
        LineSource s = new LineSource();
        s.sources.add(new Source(new BufferedReader(new java.io.StringReader(text)), true));
        return s;
    }

    /** Whether the next line will be read from a person at a terminal (a prompt is due). */
    public boolean interactive() {
        Source s = sources.peekFirst();
        return s != null && !s.echo();
    }

    /** The next line, or null at the end of every source. */
    public Line next() {
        while (!sources.isEmpty()) {
            Source s = sources.peekFirst();
            String line;
            try {
                line = s.reader().readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (line != null) {
                return new Line(line, s.echo());
            }
            sources.removeFirst();
        }
        return null;
    }
}
