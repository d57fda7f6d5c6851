// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import static io.jwg.core.uapi.UapiFixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.DeviceState;
import io.jwg.core.PeerState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every request captured from the real {@code wg} (set-request-*.txt), replayed through
 * {@link Uapi#set} onto the state it was made against, then checked. Devices stay down unless a
 * test needs a bound port, so that no keepalive moves the counters.
 */
class UapiWgRequestsTest {
    private static final String SAMPLE = resource("get-response-sample.txt");
    private static final String EXISTING = resource("syncconf-existing-state-get-response.txt");

    private final Map<String, String> hex = UapiFixtures.hexKeys();

    /** A device whose get reply is {@code reply} (a get reply turned back into a set request). */
    private static UapiFixtures.TestDevice deviceIn(String reply) {
        var d = new UapiFixtures.TestDevice();
        StringBuilder set = new StringBuilder("set=1\nreplace_peers=true\n");
        for (String line : reply.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("errno=") && !line.startsWith("last_handshake_time_")
                    && !line.startsWith("tx_bytes=") && !line.startsWith("rx_bytes=")) {
                set.append(line).append('\n');
            }
        }
        d.set(set.append('\n').toString());
        assertEquals(reply, d.get());
        return d;
    }

    private static String replay(UapiFixtures.TestDevice d, String fixture) {
        d.set(resource(fixture));
        return d.get();
    }

    private String peerBlock(String key, String psk, String endpoint, int keepalive, String... allowedIps) {
        StringBuilder b = new StringBuilder("public_key=" + hex.get(key) + "\npreshared_key=" + psk
                + "\nprotocol_version=1\n");
        if (endpoint != null) {
            b.append("endpoint=").append(endpoint).append('\n');
        }
        b.append("last_handshake_time_sec=0\nlast_handshake_time_nsec=0\ntx_bytes=0\nrx_bytes=0\n")
                .append("persistent_keepalive_interval=").append(keepalive).append('\n');
        for (String ip : allowedIps) {
            b.append("allowed_ip=").append(ip).append('\n');
        }
        return b.toString();
    }

    @Test
    void setconfReplacesAnyStateWithTheFile() {
        try (var d = deviceIn(EXISTING)) {
            assertEquals(SAMPLE, replay(d, "set-request-wg-setconf-sample.txt"));
        }
    }

    @Test
    void addconfOnAnEmptyDeviceGivesTheFile() {
        try (var d = new UapiFixtures.TestDevice()) {
            assertEquals(SAMPLE, replay(d, "set-request-wg-addconf-sample.txt"));
        }
    }

    @Test
    void syncconfRemovesPeersMissingFromTheFileAndUpdatesTheRest() {
        try (var d = deviceIn(EXISTING)) {
            assertEquals(SAMPLE, replay(d, "set-request-wg-syncconf-sample.txt"));
        }
    }

    @Test
    void setconfOfAPeerOnlyFileClearsKeyPortAndMark() {
        try (var d = deviceIn(SAMPLE)) {
            assertEquals(peerBlock("peer3.public", UapiFixtures.ZERO_KEY, null, 0) + "errno=0\n\n",
                    replay(d, "set-request-wg-setconf-peer-only.txt"));
        }
    }

    @Test
    void syncconfOfAPeerOnlyFileKeepsThatPeersEndpoint() {
        try (var d = deviceIn(EXISTING)) {
            assertEquals(peerBlock("peer3.public", UapiFixtures.ZERO_KEY, "192.0.2.4:51820", 0) + "errno=0\n\n",
                    replay(d, "set-request-wg-syncconf-peer-only.txt"));
        }
    }

    @Test
    void setPeerRemoveRemovesOnlyThatPeer() {
        try (var d = deviceIn(EXISTING)) {
            String peer3 = EXISTING.substring(EXISTING.indexOf("public_key=" + hex.get("peer3.public")),
                    EXISTING.indexOf("errno=0"));
            assertEquals(EXISTING.replace(peer3, ""), replay(d, "set-request-wg-set-peer-remove.txt"));
        }
    }

    @Test
    void setAllowedIpsReplacesThePeersList() {
        try (var d = deviceIn(SAMPLE)) {
            assertEquals(SAMPLE.replace("allowed_ip=10.10.0.0/16\n", ""),
                    replay(d, "set-request-wg-set-allowed-ips.txt"));
        }
    }

    @Test
    void setEmptyAllowedIpsClearsThePeersList() {
        try (var d = deviceIn(SAMPLE)) {
            assertEquals(SAMPLE.replace("allowed_ip=10.0.0.2/32\nallowed_ip=10.10.0.0/16\nallowed_ip=fd00::2/128\n", ""),
                    replay(d, "set-request-wg-set-allowed-ips-empty.txt"));
        }
    }

    @Test
    void setDeviceChangesPortAndClearsMark() {
        try (var d = deviceIn(SAMPLE)) {
            assertEquals(SAMPLE.replace("listen_port=51820\nfwmark=42\n", "listen_port=51821\n"),
                    replay(d, "set-request-wg-set-device.txt"));
        }
    }

    @Test
    void listenPortZeroRebindsToAFreshPort() {
        try (var d = new UapiFixtures.TestDevice().up()) {
            d.set("set=1\nlisten_port=51820\n\n");
            replay(d, "set-request-wg-set-fwmark-listen-port-0.txt");
            DeviceState s = d.device.state();
            assertNotEquals(0, s.listenPort());
            assertNotEquals(51820, s.listenPort());
            assertEquals(42, s.fwmark());
            assertEquals(42, d.bind.mark());
            assertEquals("listen_port=" + s.listenPort() + "\nfwmark=42\nerrno=0\n\n", d.get());
        }
    }

    @Test
    void setPeerFieldsSetsPskEndpointAndKeepalive() {
        try (var d = deviceIn(SAMPLE)) {
            String before = peerBlock("peer2.public", UapiFixtures.ZERO_KEY, "[fd00:1::2]:51821", 0, "10.0.0.3/32");
            String after = peerBlock("peer2.public", hex.get("psk1.preshared"), "192.0.2.3:51822", 0, "10.0.0.3/32");
            assertTrue(SAMPLE.contains(before));
            assertEquals(SAMPLE.replace(before, after), replay(d, "set-request-wg-set-peer-fields.txt"));
        }
    }

    @Test
    void presharedKeyFromDevNullClearsIt() {
        try (var d = deviceIn(SAMPLE)) {
            replay(d, "set-request-wg-set-peer-fields.txt");
            assertEquals(SAMPLE.replace("endpoint=[fd00:1::2]:51821", "endpoint=192.0.2.3:51822"),
                    replay(d, "set-request-wg-set-preshared-key-clear.txt"));
        }
    }

    @Test
    void wgQuickUpSetconfConfiguresAFullTunnel() {
        try (var d = deviceIn(SAMPLE)) {
            replay(d, "set-request-wg-quick-up-setconf.txt");
            DeviceState s = d.device.state();
            assertEquals(hex.get("dev.private"), s.privateKey().toHex());
            assertEquals(51830, s.listenPort());
            assertEquals(0, s.fwmark());
            PeerState p = s.peers().getFirst();
            assertEquals(1, s.peers().size());
            assertEquals(hex.get("peer1.public"), p.publicKey().toHex());
            assertEquals("198.51.100.2:51821", GetResponse.endpoint(p.endpoint()));
            assertEquals(List.of("0.0.0.0/0", "::/0"), p.allowedIps().stream().map(Object::toString).toList());
            assertTrue(p.presharedKey() == null || p.presharedKey().isZero(), "setconf without a PSK clears it");
            assertEquals(0, p.persistentKeepalive());
        }
    }
}
