// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 from the JDK's own provider ({@code Cipher "ChaCha20-Poly1305"}, RFC 8439),
 * with WireGuard's nonce. A baseline for benchmarks and a cross-check for tests.
 *
 * <p>A {@link Cipher} is not thread-safe, so each thread uses its own, re-initialised with this
 * instance's key and the packet's nonce on every call (that also allocates per call, inside the
 * JDK). The JDK refuses to encrypt twice with the same key and nonce on one {@code Cipher}; with
 * WireGuard's unique counters that only happens when a caller reuses a counter, which would be a
 * security bug, so {@code seal} then throws {@link IllegalStateException} instead of producing a
 * ciphertext.
 */
public final class JdkAead implements Aead {

    /** The provider of this implementation, named {@code "jdk"}. */
    public static final AeadProvider PROVIDER = new AeadProvider() {
        @Override
        public String name() {
            return "jdk";
        }

        @Override
        public Aead create(byte[] key) {
            return new JdkAead(key, 0);
        }

        @Override
        public String toString() {
            return name();
        }
    };

    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no ChaCha20-Poly1305", e);
        }
    });

    private final byte[] keyBytes;
    private final SecretKeySpec key;
    private final int constant;

    /** @param constant the first 32 bits of the RFC 8439 nonce (little-endian); WireGuard uses 0 */
    JdkAead(byte[] key, int constant) {
        if (key.length != KEY_SIZE) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, got " + key.length);
        }
        this.keyBytes = key.clone();
        this.key = new SecretKeySpec(this.keyBytes, "ChaCha20");
        this.constant = constant;
    }

    @Override
    public void seal(long counter, byte[] ad, ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff) {
        Objects.checkFromIndexSize(srcOff, len, src.limit());
        Objects.checkFromIndexSize(dstOff, len + TAG_SIZE, dst.limit());
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        Cipher cipher = CIPHER.get();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, nonce(counter));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("nonce reused with this key (counter " + Long.toUnsignedString(counter) + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        try {
            if (ad != null) {
                cipher.updateAAD(ad);
            }
            cipher.doFinal(window(src, srcOff, len), window(dst, dstOff, len + TAG_SIZE));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
        Cipher cipher = CIPHER.get();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, nonce(counter));
            if (ad != null) {
                cipher.updateAAD(ad);
            }
            cipher.doFinal(window(src, srcOff, len), window(dst, dstOff, len - TAG_SIZE));
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        Arrays.fill(keyBytes, (byte) 0);
        try {
            key.destroy();
        } catch (javax.security.auth.DestroyFailedException e) {
            // SecretKeySpec keeps its own copy and cannot wipe it; nothing more to do here
        }
    }

    private IvParameterSpec nonce(long counter) {
        byte[] nonce = new byte[12];
        ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).putInt(0, constant).putLong(4, counter);
        return new IvParameterSpec(nonce);
    }

    /** A view of {@code [off, off + len)} so the caller's position and limit stay untouched. */
    private static ByteBuffer window(ByteBuffer b, int off, int len) {
        return b.duplicate().limit(off + len).position(off);
    }
}
