// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Test shorthand: writes packets that each run from {@code offset} to their buffer's limit. */
public final class TunWrites {
    private TunWrites() {}

    public static void write(Tun tun, ByteBuffer[] bufs, int count, int offset) throws IOException {
        int[] offs = new int[count];
        int[] lens = new int[count];
        for (int i = 0; i < count; i++) {
            offs[i] = offset;
            lens[i] = bufs[i].limit() - offset;
        }
        tun.write(bufs, offs, lens, count);
    }
}
