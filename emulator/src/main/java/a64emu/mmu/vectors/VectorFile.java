package a64emu.mmu.vectors;

import a64emu.mmu.AccessType;
import a64emu.mmu.TlbiOp;
import a64emu.mmu.vectors.TranslationVector.Access;
import a64emu.mmu.vectors.TranslationVector.Command;
import a64emu.mmu.vectors.TranslationVector.Expectation;
import a64emu.mmu.vectors.TranslationVector.Faulted;
import a64emu.mmu.vectors.TranslationVector.Invalidate;
import a64emu.mmu.vectors.TranslationVector.Register;
import a64emu.mmu.vectors.TranslationVector.SetRegister;
import a64emu.mmu.vectors.TranslationVector.Translated;
import a64emu.mmu.vectors.TranslationVector.WriteMemory;
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
 * Reads page-table vector files ({@code *.vectors}); {@code docs/mmu-vectors.md} is the
 * format reference. In short, one case per block:
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
 *   tlbi  vae1 va=0x1234 asid=5    # vmalle1, aside1 asid=, vae1/vale1 va= asid=, vaae1/vaale1 va= (+is)
 *   access el1 read 0x1234
 *   expect pa=0x5234 attr=0xff sh=inner        # attr/sh optional
 *   expect mem 0x4008: 0x...       # memory after the access (hardware AF/dirty update)
 *   bug   why a64emu disagrees      # known emulator bug: the case is skipped unless asked for
 * </pre>
 *
 * Parsing is strict: anything the format does not allow is a {@link VectorFormatException}
 * naming {@code file:line:column}, what was found and what was expected. That includes an
 * unknown directive, a {@code use} of a setup not defined above, two {@code mem} writes that
 * overlap with no access between them, and an {@code expect} that cannot apply (no access
 * before it, a second outcome, an EC or WnR the access cannot produce). An access with no
 * outcome {@code expect} is read with a null expectation: the runner reports it as failing.
 *
 * <p>The machine each case starts from: {@link #RAM_BYTES} of RAM at PA 0 reading as zero,
 * every register zero (so SCTLR.M=0 until a case sets it), a fresh MMU and TLB. Commands run
 * in order, so a case with two accesses sees the TLB the first one left. Register field
 * positions are the ARM ARM's (D17.2, TCR_EL1 and SCTLR_EL1), written down here
 * independently of the emulator's own {@code Tcr} so that the vectors check it.
 */
public final class VectorFile {
    /** Physical RAM of every case: 16 MiB at PA 0; walk reads beyond it get no answer. */
    public static final long RAM_BYTES = 16L << 20;

    public static final String EXTENSION = ".vectors";

    /** Every directive the parser accepts, in the order the reference lists them. */
    public static final List<String> DIRECTIVES = List.of("setup", "case", "use", "sctlr", "tcr", "ttbr0",
            "ttbr1", "mair", "pan", "mem", "tlbi", "access", "expect", "bug");

    // TCR_EL1 (ARM ARM D17.2.131).
    static final int TCR_T0SZ = 0;
    static final int TCR_EPD0 = 7;
    static final int TCR_TG0 = 14;
    static final int TCR_T1SZ = 16;
    static final int TCR_A1 = 22;
    static final int TCR_EPD1 = 23;
    static final int TCR_TG1 = 30;
    static final int TCR_IPS = 32;
    static final int TCR_AS = 36;
    static final int TCR_TBI0 = 37;
    static final int TCR_TBI1 = 38;
    static final int TCR_HA = 39;
    static final int TCR_HD = 40;
    static final int TCR_HPD0 = 41;
    static final int TCR_HPD1 = 42;
    // SCTLR_EL1 (ARM ARM D17.2.118).
    private static final int SCTLR_M = 0;
    private static final int SCTLR_WXN = 19;
    /** TTBRn_EL1.ASID [63:48]. */
    private static final int TTBR_ASID = 48;
    /** IPS encodings 000..110 (ARM ARM): output address size in bits. */
    private static final int[] IPS_BITS = {32, 36, 40, 42, 44, 48, 52};
    private static final String ACCESS_SYNTAX = "'access el0|el1 read|write|exec VA'";

    private VectorFile() {}

    /** Every case of every {@code *.vectors} file in {@code dir}, files in name order. */
    public static List<TranslationVector> readDirectory(Path dir) {
        List<TranslationVector> all = new ArrayList<>();
        for (Path f : filesIn(dir)) {
            all.addAll(read(f));
        }
        return all;
    }

    /** The {@code *.vectors} files directly in {@code dir}, in name order. */
    public static List<Path> filesIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(EXTENSION) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cases of one file; messages and {@link TranslationVector#source} use its file name. */
    public static List<TranslationVector> read(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses the text of one file; {@code fileName} is used in messages and sources.
     *
     * @throws VectorFormatException at the first thing the format does not allow
     */
    public static List<TranslationVector> parse(String fileName, List<String> lines) {
        return new Parser(fileName).parse(lines);
    }

    /** SH[1:0] in the words {@code expect ... sh=} takes: non, outer, inner (01 is reserved). */
    public static String shareabilityName(int sh) {
        return switch (sh) {
            case 0 -> "non";
            case 2 -> "outer";
            case 3 -> "inner";
            default -> Integer.toString(sh);
        };
    }

    /** A word of a line and its 1-based column. */
    private record Word(String text, int column) {
        String lower() {
            return text.toLowerCase(Locale.ROOT);
        }
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
        /** mem writes since the last access (or block start), with where each came from. */
        private final Map<WriteMemory, String> pendingWrites = new LinkedHashMap<>();
        // The access being built: expectations follow it.
        private int el;
        private AccessType type;
        private long va;
        private int accessLine;
        private int expectLine;
        private Expectation expectation;
        private List<WriteMemory> memoryAfter;
        private String knownBug;
        private int lineNo;
        private int lineLength;

        Parser(String file) {
            this.file = file;
        }

        List<TranslationVector> parse(List<String> lines) {
            for (String raw : lines) {
                lineNo++;
                int hash = raw.indexOf('#');
                String text = hash >= 0 ? raw.substring(0, hash) : raw;
                List<Word> words = split(text);
                lineLength = text.stripTrailing().length();
                if (words.isEmpty()) {
                    continue;
                }
                Word keyword = words.get(0);
                String k = keyword.lower();
                if (k.equals("case") || k.equals("setup")) {
                    endBlock();
                    startBlock(k.equals("case"), words);
                    continue;
                }
                if (!DIRECTIVES.contains(k)) {
                    throw error(keyword, "directive " + String.join(", ", DIRECTIVES));
                }
                if (commands == null) {
                    throw error(keyword, "'case NAME' or 'setup NAME' before the first " + k);
                }
                if (!k.equals("expect")) {
                    endAccess();
                }
                switch (k) {
                    case "use" -> use(words);
                    case "sctlr" -> register(Register.SCTLR, sctlr(words));
                    case "tcr" -> register(Register.TCR, tcr(words));
                    case "ttbr0" -> register(Register.TTBR0, ttbr(words));
                    case "ttbr1" -> register(Register.TTBR1, ttbr(words));
                    case "mair" -> register(Register.MAIR, single(words, "'mair VALUE'"));
                    case "pan" -> register(Register.PAN, pan(words));
                    case "mem" -> write(memory(words, 1), keyword, false);
                    case "tlbi" -> commands.add(tlbi(words));
                    case "access" -> access(words);
                    case "expect" -> expect(words);
                    case "bug" -> bug(words, text);
                    default -> throw new IllegalStateException(k);
                }
            }
            endBlock();
            return cases;
        }

        private static List<Word> split(String text) {
            List<Word> words = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    words.add(new Word(text.substring(start, i), start + 1));
                }
            }
            return words;
        }

        private void startBlock(boolean isCase, List<Word> words) {
            String kind = words.get(0).lower();
            if (words.size() != 2) {
                throw words.size() < 2 ? missing("a name: '" + kind + " NAME'")
                        : error(words.get(2), "end of line after '" + kind + " NAME' (names have no spaces)");
            }
            blockName = words.get(1).text();
            blockIsCase = isCase;
            blockLine = lineNo;
            commands = new ArrayList<>();
            pendingWrites.clear();
            knownBug = null;
            if (isCase && !names.add(blockName)) {
                throw error(words.get(1), "a case name not used before in this file");
            }
            if (!isCase && setups.containsKey(blockName)) {
                throw error(words.get(1), "a setup name not used before in this file");
            }
        }

        private void endBlock() {
            endAccess();
            if (commands == null) {
                return;
            }
            if (blockIsCase) {
                if (commands.stream().noneMatch(c -> c instanceof Access)) {
                    throw new VectorFormatException(file, blockLine, 1, "case " + blockName + " with no access",
                            "at least one 'access' line in a case");
                }
                cases.add(new TranslationVector(blockName, file + ":" + blockLine, List.copyOf(commands), knownBug));
            } else {
                setups.put(blockName, List.copyOf(commands));
            }
            commands = null;
        }

        private void register(Register r, long value) {
            commands.add(new SetRegister(r, value));
        }

        private void use(List<Word> words) {
            if (words.size() != 2) {
                throw words.size() < 2 ? missing("'use SETUP'") : error(words.get(2), "end of line after 'use SETUP'");
            }
            List<Command> setup = setups.get(words.get(1).text());
            if (setup == null) {
                throw error(words.get(1), setups.isEmpty() ? "the name of a setup defined above (none is)"
                        : "the name of a setup defined above: " + String.join(", ", setups.keySet()));
            }
            for (Command c : setup) {
                if (c instanceof WriteMemory w) {
                    write(w, words.get(1), true);
                } else {
                    commands.add(c);
                }
            }
        }

        /**
         * Adds a mem write, refusing one that overlaps an earlier write with no access between:
         * the earlier one would be dead or half-overwritten. The one exception is a case's own
         * {@code mem} replacing exactly the word a {@code use}d setup wrote (same address), which
         * is how a case varies one descriptor of a shared set of tables.
         */
        private void write(WriteMemory w, Word at, boolean fromSetup) {
            WriteMemory replaced = null;
            for (Map.Entry<WriteMemory, String> e : pendingWrites.entrySet()) {
                long other = e.getKey().pa();
                if (w.pa() - other < 8 && other - w.pa() < 8) {
                    if (!fromSetup && other == w.pa() && e.getValue().startsWith("setup ")) {
                        replaced = e.getKey();
                        continue;
                    }
                    throw error(at, String.format("no second write to bytes written by %s (mem 0x%x)"
                            + " with no access between them", e.getValue(), other));
                }
            }
            if (replaced != null) {
                pendingWrites.remove(replaced);
            }
            pendingWrites.put(w, fromSetup ? "setup " + at.text() : "line " + lineNo);
            commands.add(w);
        }

        private void bug(List<Word> words, String text) {
            if (!blockIsCase) {
                throw error(words.get(0), "'bug' only in a case, not in setup " + blockName);
            }
            if (words.size() < 2) {
                throw missing("'bug WHY'");
            }
            knownBug = text.substring(words.get(1).column() - 1).trim();
        }

        private void access(List<Word> words) {
            if (words.size() != 4) {
                throw words.size() < 4 ? missing(ACCESS_SYNTAX) : error(words.get(4), "end of line after " + ACCESS_SYNTAX);
            }
            el = switch (words.get(1).lower()) {
                case "el0" -> 0;
                case "el1" -> 1;
                default -> throw error(words.get(1), "el0 or el1");
            };
            type = switch (words.get(2).lower()) {
                case "read" -> AccessType.READ;
                case "write" -> AccessType.WRITE;
                case "exec" -> AccessType.EXECUTE;
                default -> throw error(words.get(2), "read, write or exec");
            };
            va = number(words.get(3));
            accessLine = lineNo;
            expectLine = 0;
            expectation = null;
            memoryAfter = new ArrayList<>();
            pendingWrites.clear();
        }

        private void expect(List<Word> words) {
            Word keyword = words.get(0);
            if (type == null) {
                throw error(keyword, blockIsCase ? "an 'access' line before its 'expect'"
                        : "no 'expect' in setup " + blockName + " (a setup makes no access)");
            }
            if (words.size() >= 2 && words.get(1).lower().equals("mem")) {
                memoryAfter.add(memory(words, 2));
                return;
            }
            if (expectation != null) {
                throw error(keyword, "one outcome per access (line " + expectLine + " already gives it);"
                        + " a second outcome needs another 'access'");
            }
            if (words.size() < 2) {
                throw missing("'expect pa=PA [attr=A] [sh=S]', 'expect fault ec= fsc= wnr= far=' or 'expect mem PA: V'");
            }
            Map<String, Word> f = fields(words);
            if (f.containsKey("fault")) {
                requireKeys(f, Set.of("fault", "ec", "fsc", "wnr", "far"), List.of("ec", "fsc", "wnr", "far"),
                        "for a fault");
                expectation = fault(f);
            } else {
                requireKeys(f, Set.of("pa", "attr", "sh"), List.of("pa"), "for a translation ('fault' for a fault)");
                int sh = !f.containsKey("sh") ? -1 : switch (value(f.get("sh"))) {
                    case "non" -> 0;
                    case "outer" -> 2;
                    case "inner" -> 3;
                    default -> {
                        long n = number(f.get("sh"), value(f.get("sh")));
                        if (n < 0 || n > 3) {
                            throw error(f.get("sh"), "sh=non, outer, inner or 0-3");
                        }
                        yield (int) n;
                    }
                };
                long attr = f.containsKey("attr") ? number(f.get("attr"), value(f.get("attr"))) : -1;
                if (attr > 0xff) {
                    throw error(f.get("attr"), "a MAIR attribute byte (0x00-0xff)");
                }
                expectation = new Translated(number(f.get("pa"), value(f.get("pa"))), (int) attr, sh);
            }
            expectLine = lineNo;
        }

        /** A fault outcome, refused when the access cannot take that EC or WnR. */
        private Faulted fault(Map<String, Word> f) {
            Word ecWord = f.get("ec");
            int ec = (int) number(ecWord, value(ecWord));
            boolean fetch = type == AccessType.EXECUTE;
            // ESR_EL1.EC: Instruction Abort 0x20 (from EL0) / 0x21 (from EL1), Data Abort 0x24 / 0x25.
            int wantEc = (fetch ? 0x20 : 0x24) | el;
            if (ec != wantEc) {
                throw error(ecWord, String.format("ec=0x%02x (%s abort from EL%d) for an '%s' access at el%d",
                        wantEc, fetch ? "instruction" : "data", el, typeName(type), el));
            }
            Word fscWord = f.get("fsc");
            int fsc = (int) number(fscWord, value(fscWord));
            int kind = fsc & 0x3c;
            boolean translationFault = (kind <= 0x0c && fsc <= 0x0f) || fsc == 0x10 || kind == 0x14;
            if (!translationFault) {
                throw error(fscWord, "an FSC a stage 1 translation can report: 0x00-0x03 address size, 0x04-0x07"
                        + " translation, 0x08-0x0b access flag, 0x0c-0x0f permission, 0x10 or 0x14-0x17 external abort");
            }
            Word wnrWord = f.get("wnr");
            boolean wnr = switch (value(wnrWord)) {
                case "0" -> false;
                case "1" -> true;
                default -> throw error(wnrWord, "wnr=0 or wnr=1");
            };
            // ISS.WnR is 1 for a store, 0 for a load; instruction aborts have no WnR (0).
            if (wnr != (type == AccessType.WRITE)) {
                throw error(wnrWord, "wnr=" + (type == AccessType.WRITE ? 1 : 0) + " for an '" + typeName(type)
                        + "' access");
            }
            return new Faulted(ec, fsc, wnr, number(f.get("far"), value(f.get("far"))));
        }

        private static String typeName(AccessType t) {
            return switch (t) {
                case READ -> "read";
                case WRITE -> "write";
                case EXECUTE -> "exec";
            };
        }

        private void endAccess() {
            if (type == null) {
                return;
            }
            commands.add(new Access(el, type, va, expectation, List.copyOf(memoryAfter), accessLine, expectLine));
            type = null;
        }

        private WriteMemory memory(List<Word> words, int at) {
            // "mem PA: VALUE" or, after expect, "expect mem PA: VALUE"
            String syntax = at == 1 ? "'mem PA: VALUE'" : "'expect mem PA: VALUE'";
            if (words.size() < at + 2) {
                throw missing(syntax);
            }
            if (words.size() > at + 2) {
                throw error(words.get(at + 2), "end of line after " + syntax);
            }
            Word pa = words.get(at);
            if (!pa.text().endsWith(":")) {
                throw error(pa, "'PA:' (the address, then a colon) in " + syntax);
            }
            return new WriteMemory(number(pa, pa.text().substring(0, pa.text().length() - 1)),
                    number(words.get(at + 1)));
        }

        private long single(List<Word> words, String syntax) {
            if (words.size() != 2) {
                throw words.size() < 2 ? missing(syntax) : error(words.get(2), "end of line after " + syntax);
            }
            return number(words.get(1));
        }

        private long pan(List<Word> words) {
            long v = single(words, "'pan 0|1'");
            if (v != 0 && v != 1) {
                throw error(words.get(1), "0 or 1 (PSTATE.PAN)");
            }
            return v;
        }

        private long sctlr(List<Word> words) {
            if (words.size() < 2) {
                throw missing("'sctlr' followed by m, wxn and/or a hex value");
            }
            long v = 0;
            for (Word w : words.subList(1, words.size())) {
                v |= switch (w.lower()) {
                    case "m" -> 1L << SCTLR_M;
                    case "wxn" -> 1L << SCTLR_WXN;
                    default -> number(w, w.text(), "m, wxn or a number");
                };
            }
            return v;
        }

        private long ttbr(List<Word> words) {
            if (words.size() < 2) {
                throw missing("'" + words.get(0).lower() + " BADDR [asid=N]'");
            }
            long v = 0;
            for (Word w : words.subList(1, words.size())) {
                if (w.lower().startsWith("asid=")) {
                    long asid = number(w, w.text().substring(5));
                    if (asid > 0xffff) {
                        throw error(w, "an ASID of at most 16 bits");
                    }
                    v |= asid << TTBR_ASID;
                } else {
                    v |= number(w, w.text(), "a base address or asid=N");
                }
            }
            return v;
        }

        private long tcr(List<Word> words) {
            if (words.size() < 2) {
                throw missing("'tcr' followed by fields (t0sz=16 tg0=4k ...) and/or a hex value");
            }
            long v = 0;
            for (Word w : words.subList(1, words.size())) {
                String lower = w.lower();
                int eq = lower.indexOf('=');
                String key = eq < 0 ? lower : lower.substring(0, eq);
                String val = eq < 0 ? null : lower.substring(eq + 1);
                boolean valued = Set.of("t0sz", "t1sz", "tg0", "tg1", "ips", "as").contains(key);
                if (valued && val == null) {
                    throw error(w, key + "=VALUE");
                }
                if (!valued && val != null && !key.isEmpty() && Character.isLetter(key.charAt(0))) {
                    throw error(w, "a TCR field: t0sz= t1sz= tg0= tg1= ips= as= or flag a1 epd0 epd1 tbi0 tbi1"
                            + " ha hd hpd0 hpd1");
                }
                v |= switch (key) {
                    case "t0sz" -> txsz(w, val) << TCR_T0SZ;
                    case "t1sz" -> txsz(w, val) << TCR_T1SZ;
                    // TG0: 00 4K, 01 64K, 10 16K; TG1: 01 16K, 10 4K, 11 64K.
                    case "tg0" -> (long) granule(w, val, 0b00, 0b10, 0b01) << TCR_TG0;
                    case "tg1" -> (long) granule(w, val, 0b10, 0b01, 0b11) << TCR_TG1;
                    case "ips" -> ips(w, val) << TCR_IPS;
                    case "as" -> switch (val) {
                        case "8" -> 0L;
                        case "16" -> 1L << TCR_AS;
                        default -> throw error(w, "as=8 or as=16");
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
                    default -> number(w, w.text(), "a TCR field: t0sz= t1sz= tg0= tg1= ips= as= or flag a1 epd0"
                            + " epd1 tbi0 tbi1 ha hd hpd0 hpd1, or a hex value");
                };
            }
            return v;
        }

        private long txsz(Word w, String val) {
            long n = number(w, val);
            if (n > 63) {
                throw error(w, "a 6-bit TxSZ (0-63)");
            }
            return n;
        }

        private int granule(Word w, String val, int k4, int k16, int k64) {
            return switch (val) {
                case "4k" -> k4;
                case "16k" -> k16;
                case "64k" -> k64;
                default -> throw error(w, "granule 4k, 16k or 64k");
            };
        }

        private long ips(Word w, String val) {
            long n = number(w, val);
            for (int i = 0; i < IPS_BITS.length; i++) {
                if (IPS_BITS[i] == n) {
                    return i;
                }
            }
            throw error(w, "ips=32, 36, 40, 42, 44, 48 or 52 (bits)");
        }

        private Invalidate tlbi(List<Word> words) {
            if (words.size() < 2) {
                throw missing("'tlbi OP [va=VA] [asid=N]' with OP one of " + tlbiNames());
            }
            Word opWord = words.get(1);
            TlbiOp op;
            try {
                op = TlbiOp.valueOf(opWord.text().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(opWord, "a TLBI operation: " + tlbiNames());
            }
            Map<String, Word> f = fields(words.subList(1, words.size()));
            f.remove(opWord.lower());
            List<String> need = switch (op.scope) {
                case ALL -> List.of();
                case ASID -> List.of("asid");
                case VA_ASID -> List.of("va", "asid");
                case VA_ALL_ASIDS -> List.of("va");
            };
            requireKeys(f, Set.copyOf(need), need, "for tlbi " + opWord.lower());
            long va = f.containsKey("va") ? number(f.get("va"), value(f.get("va"))) : 0;
            long asid = f.containsKey("asid") ? number(f.get("asid"), value(f.get("asid"))) : 0;
            if (asid > 0xffff) {
                throw error(f.get("asid"), "an ASID of at most 16 bits");
            }
            return new Invalidate(op, TlbiOp.operand(va, (int) asid));
        }

        private static String tlbiNames() {
            List<String> n = new ArrayList<>();
            for (TlbiOp op : TlbiOp.values()) {
                n.add(op.name().toLowerCase(Locale.ROOT));
            }
            return String.join(", ", n);
        }

        /** {@code key=value} words (and bare flags, value "") after the keyword, keyed in lower case. */
        private Map<String, Word> fields(List<Word> words) {
            Map<String, Word> f = new LinkedHashMap<>();
            for (Word w : words.subList(1, words.size())) {
                int eq = w.text().indexOf('=');
                String key = (eq < 0 ? w.text() : w.text().substring(0, eq)).toLowerCase(Locale.ROOT);
                if (f.put(key, w) != null) {
                    throw error(w, "each field once ('" + key + "' is given twice)");
                }
            }
            return f;
        }

        private static String value(Word w) {
            int eq = w.text().indexOf('=');
            return eq < 0 ? "" : w.text().substring(eq + 1).toLowerCase(Locale.ROOT);
        }

        private void requireKeys(Map<String, Word> f, Set<String> allowed, List<String> required, String what) {
            for (Map.Entry<String, Word> e : f.entrySet()) {
                if (!allowed.contains(e.getKey())) {
                    throw error(e.getValue(), (allowed.isEmpty() ? "no fields" : "only "
                            + String.join(", ", required.isEmpty() ? allowed : orderedUnion(required, allowed)))
                            + " " + what);
                }
            }
            for (String k : required) {
                if (!f.containsKey(k)) {
                    throw missing("'" + k + "=' " + what);
                }
            }
        }

        private static List<String> orderedUnion(List<String> first, Set<String> all) {
            List<String> out = new ArrayList<>(first);
            all.stream().sorted().filter(k -> !out.contains(k)).forEach(out::add);
            return out;
        }

        private long number(Word w) {
            return number(w, w.text());
        }

        private long number(Word w, String s) {
            return number(w, s, "a number (decimal, or hex with 0x; '_' allowed)");
        }

        /** A decimal or 0x-hex number, {@code _} allowed as a separator; {@code s} is part of {@code w}. */
        private long number(Word w, String s, String expected) {
            String t = s.replace("_", "").toLowerCase(Locale.ROOT);
            try {
                if (t.startsWith("0x") && t.length() > 2) {
                    return Long.parseUnsignedLong(t.substring(2), 16);
                }
                if (!t.isEmpty() && !t.startsWith("-") && !t.startsWith("+")) {
                    return Long.parseLong(t);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw error(w, expected);
        }

        private VectorFormatException error(Word at, String expected) {
            return new VectorFormatException(file, lineNo, at.column(), "'" + at.text() + "'", expected);
        }

        /** Something required is absent: the column is one past the end of the line's text. */
        private VectorFormatException missing(String expected) {
            return new VectorFormatException(file, lineNo, lineLength + 1, "end of line", expected);
        }
    }
}
