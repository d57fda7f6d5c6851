// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * ChaCha20-Poly1305 from BouncyCastle's lightweight API ({@code org.bouncycastle.crypto.modes.
 * ChaCha20Poly1305}, RFC 8439), with WireGuard's nonce. A baseline for benchmarks and a second
 * reference for tests.
 *
 * <p>BouncyCastle ciphers are not thread-safe and work on arrays, so each thread keeps its own
 * cipher and a scratch array that direct buffers are copied through; the cipher is re-initialised
 * on every call (allocating inside BouncyCastle). Like the JDK, BouncyCastle refuses to encrypt
 * twice in a row with the same key and nonce; {@code seal} reports that caller bug as
 * {@link IllegalStateException}.
 */
public final class BouncyCastleAead implements Aead {

    /** The provider of this implementation, named {@code "bouncycastle"}. */
    public static final AeadProvider PROVIDER = new AeadProvider() {
        @Override
        public String name() {
            return "bouncycastle";
        }

        @Override
        public Aead create(byte[] key) {
            return new BouncyCastleAead(key, 0);
        }

        @Override
        public String toString() {
            return name();
        }
    };

    private static final ThreadLocal<PerThread> STATE = ThreadLocal.withInitial(PerThread::new);

    /** One thread's cipher and scratch space for buffers without an accessible array. */
    private static final class PerThread {
        final ChaCha20Poly1305 cipher = new ChaCha20Poly1305();
        byte[] scratch = new byte[2048];

        byte[] scratch(int size) {
            if (scratch.length < size) {
                scratch = new byte[Math.max(size, 2 * scratch.length)];
            }
            return scratch;
        }
    }

    private final byte[] key;
    private final int constant;

    /** @param constant the first 32 bits of the RFC 8439 nonce (little-endian); WireGuard uses 0 */
    BouncyCastleAead(byte[] key, int constant) {
        if (key.length != KEY_SIZE) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, got " + key.length);
        }
        this.key = key.clone();
        this.constant = constant;
    }

    @Override
    public void seal(long counter, byte[] ad, ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff) {
        Objects.checkFromIndexSize(srcOff, len, src.limit());
        Objects.checkFromIndexSize(dstOff, len + TAG_SIZE, dst.limit());
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        PerThread state = STATE.get();
        try {
            state.cipher.init(true, parameters(counter, ad));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("nonce reused with this key (counter " + Long.toUnsignedString(counter) + ")", e);
        }
        byte[] buf = state.scratch(len + TAG_SIZE);
        src.get(srcOff, buf, 0, len);
        try {
            int n = state.cipher.processBytes(buf, 0, len, buf, 0);
            state.cipher.doFinal(buf, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
        dst.put(dstOff, buf, 0, len + TAG_SIZE);
    }

    @Override
    public boolean open(long counter, byte[] ad, ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff) {
        if (len < TAG_SIZE) {
            return false;
        }
        Objects.checkFromIndexSize(srcOff, len, src.limit());
        Objects.checkFromIndexSize(dstOff, len - TAG_SIZE, dst.limit());
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        PerThread state = STATE.get();
        state.cipher.init(false, parameters(counter, ad));
        byte[] buf = state.scratch(len);
        src.get(srcOff, buf, 0, len);
        try {
            int n = state.cipher.processBytes(buf, 0, len, buf, 0);
            state.cipher.doFinal(buf, n);
        } catch (InvalidCipherTextException e) {
            return false;
        }
        dst.put(dstOff, buf, 0, len - TAG_SIZE);
        return true;
    }

    @Override
    public void close() {
        Arrays.fill(key, (byte) 0);
    }

    private AEADParameters parameters(long counter, byte[] ad) {
        byte[] nonce = new byte[12];
        ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).putInt(0, constant).putLong(4, counter);
        return new AEADParameters(new KeyParameter(key), 8 * TAG_SIZE, nonce, ad);
    }
}
