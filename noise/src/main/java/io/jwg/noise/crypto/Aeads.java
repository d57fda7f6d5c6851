// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** TEMPORARY placeholder until the AEAD implementations land: the JDK's cipher only. */
public final class Aeads {
    private Aeads() {}

    public static AeadProvider fastest() {
        return JDK;
    }

    private static final AeadProvider JDK = new AeadProvider() {
        @Override
        public String name() {
            return "jdk";
        }

        @Override
        public Aead create(byte[] key) {
            SecretKeySpec spec = new SecretKeySpec(key.clone(), "ChaCha20");
            return new Aead() {
                @Override
                public void seal(long counter, byte[] ad, ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff) {
                    run(Cipher.ENCRYPT_MODE, counter, ad, src, srcOff, len, dst, dstOff);
                }

                @Override
                public boolean open(long counter, byte[] ad, ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff) {
                    if (len < TAG_SIZE) {
                        return false;
                    }
                    try {
                        run(Cipher.DECRYPT_MODE, counter, ad, src, srcOff, len, dst, dstOff);
                        return true;
                    } catch (IllegalStateException e) {
                        return false;
                    }
                }

                private void run(int mode, long counter, byte[] ad, ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff) {
                    try {
                        byte[] nonce = new byte[12];
                        for (int i = 0; i < 8; i++) {
                            nonce[4 + i] = (byte) (counter >>> (8 * i));
                        }
                        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
                        c.init(mode, spec, new IvParameterSpec(nonce));
                        if (ad != null) {
                            c.updateAAD(ad);
                        }
                        byte[] in = new byte[len];
                        src.get(srcOff, in);
                        byte[] out = c.doFinal(in);
                        dst.put(dstOff, out);
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void close() {}
            };
        }
    };
}
