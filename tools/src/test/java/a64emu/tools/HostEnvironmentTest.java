package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HostEnvironmentTest {

    @Test
    void guestInheritsExactlyTheHostsVariables() {
        List<String> entries = HostEnvironment.entries();

        Map<String, String> asMap = new TreeMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            asMap.put(e.substring(0, eq), e.substring(eq + 1));
        }
        assertEquals(new TreeMap<>(System.getenv()), asMap);
        assertEquals(asMap.size(), entries.size(), "no variable twice");
    }
}
