package a64emu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KcmpTest {
    private final Kcmp kcmp = new Kcmp(new SplittableRandom(7));

    @Test
    void theSameObjectComparesZeroAndTwoOthersInOppositeOrders() {
        Object a = new Object();
        Object b = new Object();
        assertEquals(0, kcmp.compare(a, a, Kcmp.KCMP_FILE));
        assertEquals(0, kcmp.compare(null, null, Kcmp.KCMP_IO));
        int ab = kcmp.compare(a, b, Kcmp.KCMP_FILE);
        assertNotEquals(0, ab);
        assertEquals(3 - ab, kcmp.compare(b, a, Kcmp.KCMP_FILE));
        assertEquals(ab, kcmp.compare(a, b, Kcmp.KCMP_FILE), "stable for the run");
    }
}
