package a64emu.guest.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpcIdsTest {
    static final class Obj extends IpcObject {
        Obj(int key, int mode) {
            this.key = key;
            this.mode = mode;
        }
    }

    private final IpcIds<Obj> ids = new IpcIds<>();
    private final IpcCaller root = Callers.root(1);

    private long create(int key, int flg, IpcCaller c) {
        return ids.get(key, flg, c, () -> ids.add(new Obj(key, flg & 0777), 3, c));
    }

    @Test
    void idsAreTheIndexPlusTheSequenceNumberTimes32768AndAReusedIndexBumpsIt() {
        assertEquals(0, create(0, Ipc.IPC_CREAT | 0600, root));
        assertEquals(1, create(0, Ipc.IPC_CREAT | 0600, root));
        ids.remove(ids.check(0));
        assertEquals(32768, create(0, Ipc.IPC_CREAT | 0600, root), "index 0 again, sequence 1");
        assertEquals(2 + 32768, create(0, Ipc.IPC_CREAT | 0600, root), "index 2 is above the last one");
        assertNull(ids.check(0), "the old id no longer names the object at its index");
        assertSame(ids.check(32768), ids.byIndex(0));
    }

    @Test
    void keysFollowIpcgetNoCreateIsEnoentExclusiveIsEexistAndTheLimitIsEnospc() {
        assertEquals(-Errno.ENOENT, create(7, 0600, root));
        long id = create(7, Ipc.IPC_CREAT | 0600, root);
        assertEquals(id, create(7, Ipc.IPC_CREAT | 0600, root));
        assertEquals(id, create(7, 0, root));
        assertEquals(-Errno.EEXIST, create(7, Ipc.IPC_CREAT | Ipc.IPC_EXCL | 0600, root));
        create(0, Ipc.IPC_CREAT, root);
        create(0, Ipc.IPC_CREAT, root);
        assertEquals(-Errno.ENOSPC, create(0, Ipc.IPC_CREAT, root));
    }

    @Test
    void aKeyMadePrivateIsNotFoundAnyMore() {
        long id = create(9, Ipc.IPC_CREAT | 0600, root);
        ids.setKeyPrivate(ids.check((int) id));
        assertEquals(-Errno.ENOENT, create(9, 0, root));
        assertEquals(Ipc.IPC_PRIVATE, ids.check((int) id).key());
    }

    @Test
    void ipcpermsUsesTheOwnersThenTheGroupsThenTheOthersBitsAndCapIpcOwnerGrantsAll() {
        IpcCaller owner = Callers.user(2, 1000, 100);
        long id = create(5, Ipc.IPC_CREAT | 0640, owner);
        Obj o = ids.check((int) id);
        assertTrue(o.permits(owner, 0600));
        assertTrue(o.permits(Callers.user(3, 2000, 100), 0400));
        assertFalse(o.permits(Callers.user(3, 2000, 100), 0200));
        assertFalse(o.permits(Callers.user(4, 2000, 200), 0400));
        assertTrue(o.permits(new IpcCaller(4, 2000, 200, List.of(100L), 0, 0, 0), 0400), "a supplementary group");
        assertTrue(o.permits(new IpcCaller(5, 2000, 200, List.of(), 1L << IpcCaller.CAP_IPC_OWNER, 0, 0), 0600));
        assertEquals(-Errno.EACCES, create(5, 0600, Callers.user(3, 2000, 100)));
        assertEquals(id, create(5, 0400, Callers.user(3, 2000, 100)));
    }

    @Test
    void theHighestIndexInUseIsWhatIpcInfoReturns() {
        assertEquals(-1, ids.maxIdx());
        create(0, Ipc.IPC_CREAT, root);
        create(0, Ipc.IPC_CREAT, root);
        assertEquals(1, ids.maxIdx());
    }
}
