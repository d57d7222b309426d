package a64emu.guest.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import org.junit.jupiter.api.Test;

class UnixAddressTest {
    @Test
    void aPathEndsAtItsNulAndEncodesWithOne() throws ErrnoException {
        UnixAddress a = UnixAddress.parse(new byte[] {1, 0, '/', 's', 0, 'x', 'y'});
        assertEquals("/s", a.path());
        assertArrayEquals(new byte[] {1, 0, '/', 's', 0}, a.encode());
    }

    @Test
    void anAbstractNameKeepsEveryByteOfItsLength() throws ErrnoException {
        UnixAddress a = UnixAddress.parse(new byte[] {1, 0, 0, 'a', 0, 'b'});
        assertTrue(a.isAbstract());
        assertArrayEquals(new byte[] {1, 0, 0, 'a', 0, 'b'}, a.encode());
    }

    @Test
    void anotherFamilyOrLengthIsEinval() {
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> UnixAddress.parse(new byte[] {2, 0, 'a'})).errno());
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> UnixAddress.parse(new byte[] {1, 0})).errno());
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> UnixAddress.parse(new byte[111])).errno());
    }
}
