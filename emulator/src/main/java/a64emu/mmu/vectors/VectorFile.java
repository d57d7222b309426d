package a64emu.mmu.vectors.format;

import a64emu.mmu.AccessType;
import a64emu.mmu.vectors.format.TranslationVector.Access;
import a64emu.mmu.vectors.format.TranslationVector.Command;
import a64emu.mmu.vectors.format.TranslationVector.Expectation;
import a64emu.mmu.vectors.format.TranslationVector.Faulted;
import a64emu.mmu.vectors.format.TranslationVector.Register;
import a64emu.mmu.vectors.format.TranslationVector.SetRegister;
import a64emu.mmu.vectors.format.TranslationVector.Translated;
import a64emu.mmu.vectors.format.TranslationVector.WriteMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads page-table vector files ({@code *.vectors}). The format, one case per block:
 *
 * <pre>
 * # comment (anywhere; '#' to the end of the line)
 * setup base48                     # a named prologue that cases include with 'use'
 *   sctlr m                        # SCTLR_EL1: raw hex, or flags m wxn
 *   tcr   t0sz=16 t1sz=16 tg0=4k tg1=4k ips=48 as=16 tbi0 ha ...   # or raw hex (+ flags)
 *   ttbr0 0x1000 asid=5            # BADDR (raw TTBR value) plus optional ASID [63:48]
 *   mair  0x000000040044ffff
 *   mem   0x1000: 0x2003           # a 64-bit descriptor (or data) at a physical address
 *
 * case ap-el0-readonly-write
 *   use   base48
 *   pan   1                        # PSTATE.PAN
 *   mem   0x4008: 0x...
 *   access el0 write 0x0000_0040_0000_1234     # el0|el1, read|write|exec
 *   expect fault ec=0x24 fsc=0x0f wnr=1 far=0x0000_0040_0000_1234
 *   access el1 read 0x1234
 *   expect pa=0x5234 attr=0xff sh=inner        # attr/sh optional
 *   expect mem 0x4008: 0x...       # memory after the access (hardware AF/dirty update)
 *   bug   why a64emu disagrees      # known emulator bug: the case is skipped unless asked for
 * </pre>
 *
 * The machine each case starts from: {@link #RAM_BYTES} of RAM at PA 0 reading as zero,
 * every register zero (so SCTLR.M=0 until a case sets it), a fresh MMU and TLB. Commands run
 * in order, so a case with two accesses sees the TLB the first one left. Register field
 * positions are the ARM ARM's (D17.2, TCR_EL1 and SCTLR_EL1), written down here
 * independently of the emulator's own {@code Tcr} so that the vectors check it.
 */
public final class VectorFile {
    /** Physical RAM of every case: 16 MiB at PA 0; walk reads beyond it get no answer. */
    public static final long RAM_BYTES = 16L << 20;

    public static final String EXTENSION = ".vectors";

    // TCR_EL1 (ARM ARM D17.2.131).
    private static final int TCR_T0SZ = 0;
    private static final int TCR_EPD0 = 7;
    private static final int TCR_TG0 = 14;
    private static final int TCR_T1SZ = 16;
    private static final int TCR_A1 = 22;
    private static final int TCR_EPD1 = 23;
    private static final int TCR_TG1 = 30;
    private static final int TCR_IPS = 32;
    private static final int TCR_AS = 36;
    private static final int TCR_TBI0 = 37;
    private static final int TCR_TBI1 = 38;
    private static final int TCR_HA = 39;
    private static final int TCR_HD = 40;
    private static final int TCR_HPD0 = 41;
    private static final int TCR_HPD1 = 42;
    // SCTLR_EL1 (ARM ARM D17.2.118).
    private static final int SCTLR_M = 0;
    private static final int SCTLR_WXN = 19;
    /** TTBRn_EL1.ASID [63:48]. */
    private static final int TTBR_ASID = 48;

    private VectorFile() {}

    /** Every case of every {@code *.vectors} file in {@code dir}, files in name order. */
    public static List<TranslationVector> readDirectory(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<TranslationVector> all = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(EXTENSION)).sorted().toList()) {
                all.addAll(read(f));
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<TranslationVector> read(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the text of one file; {@code fileName} is used in messages and sources. */
    public static List<TranslationVector> parse(String fileName, List<String> lines) {
        return new Parser(fileName).parse(lines);
    }

    private static final class Parser {
        private final String file;
        private final Map<String, List<Command>> setups = new LinkedHashMap<>();
        private final List<TranslationVector> cases = new ArrayList<>();
        private final Set<String> names = new HashSet<>();

        private String blockName;
        private boolean blockIsCase;
        private int blockLine;
        private List<Command> commands;
        // The access being built: expectations follow it.
        private int el;
        private AccessType type;
        private long va;
        private int accessLine;
        private Expectation expectation;
        private List<WriteMemory> memoryAfter;
        private int lineNo;
        private String knownBug;

        Parser(String file) {
            this.file = file;
        }

        List<TranslationVector> parse(List<String> lines) {
            for (String raw : lines) {
                lineNo++;
                int hash = raw.indexOf('#');
                String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
                if (line.isEmpty()) {
                    continue;
                }
                String[] words = line.split("\\s+");
                String keyword = words[0].toLowerCase(Locale.ROOT);
                if (keyword.equals("case") || keyword.equals("setup")) {
                    endBlock();
                    startBlock(keyword.equals("case"), words);
                    continue;
                }
                if (commands == null) {
                    throw error("'" + keyword + "' outside a case or setup block");
                }
                if (!keyword.equals("expect")) {
                    endAccess();
                }
                switch (keyword) {
                    case "use" -> use(words);
                    case "sctlr" -> commands.add(new SetRegister(Register.SCTLR, sctlr(words)));
                    case "tcr" -> commands.add(new SetRegister(Register.TCR, tcr(words)));
                    case "ttbr0" -> commands.add(new SetRegister(Register.TTBR0, ttbr(words)));
                    case "ttbr1" -> commands.add(new SetRegister(Register.TTBR1, ttbr(words)));
                    case "mair" -> commands.add(new SetRegister(Register.MAIR, single(words)));
                    case "pan" -> commands.add(new SetRegister(Register.PAN, single(words)));
                    case "mem" -> commands.add(memory(words));
                    case "access" -> access(words);
                    case "expect" -> expect(words);
                    case "bug" -> {
                        if (!blockIsCase || words.length < 2) {
                            throw error("'bug WHY' belongs in a case");
                        }
                        knownBug = line.substring(3).trim();
                    }
                    default -> throw error("unknown keyword '" + keyword + "'");
                }
            }
            endBlock();
            return cases;
        }

        private void startBlock(boolean isCase, String[] words) {
            if (words.length != 2) {
                throw error("expected '" + words[0] + " NAME'");
            }
            blockName = words[1];
            blockIsCase = isCase;
            blockLine = lineNo;
            commands = new ArrayList<>();
            knownBug = null;
            if (isCase && !names.add(blockName)) {
                throw error("duplicate case name " + blockName);
            }
            if (!isCase && setups.containsKey(blockName)) {
                throw error("duplicate setup name " + blockName);
            }
        }

        private void endBlock() {
            endAccess();
            if (commands == null) {
                return;
            }
            if (blockIsCase) {
                if (commands.stream().noneMatch(c -> c instanceof Access)) {
                    throw new IllegalArgumentException(file + ":" + blockLine + ": case " + blockName
                            + " makes no access");
                }
                cases.add(new TranslationVector(blockName, file + ":" + blockLine, List.copyOf(commands), knownBug));
            } else {
                if (commands.stream().anyMatch(c -> c instanceof Access)) {
                    throw new IllegalArgumentException(file + ":" + blockLine + ": setup " + blockName
                            + " makes an access");
                }
                setups.put(blockName, List.copyOf(commands));
            }
            commands = null;
        }

        private void use(String[] words) {
            List<Command> setup = words.length == 2 ? setups.get(words[1]) : null;
            if (setup == null) {
                throw error("'use' needs the name of a setup defined above");
            }
            commands.addAll(setup);
        }

        private void access(String[] words) {
            if (words.length != 4) {
                throw error("expected 'access el0|el1 read|write|exec VA'");
            }
            el = switch (words[1].toLowerCase(Locale.ROOT)) {
                case "el0" -> 0;
                case "el1" -> 1;
                default -> throw error("exception level must be el0 or el1: " + words[1]);
            };
            type = switch (words[2].toLowerCase(Locale.ROOT)) {
                case "read" -> AccessType.READ;
                case "write" -> AccessType.WRITE;
                case "exec" -> AccessType.EXECUTE;
                default -> throw error("access type must be read, write or exec: " + words[2]);
            };
            va = number(words[3]);
            accessLine = lineNo;
            expectation = null;
            memoryAfter = new ArrayList<>();
        }

        private void expect(String[] words) {
            if (type == null) {
                throw error("'expect' must follow an 'access'");
            }
            if (words.length >= 2 && words[1].equalsIgnoreCase("mem")) {
                memoryAfter.add(memory(words));
                return;
            }
            if (expectation != null) {
                throw error("the access already has an outcome");
            }
            Map<String, String> f = fields(words, 1);
            if (f.containsKey("fault")) {
                requireKeys(f, Set.of("fault", "ec", "fsc", "wnr", "far"), Set.of("ec", "fsc", "wnr", "far"));
                expectation = new Faulted((int) number(f.get("ec")), (int) number(f.get("fsc")),
                        flag(f.get("wnr")), number(f.get("far")));
            } else {
                requireKeys(f, Set.of("pa", "attr", "sh"), Set.of("pa"));
                int sh = !f.containsKey("sh") ? -1 : switch (f.get("sh")) {
                    case "non" -> 0;
                    case "outer" -> 2;
                    case "inner" -> 3;
                    default -> (int) number(f.get("sh"));
                };
                expectation = new Translated(number(f.get("pa")),
                        f.containsKey("attr") ? (int) number(f.get("attr")) : -1, sh);
            }
        }

        private void endAccess() {
            if (type == null) {
                return;
            }
            if (expectation == null) {
                lineNo = accessLine;
                throw error("access without 'expect pa=...' or 'expect fault ...'");
            }
            commands.add(new Access(el, type, va, expectation, List.copyOf(memoryAfter), accessLine));
            type = null;
        }

        private WriteMemory memory(String[] words) {
            // "mem PA: VALUE" or, after expect, "expect mem PA: VALUE"
            int at = words[0].equalsIgnoreCase("mem") ? 1 : 2;
            if (words.length != at + 2 || !words[at].endsWith(":")) {
                throw error("expected 'mem PA: VALUE'");
            }
            return new WriteMemory(number(words[at].substring(0, words[at].length() - 1)), number(words[at + 1]));
        }

        private long single(String[] words) {
            if (words.length != 2) {
                throw error("expected '" + words[0] + " VALUE'");
            }
            return number(words[1]);
        }

        private long sctlr(String[] words) {
            long v = 0;
            for (int i = 1; i < words.length; i++) {
                String w = words[i].toLowerCase(Locale.ROOT);
                v |= switch (w) {
                    case "m" -> 1L << SCTLR_M;
                    case "wxn" -> 1L << SCTLR_WXN;
                    default -> number(w);
                };
            }
            return v;
        }

        private long ttbr(String[] words) {
            long v = 0;
            for (int i = 1; i < words.length; i++) {
                String w = words[i].toLowerCase(Locale.ROOT);
                if (w.startsWith("asid=")) {
                    v |= number(w.substring(5)) << TTBR_ASID;
                } else {
                    v |= number(w);
                }
            }
            return v;
        }

        private long tcr(String[] words) {
            long v = 0;
            for (int i = 1; i < words.length; i++) {
                String w = words[i].toLowerCase(Locale.ROOT);
                int eq = w.indexOf('=');
                String key = eq < 0 ? w : w.substring(0, eq);
                String val = eq < 0 ? null : w.substring(eq + 1);
                v |= switch (key) {
                    case "t0sz" -> number(val) << TCR_T0SZ;
                    case "t1sz" -> number(val) << TCR_T1SZ;
                    // TG0: 00 4K, 01 64K, 10 16K; TG1: 01 16K, 10 4K, 11 64K.
                    case "tg0" -> (long) granule(val, 0b00, 0b10, 0b01) << TCR_TG0;
                    case "tg1" -> (long) granule(val, 0b10, 0b01, 0b11) << TCR_TG1;
                    case "ips" -> ips(val) << TCR_IPS;
                    case "as" -> switch (val) {
                        case "8" -> 0L;
                        case "16" -> 1L << TCR_AS;
                        default -> throw error("as=8 or as=16");
                    };
                    case "a1" -> 1L << TCR_A1;
                    case "epd0" -> 1L << TCR_EPD0;
                    case "epd1" -> 1L << TCR_EPD1;
                    case "tbi0" -> 1L << TCR_TBI0;
                    case "tbi1" -> 1L << TCR_TBI1;
                    case "ha" -> 1L << TCR_HA;
                    case "hd" -> 1L << TCR_HD;
                    case "hpd0" -> 1L << TCR_HPD0;
                    case "hpd1" -> 1L << TCR_HPD1;
                    default -> {
                        if (val != null) {
                            throw error("unknown TCR field " + key);
                        }
                        yield number(w);
                    }
                };
            }
            return v;
        }

        private int granule(String val, int k4, int k16, int k64) {
            return switch (val) {
                case "4k" -> k4;
                case "16k" -> k16;
                case "64k" -> k64;
                default -> throw error("granule must be 4k, 16k or 64k: " + val);
            };
        }

        /** IPS (ARM ARM): 000 32, 001 36, 010 40, 011 42, 100 44, 101 48, 110 52 bits. */
        private long ips(String val) {
            int[] bits = {32, 36, 40, 42, 44, 48, 52};
            int n = (int) number(val);
            for (int i = 0; i < bits.length; i++) {
                if (bits[i] == n) {
                    return i;
                }
            }
            throw error("no IPS encoding for " + val + " bits");
        }

        private Map<String, String> fields(String[] words, int from) {
            Map<String, String> f = new LinkedHashMap<>();
            for (int i = from; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                if (eq < 0) {
                    f.put(words[i].toLowerCase(Locale.ROOT), "");
                } else {
                    f.put(words[i].substring(0, eq).toLowerCase(Locale.ROOT), words[i].substring(eq + 1));
                }
            }
            return f;
        }

        private void requireKeys(Map<String, String> f, Set<String> allowed, Set<String> required) {
            for (String k : f.keySet()) {
                if (!allowed.contains(k)) {
                    throw error("unexpected '" + k + "'");
                }
            }
            for (String k : required) {
                if (!f.containsKey(k)) {
                    throw error("missing '" + k + "='");
                }
            }
        }

        private boolean flag(String v) {
            return switch (v) {
                case "0" -> false;
                case "1" -> true;
                default -> throw error("expected 0 or 1: " + v);
            };
        }

        private long number(String s) {
            if (s == null || s.isEmpty()) {
                throw error("missing number");
            }
            String t = s.replace("_", "").toLowerCase(Locale.ROOT);
            try {
                return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw error("not a number: " + s);
            }
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(file + ":" + lineNo + ": " + message);
        }
    }
}
