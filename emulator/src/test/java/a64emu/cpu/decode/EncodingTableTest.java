package a64emu.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The groups' regions, by which a decoder reads a group's table only when it meets a word
 * there, hold every encoding of the group; and the decoder that reads groups on demand
 * decodes every word as the one built from the whole table does.
 */
class EncodingTableTest {
    @Test
    void everyEncodingLiesInItsGroupsRegion() {
        List<String> outside = new ArrayList<>();
        for (EncodingTable.Group g : EncodingTable.groupTables()) {
            for (Encoding e : g.encodings().get()) {
                boolean fixesTheRegionsBits = (e.mask() & g.regionMask()) == g.regionMask();
                if (!fixesTheRegionsBits || (e.value() & g.regionMask()) != g.regionValue()) {
                    outside.add(g.type().getSimpleName() + ": " + e);
                }
            }
        }
        assertEquals(List.of(), outside);
    }

    @Test
    void groupOfNamesTheGroupThatListsTheEncoding() {
        for (EncodingTable.Group g : EncodingTable.groupTables()) {
            for (Encoding e : g.encodings().get()) {
                assertSame(g.type(), EncodingTable.groupOf(e), e.name());
            }
        }
    }

    @Test
    void decodingGroupByGroupFindsWhatTheWholeTableFinds() {
        Decoder whole = new Decoder(EncodingTable.all());
        Decoder onDemand = Decoder.ofEncodingTable();
        Random rng = new Random(20261208);
        List<String> differ = new ArrayList<>();
        List<Integer> words = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            words.add(rng.nextInt());
        }
        for (Encoding e : EncodingTable.all()) {
            for (int i = 0; i < 50; i++) {
                words.add(e.value() | (rng.nextInt() & ~e.mask()));
            }
        }
        for (int word : words) {
            Encoding expected = whole.decode(word);
            Encoding found = onDemand.decode(word);
            if (expected != found) {
                differ.add(String.format("%08x: %s, not %s", word, found.name(), expected.name()));
            }
        }
        assertEquals(List.of(), differ.subList(0, Math.min(20, differ.size())), differ.size() + " words differ");
    }
}
