package a64emu.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The decoder entries by decode group (the class that owns the semantics), printed for
 * the coverage report: {@code mvn test -Dtest=EncodingCountTest}.
 */
class EncodingCountTest {
    @Test
    void printsDecoderEntriesByGroup() {
        Map<String, Integer> byGroup = new LinkedHashMap<>();
        for (Class<?> group : EncodingTable.groups()) {
            byGroup.put(group.getSimpleName(), 0);
        }
        for (Encoding e : EncodingTable.all()) {
            byGroup.merge(EncodingTable.groupOf(e).getSimpleName(), 1, Integer::sum);
        }
        StringBuilder table = new StringBuilder(String.format("%-28s %7s%n", "group", "entries"));
        byGroup.forEach((g, n) -> table.append(String.format("%-28s %7d%n", g, n)));
        table.append(String.format("%-28s %7d%n", "total", EncodingTable.all().size()));
        System.out.print(table);
        assertTrue(EncodingTable.all().size() > 500);
    }

    @Test
    void encodingNamesAreUniqueBecauseTracesAndTheDisassemblerKeyOnThem() {
        List<String> duplicates = EncodingTable.all().stream()
                .collect(Collectors.groupingBy(Encoding::name, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
        assertEquals(List.of(), duplicates);
    }
}
