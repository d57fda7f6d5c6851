// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

/** Which userspace WireGuard runs a node's interfaces. */
public enum Impl {
    JWG("jwg"),
    WIREGUARD_GO("wireguard-go");

    public final String label;

    Impl(String label) {
        this.label = label;
    }
}
