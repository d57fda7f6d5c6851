// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Device-wide counters of what the data path dropped and why: the kernel and wireguard-go drop
 * bad packets silently, and these make the silence observable (logs at debug level, tests, metrics).
 */
public final class DeviceStats {
    /** Datagrams of unknown type or wrong length. */
    public final LongAdder invalidMessages = new LongAdder();
    /** Transport messages naming no session of ours, or an expired one. */
    public final LongAdder unknownIndex = new LongAdder();
    /** Transport messages that did not authenticate. */
    public final LongAdder decryptionFailed = new LongAdder();
    /** Transport messages whose counter was replayed or outside the window. */
    public final LongAdder replayed = new LongAdder();
    /** Decrypted packets whose inner source address is not in the peer's allowed IPs, or malformed. */
    public final LongAdder disallowedSource = new LongAdder();
    /** Outgoing packets with no peer owning their destination. */
    public final LongAdder noRoute = new LongAdder();
    /** Handshake messages that were refused (bad MACs, unknown peer, replay, flood, decryption). */
    public final LongAdder handshakeRejected = new LongAdder();
    /** Handshake messages dropped because the handshake queue was full or the source rate-limited. */
    public final LongAdder handshakeDropped = new LongAdder();
    /** Cookie replies sent because we were under load. */
    public final LongAdder cookieRepliesSent = new LongAdder();
    /** Datagrams that the network refused to send. */
    public final LongAdder sendErrors = new LongAdder();
    /** Packets the TUN refused to take. */
    public final LongAdder tunWriteErrors = new LongAdder();

    /** Unexpected failures inside the data path (bugs); each is logged at ERROR with its stack trace. */
    public final LongAdder internalErrors = new LongAdder();

    DeviceStats() {}
}
