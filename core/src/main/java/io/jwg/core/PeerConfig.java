// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.core.transport.Endpoint;
import io.jwg.noise.PresharedKey;
import io.jwg.noise.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A change to one peer, with the UAPI's semantics (wireguard.com/xplatform): fields left null are
 * left as they are; {@code remove} deletes the peer; {@code updateOnly} changes it only if it
 * exists; {@code replaceAllowedIps} drops its allowed IPs before adding {@link #addAllowedIps}.
 * Immutable; build with {@link #builder(PublicKey)}.
 */
public final class PeerConfig {
    final PublicKey publicKey;
    final boolean remove;
    final boolean updateOnly;
    final PresharedKey presharedKey;
    final Endpoint endpoint;
    final Integer persistentKeepalive;
    final boolean replaceAllowedIps;
    final List<AllowedIps.Prefix> addAllowedIps;
    final List<AllowedIps.Prefix> removeAllowedIps;

    private PeerConfig(Builder b) {
        this.publicKey = b.publicKey;
        this.remove = b.remove;
        this.updateOnly = b.updateOnly;
        this.presharedKey = b.presharedKey;
        this.endpoint = b.endpoint;
        this.persistentKeepalive = b.persistentKeepalive;
        this.replaceAllowedIps = b.replaceAllowedIps;
        this.addAllowedIps = List.copyOf(b.addAllowedIps);
        this.removeAllowedIps = List.copyOf(b.removeAllowedIps);
    }

    public static Builder builder(PublicKey publicKey) {
        return new Builder(publicKey);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public static final class Builder {
        private final PublicKey publicKey;
        private boolean remove;
        private boolean updateOnly;
        private PresharedKey presharedKey;
        private Endpoint endpoint;
        private Integer persistentKeepalive;
        private boolean replaceAllowedIps;
        private final List<AllowedIps.Prefix> addAllowedIps = new ArrayList<>();
        private final List<AllowedIps.Prefix> removeAllowedIps = new ArrayList<>();

        private Builder(PublicKey publicKey) {
            this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        }

        public Builder remove() {
            this.remove = true;
            return this;
        }

        public Builder updateOnly() {
            this.updateOnly = true;
            return this;
        }

        /** {@link PresharedKey#NONE} clears it. */
        public Builder presharedKey(PresharedKey psk) {
            this.presharedKey = psk;
            return this;
        }

        public Builder endpoint(Endpoint endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Seconds between keepalives when otherwise silent, 0 to turn off (1..65535). */
        public Builder persistentKeepalive(int seconds) {
            if (seconds < 0 || seconds > 65535) {
                throw new IllegalArgumentException("persistent keepalive must be 0..65535 seconds");
            }
            this.persistentKeepalive = seconds;
            return this;
        }

        public Builder replaceAllowedIps() {
            this.replaceAllowedIps = true;
            return this;
        }

        public Builder allowedIp(AllowedIps.Prefix prefix) {
            addAllowedIps.add(prefix);
            return this;
        }

        public Builder allowedIp(String prefix) {
            return allowedIp(AllowedIps.Prefix.parse(prefix));
        }

        public Builder removeAllowedIp(AllowedIps.Prefix prefix) {
            removeAllowedIps.add(prefix);
            return this;
        }

        public PeerConfig build() {
            return new PeerConfig(this);
        }
    }
}
