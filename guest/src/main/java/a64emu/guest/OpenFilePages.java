package a64emu.guest;

import a64emu.guest.fs.OpenFile;
import a64emu.guest.mm.PageSource;

/** An open file as the source of a file-backed mapping's pages. */
public final class OpenFilePages implements PageSource {
    private final OpenFile file;

    public OpenFilePages(OpenFile file) {
        this.file = file;
    }

    public OpenFile file() {
        return file;
    }

    @Override
    public long size() {
        return file.size();
    }

    @Override
    public int readAt(long pos, byte[] dst, int off, int len) {
        return file.readAt(pos, dst, off, len);
    }
}
