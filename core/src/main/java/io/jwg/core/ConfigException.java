// SPDX-License-Identifier: MIT
package io.jwg.core;

/** A configuration change was refused and nothing of it was applied. */
public final class ConfigException extends Exception {

    /** Why, in the terms the UAPI reports (wireguard-go's errno values). */
    public enum Kind {
        /** The listen port is taken (EADDRINUSE). */
        ADDRESS_IN_USE,
        /** The port or mark could not be set for another I/O reason (EIO). */
        IO
    }

    private final Kind kind;

    public ConfigException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
