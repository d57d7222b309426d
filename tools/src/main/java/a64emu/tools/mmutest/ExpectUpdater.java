package a64emu.tools.mmutest;

import a64emu.mmu.vectors.TranslationVector.Access;
import a64emu.mmu.vectors.TranslationVector.Expectation;
import a64emu.mmu.vectors.VectorRunner.AccessResult;
import a64emu.mmu.vectors.VectorRunner.CaseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code a64emu mmu-test --update}: writes what a64emu observed as the {@code expect} of each
 * access that has none, as a new line right under its {@code access} with the same indentation.
 * With {@code force}, an existing outcome {@code expect} that disagrees is rewritten in place,
 * keeping its indentation and trailing comment. Every other byte of the file stays as it was.
 */
public final class ExpectUpdater {
    private ExpectUpdater() {}

    /** Rewrites {@code file} for {@code results} (its cases); returns how many expects were written. */
    public static int update(Path file, List<CaseResult> results, boolean force) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        // line number -> replacement (replace) or line to insert after it (insert); applied bottom-up
        TreeMap<Integer, String> inserts = new TreeMap<>();
        TreeMap<Integer, String> replaces = new TreeMap<>();
        for (CaseResult r : results) {
            for (AccessResult ar : r.accesses()) {
                Access a = ar.access();
                Expectation seen = ar.observed();
                if (a.expectation() == null) {
                    String accessLine = lines.get(a.line() - 1);
                    inserts.put(a.line(), indentOf(accessLine) + "expect " + seen.toVectorSyntax());
                } else if (force && a.expectLine() > 0 && !ar.outcomeMatches()) {
                    String old = lines.get(a.expectLine() - 1);
                    int hash = old.indexOf('#');
                    String comment = hash < 0 ? "" : "   " + old.substring(hash);
                    replaces.put(a.expectLine(), indentOf(old) + "expect " + seen.toVectorSyntax() + comment);
                }
            }
        }
        replaces.forEach((line, s) -> lines.set(line - 1, s));
        for (int line : inserts.descendingKeySet()) {
            lines.add(line, inserts.get(line));
        }
        if (!inserts.isEmpty() || !replaces.isEmpty()) {
            Files.writeString(file, String.join(newline, lines), StandardCharsets.UTF_8);
        }
        return inserts.size() + replaces.size();
    }

    private static String indentOf(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return line.substring(0, i);
    }
}
