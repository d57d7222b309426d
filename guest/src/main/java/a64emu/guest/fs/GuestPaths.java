package a64emu.guest.fs;

import java.util.ArrayList;
import java.util.List;

/** Splitting and joining guest path strings; purely lexical, no file system access. */
final class GuestPaths {
    private GuestPaths() {}

    /** Non-empty components in order; repeated slashes collapse as in Linux path walking. */
    static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) parts.add(path.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    static String join(List<String> components) {
        if (components.isEmpty()) return "/";
        StringBuilder sb = new StringBuilder();
        for (String c : components) sb.append('/').append(c);
        return sb.toString();
    }

    /**
     * Lexical absolute form of {@code path} taken relative to {@code baseDir} ("." dropped, ".."
     * pops, never above "/"). Only for recognising names such as /proc/self/exe, never for access.
     */
    static String lexicalAbsolute(String baseDir, String path) {
        List<String> out = path.startsWith("/") ? new ArrayList<>() : new ArrayList<>(split(baseDir));
        for (String c : split(path)) {
            if (c.equals(".")) continue;
            if (c.equals("..")) {
                if (!out.isEmpty()) out.remove(out.size() - 1);
                continue;
            }
            out.add(c);
        }
        return join(out);
    }
}
