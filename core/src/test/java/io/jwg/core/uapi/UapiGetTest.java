// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import static io.jwg.core.uapi.UapiFixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.AllowedIps;
import io.jwg.core.DeviceState;
import io.jwg.core.PeerState;
import io.jwg.core.transport.Endpoint;
import io.jwg.noise.PresharedKey;
import io.jwg.noise.PrivateKey;
import io.jwg.noise.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code get=1} replies compared byte for byte with replies captured from wireguard-go. */
class UapiGetTest {
    private final Map<String, String> hex = UapiFixtures.hexKeys();

    @Test
    void sampleConfigurationReadsBackExactlyAsWireguardGoWritesIt() {
        // Down, so that peer1's persistent keepalive sends nothing and the counters stay 0, as in
        // the capture (a netns with only lo).
        try (var d = new UapiFixtures.TestDevice()) {
            d.set(resource("set-request-wg-setconf-sample.txt"));
            assertEquals(resource("get-response-sample.txt"), d.get());
        }
    }

    @Test
    void deviceWithoutPeersOrFwmarkReadsBackExactlyAsWireguardGoWritesIt() {
        try (var d = new UapiFixtures.TestDevice().up()) {
            d.set("set=1\nprivate_key=" + hex.get("dev.private") + "\nlisten_port=51820\nfwmark=0\n\n");
            assertEquals(resource("get-response-no-peers.txt"), d.get());
        }
    }

    @Test
    void freshDeviceReportsOnlyThePortItBound() {
        try (var d = new UapiFixtures.TestDevice().up()) {
            String fixture = resource("get-response-fresh-device.txt");
            int port = d.device.state().listenPort();
            assertTrue(port > 0);
            assertEquals(fixture.replaceAll("listen_port=\\d+", "listen_port=" + port), d.get());
        }
    }

    @Test
    void handshakeTimeAndCountersReadBackExactlyAsWireguardGoWritesThem() {
        PeerState peer = new PeerState(PublicKey.fromHex(hex.get("peer1.public")), PresharedKey.NONE,
                Endpoint.of(UapiFixtures.address("198.51.100.2"), 51821), 0,
                Instant.ofEpochSecond(1795320859L, 787052707L), 824, 1000,
                List.of(AllowedIps.Prefix.parse("10.0.0.2/32"), AllowedIps.Prefix.parse("fd00::2/128")));
        PrivateKey key = PrivateKey.fromHex(hex.get("dev.private"));
        DeviceState state = new DeviceState(key, key.publicKey(), 51820, 0, List.of(peer));
        assertEquals(resource("get-response-after-handshake.txt"), GetResponse.of(state));
    }

    @Test
    void fwmarkIsUnsignedAndAbsentPskIsZeros() {
        PeerState peer = new PeerState(PublicKey.fromHex(hex.get("peer2.public")), null, null, 65535, null,
                0, 0, List.of());
        String reply = GetResponse.of(new DeviceState(null, null, 0, -1, List.of(peer)));
        assertEquals("fwmark=4294967295\npublic_key=" + hex.get("peer2.public") + "\npreshared_key="
                + UapiFixtures.ZERO_KEY + "\nprotocol_version=1\nlast_handshake_time_sec=0\n"
                + "last_handshake_time_nsec=0\ntx_bytes=0\nrx_bytes=0\npersistent_keepalive_interval=65535\n"
                + "errno=0\n\n", reply);
    }

    @Test
    void getRepliesRoundTripThroughSet() {
        try (var a = new UapiFixtures.TestDevice(); var b = new UapiFixtures.TestDevice()) {
            a.set(resource("set-request-wg-setconf-sample.txt"));
            a.set("set=1\npublic_key=" + hex.get("peer3.public") + "\nendpoint=[fe80::1%lo]:7\n"
                    + "allowed_ip=::ffff:10.1.2.3/128\nallowed_ip=0.0.0.0/0\n\n");
            List<String> request = new ArrayList<>(List.of("replace_peers=true"));
            for (String line : a.get().split("\n")) {
                if (!line.isEmpty() && !line.startsWith("errno=") && !line.startsWith("last_handshake_time_")
                        && !line.startsWith("tx_bytes=") && !line.startsWith("rx_bytes=")) {
                    request.add(line);
                }
            }
            // replace_peers is a device key: it must come before the first public_key.
            request.remove("replace_peers=true");
            request.add(3, "replace_peers=true");
            assertEquals(0, Uapi.set(b.device, request));
            assertEquals(a.get(), b.get());
        }
    }

    /** Formats measured on wireguard-go 0.0.20220316 (the tsv's P24-P29 and later measurements). */
    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "192.0.2.3:0 192.0.2.3:0",
        "[FD00:0:0::0003]:51820 [fd00::3]:51820",
        "[fe80::1%lo]:51820 [fe80::1]:51820",
        "[fe80::1%1]:51820 [fe80::1]:51820",
        "[::1.2.3.4]:1 [::102:304]:1",
        "[1:2:3:4:5:6:1.2.3.4]:1 [1:2:3:4:5:6:102:304]:1",
        "[fd00:00001::1]:1 [fd00:1::1]:1",
        "[fd00::1]:0080 [fd00::1]:80",
        "[::]:1 [::]:1",
        "[1:0:0:1:0:0:0:1]:2 [1:0:0:1::1]:2",
        "[1:0:0:2:3:0:0:4]:2 [1::2:3:0:0:4]:2",
        "1.2.3.4:65535 1.2.3.4:65535",
        // wireguard-go prints [::ffff:192.0.2.7]:51820; jwg's Endpoint keeps IPv4-mapped addresses
        // as IPv4 (so a peer seen through a dual-stack socket compares equal): a known difference.
        "[::ffff:192.0.2.7]:51820 192.0.2.7:51820",
    })
    void endpointsReadBackAsWireguardGoPrintsThem(String given, String shown) {
        try (var d = new UapiFixtures.TestDevice()) {
            d.set("set=1\npublic_key=" + hex.get("peer1.public") + "\nendpoint=" + given + "\n\n");
            assertTrue(d.get().contains("\nendpoint=" + shown + "\n"), d.get());
        }
    }
}
