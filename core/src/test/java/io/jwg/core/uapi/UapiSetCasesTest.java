// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwg.core.transport.DatagramReceiver;
import io.jwg.core.transport.MemoryBind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every set request measured against the real wireguard-go, replayed against jwg: the same
 * errno, and the same resulting state where wireguard-go succeeded; where it failed, jwg's state
 * is unchanged (wireguard-go half-applies, see the H rows). Each request goes once straight to
 * {@link Uapi#set} and once as raw bytes through a {@link UapiServer} socket, whose reply must be
 * wireguard-go's byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UapiSetCasesTest {
    private static final DatagramReceiver IGNORE = new DatagramReceiver() {
        @Override
        public void receive(ByteBuffer buf, int off, int len, InetSocketAddress source) {}

        @Override
        public void endOfBatch() {}
    };

    private final Map<String, String> hex = UapiFixtures.hexKeys();
    private UapiFixtures.TestDevice served;
    private UapiServer server;

    @BeforeAll
    void startServer(@TempDir Path dir) throws IOException {
        served = new UapiFixtures.TestDevice().up();
        server = UapiServer.start(served.device, dir.resolve("cases.sock"));
    }

    @AfterAll
    void stopServer() {
        server.close();
        served.close();
    }

    static Stream<SetCase> cases() {
        return SetCase.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void setGivesWireguardGosErrnoAndAllOrNothingState(SetCase c) throws IOException {
        try (var d = new UapiFixtures.TestDevice().up()) {
            d.set(SetCase.baseline(hex));
            String before = d.get();
            int errno;
            try (MemoryBind blocker = d.network.newBind(UapiFixtures.HOST)) {
                if (c.blockedPort() != 0) {
                    blocker.open(c.blockedPort(), IGNORE);
                }
                errno = Uapi.set(d.device, UapiFixtures.setLines(c.request()));
            }
            assertEquals(c.errno(), errno, c.toString());
            assertChange(c, before, d.get());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void socketRepliesWithWireguardGosExactBytes(SetCase c) throws IOException {
        send(SetCase.baseline(hex));
        String before = served.get();
        String reply;
        try (MemoryBind blocker = served.network.newBind(UapiFixtures.HOST)) {
            if (c.blockedPort() != 0) {
                blocker.open(c.blockedPort(), IGNORE);
            }
            reply = send(c.request());
        }
        assertEquals(c.expectedReply(), reply, c.toString());
        assertChange(c, before, served.get());
    }

    private static void assertChange(SetCase c, String before, String after) {
        String change = state(before).diff(state(after));
        if (c.id().equals("D18")) {
            change = change.replaceAll("\\+listen_port=\\d+", "+listen_port=*");
        }
        assertEquals(c.expectedChange(), change, c.toString());
    }

    /**
     * The state without the traffic counters: this device is up, so persistent keepalives really
     * go out (into the memory network), while wireguard-go's were down.
     */
    private static UapiFixtures.GetState state(String reply) {
        UapiFixtures.GetState s = UapiFixtures.GetState.parse(reply);
        s.peers().values().forEach(l -> l.removeIf(x -> x.startsWith("tx_bytes=") || x.startsWith("rx_bytes=")));
        return s;
    }

    /** Sends a raw request, half-closes, and reads the reply to the end, as the capture script did. */
    private String send(String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(server.socketPath()))) {
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            ch.shutdownOutput();
            return UapiClient.readAll(ch);
        }
    }
}
