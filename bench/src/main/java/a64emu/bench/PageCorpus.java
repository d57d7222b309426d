package a64emu.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The fixed set of 4 KiB pages the zRAM benchmark stores, the same pages for zRAM and for
 * raw lz4-java. Every page is made from a fixed seed or read from a committed file, so two
 * runs compress the same bytes.
 *
 * <p>The kinds, as anonymous memory of a real process holds them:
 * <ul>
 * <li>{@code same}: same-filled pages (half zeros, half one repeated word), which zRAM keeps
 *     as a value without compressing;</li>
 * <li>{@code elf}: consecutive pages of a static AArch64 ELF binary (code and data);</li>
 * <li>{@code text}: English-like text, lines of words from a small vocabulary;</li>
 * <li>{@code data}: a heap of small records: pointers into one region, small integers,
 *     doubles, short names;</li>
 * <li>{@code random}: random bytes, which do not compress (zRAM stores them whole);</li>
 * <li>{@code mix}: all of the above, interleaved in a fixed order: 10% same, 30% elf, 20%
 *     text, 25% data, 15% random.</li>
 * </ul>
 */
public final class PageCorpus {
    public static final int PAGE_SIZE = 4096;
    /** Pages in a corpus: a power of two, so that a benchmark cycles through them with a mask. */
    public static final int PAGES = 1024;
    public static final List<String> KINDS = List.of("mix", "same", "elf", "text", "data", "random");

    private static final long SEED = 0x7A72_616D_6265_6E63L;

    private PageCorpus() {}

    /** The {@link #PAGES} pages of corpus {@code kind}; {@code elf} is the binary the elf pages come from. */
    public static byte[][] load(String kind, Path elf) {
        SplittableRandom random = new SplittableRandom(SEED ^ kind.hashCode());
        return switch (kind) {
            case "same" -> fill(PAGES, i -> same(i));
            case "elf" -> elfPages(elf, PAGES, 0);
            case "text" -> fill(PAGES, i -> text(random));
            case "data" -> fill(PAGES, i -> data(random));
            case "random" -> fill(PAGES, i -> random(random));
            case "mix" -> mix(elf, random);
            default -> throw new IllegalArgumentException("no corpus '" + kind + "': one of " + KINDS);
        };
    }

    private interface PageMaker {
        byte[] page(int i);
    }

    private static byte[][] fill(int n, PageMaker maker) {
        byte[][] pages = new byte[n][];
        for (int i = 0; i < n; i++) {
            pages[i] = maker.page(i);
        }
        return pages;
    }

    private static byte[][] mix(Path elf, SplittableRandom random) {
        int[] shares = {10, 30, 20, 25, 15}; // same, elf, text, data, random
        List<byte[]> pages = new ArrayList<>();
        byte[][] elfPages = elfPages(elf, PAGES * shares[1] / 100, 0);
        for (int kind = 0; kind < shares.length; kind++) {
            int n = PAGES * shares[kind] / 100;
            for (int i = 0; i < n; i++) {
                pages.add(switch (kind) {
                    case 0 -> same(i);
                    case 1 -> elfPages[i];
                    case 2 -> text(random);
                    case 3 -> data(random);
                    default -> random(random);
                });
            }
        }
        while (pages.size() < PAGES) {
            pages.add(data(random));
        }
        // A fixed shuffle, so that consecutive pages are of different kinds as in a real LRU tail.
        byte[][] all = pages.toArray(new byte[0][]);
        for (int i = all.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            byte[] t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return all;
    }

    private static byte[] same(int i) {
        byte[] page = new byte[PAGE_SIZE];
        if (i % 2 == 1) {
            long word = 0x0101_0101_0101_0101L * (i & 0xFF);
            for (int at = 0; at < PAGE_SIZE; at += 8) {
                for (int b = 0; b < 8; b++) {
                    page[at + b] = (byte) (word >>> (8 * b));
                }
            }
        }
        return page;
    }

    /** {@code n} pages of the file from page {@code first}, wrapping around at its end. */
    private static byte[][] elfPages(Path elf, int n, int first) {
        byte[] file;
        try {
            file = Files.readAllBytes(elf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ELF corpus " + elf, e);
        }
        int filePages = file.length / PAGE_SIZE;
        if (filePages == 0) {
            throw new IllegalArgumentException(elf + " is smaller than one page");
        }
        byte[][] pages = new byte[n][];
        for (int i = 0; i < n; i++) {
            int at = ((first + i) % filePages) * PAGE_SIZE;
            pages[i] = Arrays.copyOfRange(file, at, at + PAGE_SIZE);
        }
        return pages;
    }

    private static final String[] WORDS = (
            "the of and to in is that for it as with was on be by this are at from or an have not which "
            + "page frame memory kernel process thread fault table entry address virtual physical swap "
            + "compressed zram reclaim list active inactive file anonymous map unmap write read dirty clean "
            + "young old access flag level walk cache buffer device block sector slot pool class size "
            + "time system call signal handler user space stack heap allocation free order zone watermark "
            + "when where because after before under over between into through during without within "
            + "value result error number count state first last next previous new each every some many").split(" ");

    private static byte[] text(SplittableRandom random) {
        StringBuilder b = new StringBuilder(PAGE_SIZE + 64);
        int lineLength = 0;
        boolean capital = true;
        while (b.length() < PAGE_SIZE) {
            String w = WORDS[random.nextInt(WORDS.length)];
            if (capital) {
                w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
                capital = false;
            }
            b.append(w);
            lineLength += w.length();
            int r = random.nextInt(16);
            if (r == 0) {
                b.append(". ");
                capital = true;
            } else if (r == 1) {
                b.append(", ");
            } else {
                b.append(' ');
            }
            if (lineLength > 64) {
                b.append('\n');
                lineLength = 0;
            }
        }
        return Arrays.copyOf(b.toString().getBytes(StandardCharsets.US_ASCII), PAGE_SIZE);
    }

    /** 48-byte records: next pointer, id, size, a double, a 16-byte name. */
    private static byte[] data(SplittableRandom random) {
        byte[] page = new byte[PAGE_SIZE];
        long region = 0x0000_7F3A_5000_0000L;
        for (int at = 0; at + 48 <= PAGE_SIZE; at += 48) {
            putLong(page, at, region + 16L * random.nextInt(1 << 16));
            putLong(page, at + 8, random.nextInt(100_000));
            putLong(page, at + 16, 1L << random.nextInt(12));
            putLong(page, at + 24, Double.doubleToLongBits(random.nextInt(1000) / 8.0));
            byte[] name = String.format(Locale.ROOT, "item-%06d", random.nextInt(1_000_000))
                    .getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, page, at + 32, Math.min(16, name.length));
        }
        return page;
    }

    private static byte[] random(SplittableRandom random) {
        byte[] page = new byte[PAGE_SIZE];
        random.nextBytes(page);
        return page;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
