// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.Pcap;
import io.jwg.core.testing.TestVectors;
import io.jwg.noise.crypto.Aead;
import io.jwg.noise.crypto.Aeads;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A capture of real Linux-kernel WireGuard traffic with its transport keys (shared/vectors,
 * kernel-trace.*): every type-4 message opens with our data-path pieces (header layout, counter
 * nonce, AEAD, replay window) and its plaintext is an IP packet padded as the kernel pads it.
 */
class KernelTraceTest {
    private static final int MTU = 1420;

    @Test
    void everyTransportMessageOfTheKernelTraceOpens() throws Exception {
        Pcap pcap = Pcap.read(TestVectors.require("kernel-trace.pcap"));
        Map<Integer, Aead> keys = new HashMap<>();
        for (String line : Files.readAllLines(TestVectors.require("kernel-trace.keys"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].startsWith("0x")) {
                keys.put(Integer.reverseBytes((int) Long.parseLong(f[0].substring(2), 16)),
                        Aeads.fastest().create(Base64.getDecoder().decode(f[1])));
            }
        }
        Map<Integer, ReplayWindow> windows = new HashMap<>();
        int opened = 0;
        int keepalives = 0;
        for (Pcap.UdpDatagram d : pcap.udpDatagrams()) {
            byte[] msg = d.payload();
            if (msg[0] != 4) {
                continue;
            }
            ByteBuffer buf = ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN);
            int receiver = buf.getInt(4);
            long counter = buf.getLong(8);
            Aead aead = keys.get(Integer.reverseBytes(receiver));
            if (aead == null) {
                aead = keys.get(receiver);
            }
            assertNotNull(aead, "a key for receiver index " + Integer.toHexString(receiver));
            assertTrue(aead.open(counter, null, buf, 16, msg.length - 16, buf, 16), "message " + opened + " opens");
            assertTrue(windows.computeIfAbsent(receiver, r -> new ReplayWindow()).accept(counter));
            int plain = msg.length - 32;
            if (plain == 0) {
                keepalives++;
            } else {
                int ipLen = IpPacket.claimedLength(buf, 16, plain);
                assertTrue(ipLen > 0, "a whole IP packet inside, message " + opened + " plain " + plain + " head " + java.util.HexFormat.of().formatHex(msg, 16, Math.min(msg.length, 16 + 48)));
                int padded = Math.min((ipLen + 15) & -16, MTU);
                assertEquals(Math.max(padded, ipLen), plain, "padded to 16, capped at the MTU");
                for (int i = 16 + ipLen; i < 16 + plain; i++) {
                    assertEquals(0, msg[i], "padding is zeros");
                }
            }
            opened++;
        }
        assertEquals(1212, opened);
        assertTrue(keepalives > 0);
    }
}
