// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code struct ifreq} (netdevice(7)) in native memory, the argument of the interface ioctls:
 * a NUL-padded interface name of {@value #IFNAMSIZ} bytes followed by a union read as flags, MTU
 * or interface index depending on the request.
 *
 * <p>Allocated once and reused, so periodic ioctls (the MTU refresh) allocate nothing.
 * Not thread-safe.
 */
final class Ifreq {

    static final int IFNAMSIZ = 16;
    private static final int SIZE = 40;
    private static final int UNION = IFNAMSIZ;
    private static final byte[] ZEROS = new byte[SIZE];

    private final ByteBuffer memory = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
    private final long address = LibC.address(memory);

    /** Clears the structure and sets its name (at most {@code IFNAMSIZ - 1} bytes). */
    Ifreq name(byte[] name) {
        memory.put(0, ZEROS).put(0, name);
        return this;
    }

    String name() {
        int length = 0;
        while (length < IFNAMSIZ && memory.get(length) != 0) {
            length++;
        }
        byte[] bytes = new byte[length];
        memory.get(0, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    Ifreq flags(short flags) {
        memory.putShort(UNION, flags);
        return this;
    }

    /** The union as an int: ifr_mtu or ifr_ifindex. */
    int intValue() {
        return memory.getInt(UNION);
    }

    Ifreq intValue(int value) {
        memory.putInt(UNION, value);
        return this;
    }

    /** {@code ioctl(fd, request, &ifr)}; on false, {@link LibC#errno()} says why. */
    boolean ioctl(int fd, long request) {
        return LibC.ioctl(fd, request, address) == 0;
    }
}
