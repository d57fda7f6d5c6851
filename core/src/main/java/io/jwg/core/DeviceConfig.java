// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.noise.PrivateKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A change to a device, with the UAPI's semantics: null fields stay as they are;
 * {@code replacePeers} removes every peer before the peer changes apply; peer changes apply in
 * order. {@link Device#apply} applies all of it or, when it fails, none of it. Immutable.
 */
public final class DeviceConfig {
    final PrivateKey privateKey;
    final Integer listenPort;
    final Integer fwmark;
    final boolean replacePeers;
    final List<PeerConfig> peers;

    private DeviceConfig(Builder b) {
        this.privateKey = b.privateKey;
        this.listenPort = b.listenPort;
        this.fwmark = b.fwmark;
        this.replacePeers = b.replacePeers;
        this.peers = List.copyOf(b.peers);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private PrivateKey privateKey;
        private Integer listenPort;
        private Integer fwmark;
        private boolean replacePeers;
        private final List<PeerConfig> peers = new ArrayList<>();

        /** An all-zero key removes the device's key (as the UAPI's {@code private_key=0...0}). */
        public Builder privateKey(PrivateKey key) {
            this.privateKey = key;
            return this;
        }

        /** 0..65535; 0 picks a free port. */
        public Builder listenPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("listen port must be 0..65535");
            }
            this.listenPort = port;
            return this;
        }

        /** SO_MARK for outgoing datagrams; 0 clears it. */
        public Builder fwmark(int mark) {
            this.fwmark = mark;
            return this;
        }

        public Builder replacePeers() {
            this.replacePeers = true;
            return this;
        }

        public Builder peer(PeerConfig peer) {
            peers.add(peer);
            return this;
        }

        public DeviceConfig build() {
            return new DeviceConfig(this);
        }
    }
}
