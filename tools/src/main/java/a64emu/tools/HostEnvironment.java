package a64emu.tools;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the host gave this process, as a guest should inherit it: the environment and
 * the command-line arguments, as qemu-aarch64 passes them on.
 *
 * <p>Linux keeps the environment in the order the shell exported it, and
 * {@code /proc/self/environ} still has it; {@link System#getenv()} is a map that has
 * lost it, so it is only the fallback (sorted, to stay reproducible). Likewise the JVM
 * decodes arguments with the locale's charset, which in the C locale turns every
 * non-ASCII byte into U+FFFD; {@code /proc/self/cmdline} still has the bytes, which the
 * guest (like the kernel) takes as UTF-8.
 */
final class HostEnvironment {
    private HostEnvironment() {}

    private static final Path PROC_ENVIRON = Path.of("/proc/self/environ");
    private static final Path PROC_CMDLINE = Path.of("/proc/self/cmdline");

    static List<String> entries() {
        try {
            List<String> entries = new ArrayList<>();
            for (byte[] entry : nulTerminated(Files.readAllBytes(PROC_ENVIRON))) {
                if (entry.length > 0) {
                    entries.add(new String(entry, StandardCharsets.UTF_8));
                }
            }
            return entries;
        } catch (IOException | UnsupportedOperationException e) {
            List<String> entries = new ArrayList<>();
            for (Map.Entry<String, String> v : new TreeMap<>(System.getenv()).entrySet()) {
                entries.add(v.getKey() + "=" + v.getValue());
            }
            return entries;
        }
    }

    /**
     * {@code args} of {@code main}, each replaced by its UTF-8 reading from
     * {@code /proc/self/cmdline} when that is the same argument as the JVM decoded it.
     * The arguments of main are the last ones of the command line.
     */
    static String[] arguments(String[] args) {
        List<byte[]> cmdline;
        try {
            cmdline = nulTerminated(Files.readAllBytes(PROC_CMDLINE));
        } catch (IOException | UnsupportedOperationException e) {
            return args;
        }
        if (cmdline.size() < args.length) {
            return args;
        }
        Charset jvm = jvmArgumentCharset();
        String[] exact = args.clone();
        int offset = cmdline.size() - args.length;
        for (int i = 0; i < args.length; i++) {
            byte[] raw = cmdline.get(offset + i);
            if (!new String(raw, jvm).equals(args[i])) {
                return args;
            }
            exact[i] = new String(raw, StandardCharsets.UTF_8);
        }
        return exact;
    }

    private static Charset jvmArgumentCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /** The NUL-terminated strings of a /proc file, empty ones included. */
    private static List<byte[]> nulTerminated(byte[] raw) {
        List<byte[]> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                byte[] s = new byte[i - start];
                System.arraycopy(raw, start, s, 0, s.length);
                strings.add(s);
                start = i + 1;
            }
        }
        return strings;
    }
}
