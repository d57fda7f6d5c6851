// SPDX-License-Identifier: MIT
/**
 * Test fixtures that build real networks for end-to-end tests: network namespaces joined by veth
 * cables, real wireguard-go peers configured with the real {@code wg} tool, and threads that run
 * Java code (and so create sockets) inside a namespace. Shared with other modules through core's
 * test-jar.
 *
 * <p>Tests using them are tagged {@code @Tag(Requirements.TAG)} and start with an assumption from
 * {@link io.jwg.core.testing.Requirements}, so they skip with a clear message on machines without
 * root or the tools. A typical test:
 *
 * <pre>{@code
 * @Test
 * @Tag(Requirements.TAG)
 * void talksToWireguardGo() throws Exception {
 *     Requirements.assumeWireguardGo();
 *     try (Netns a = Netns.create(); Netns b = Netns.create()) {
 *         Veth.connectDualStack(a, b);              // a: 192.0.2.1, 2001:db8::1   b: 192.0.2.2, 2001:db8::2
 *         WgKeys keysA = WgKeys.generate(), keysB = WgKeys.generate();
 *         WireguardGo peerB = WireguardGo.start(b)  // closed with b
 *                 .configure(keysB, 51820)
 *                 .peer(WgPeerConfig.of(keysA.publicKey(), "10.9.0.1/32").withEndpoint("192.0.2.1:51820"))
 *                 .address("10.9.0.2/24").up();
 *         // Code under test in namespace a: sockets created on this thread live in a.
 *         try (NamespaceThread inA = new NamespaceThread(a)) {
 *             Channel udp = inA.call(() -> bootstrap.bind("192.0.2.1", 51820).sync().channel());
 *             ...
 *         }
 *         Ping.assertReachable(a, "10.9.0.2");
 *         assertTrue(peerB.awaitHandshake(keysA.publicKey(), Duration.ofSeconds(5)).rxBytes() > 0);
 *     }
 * }
 * }</pre>
 *
 * <p>Closing a {@link io.jwg.core.testing.Netns} closes everything in it (wireguard-go peers,
 * processes, interfaces), also when the test body throws; a shutdown hook catches forgotten ones.
 */
package io.jwg.core.testing;
