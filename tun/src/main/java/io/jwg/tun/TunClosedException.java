// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.io.IOException;

/** The TUN device is gone: closed by us, or deleted from under us (wireguard-go's os.ErrClosed). */
public final class TunClosedException extends IOException {
    public TunClosedException(String message) {
        super(message);
    }
}
