// SPDX-License-Identifier: MIT
package io.jwg.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.noise.crypto.Aead;
import io.jwg.noise.crypto.Aeads;
import io.jwg.noise.crypto.Bytes;
import io.jwg.noise.crypto.X25519;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cacophony Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s vector: WireGuard's handshake is this
 * pattern with its own prologue and payloads, so {@link IKpsk2} must reproduce both handshake
 * ciphertexts, the handshake hash and the four transport ciphertexts byte for byte.
 */
class NoiseVectorTest {

    private static String json;

    private static String field(String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([0-9a-f]*)\"").matcher(json);
        assertTrue(m.find(), name);
        return m.group(1);
    }

    private static byte[] hex(String name) {
        return Bytes.fromHex(field(name));
    }

    private static List<byte[][]> messages() {
        Matcher m = Pattern.compile("\"payload\"\\s*:\\s*\"([0-9a-f]*)\",\\s*\"ciphertext\"\\s*:\\s*\"([0-9a-f]*)\"")
                .matcher(json);
        List<byte[][]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new byte[][] {Bytes.fromHex(m.group(1)), Bytes.fromHex(m.group(2))});
        }
        return out;
    }

    @Test
    void handshakeAndTransportReproduceTheVectorByteForByte() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("noise-ikpsk2.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s",
                new String(Protocol.CONSTRUCTION, StandardCharsets.US_ASCII));
        assertTrue(json.contains("\"Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s\""));
        byte[] prologue = hex("init_prologue");
        byte[] psk = Bytes.fromHex(jsonArrayFirst("init_psks"));
        assertEquals(jsonArrayFirst("init_psks"), jsonArrayFirst("resp_psks"));
        byte[] iStatic = hex("init_static");
        byte[] iEphemeral = hex("init_ephemeral");
        byte[] rStatic = hex("resp_static");
        byte[] rEphemeral = hex("resp_ephemeral");
        byte[] rStaticPub = X25519.publicFromPrivate(rStatic);
        byte[] iStaticPub = X25519.publicFromPrivate(iStatic);
        assertEquals(field("init_remote_static"), Bytes.toHex(rStaticPub));
        List<byte[][]> msgs = messages();
        assertEquals(6, msgs.size());

        SymmetricState initiator = IKpsk2.initialize(prologue, rStaticPub);
        SymmetricState responder = IKpsk2.initialize(prologue, rStaticPub);

        // -> e, es, s, ss
        byte[] ss = new byte[32];
        assertTrue(X25519.sharedSecret(iStatic, rStaticPub, ss));
        byte[] payload1 = msgs.get(0)[0];
        byte[] msg1 = new byte[IKpsk2.message1Size(payload1.length)];
        assertTrue(IKpsk2.writeMessage1(initiator, iEphemeral, X25519.publicFromPrivate(iEphemeral), iStaticPub,
                rStaticPub, ss, payload1, msg1, 0));
        assertEquals(Bytes.toHex(msgs.get(0)[1]), Bytes.toHex(msg1));

        byte[] re = new byte[32];
        byte[] rs = new byte[32];
        assertEquals(Reason.ACCEPTED, IKpsk2.readMessage1Static(responder, rStatic, msg1, 0, re, rs));
        assertArrayEquals(iStaticPub, rs);
        byte[] ssResponder = new byte[32];
        assertTrue(X25519.sharedSecret(rStatic, rs, ssResponder));
        byte[] got1 = new byte[payload1.length];
        assertEquals(Reason.ACCEPTED,
                IKpsk2.readMessage1Payload(responder, ssResponder, msg1, 80, msg1.length - 80, got1));
        assertArrayEquals(payload1, got1);

        // <- e, ee, se, psk
        byte[] payload2 = msgs.get(1)[0];
        byte[] msg2 = new byte[IKpsk2.message2Size(payload2.length)];
        assertTrue(IKpsk2.writeMessage2(responder, rEphemeral, X25519.publicFromPrivate(rEphemeral), re, rs, psk,
                payload2, msg2, 0));
        assertEquals(Bytes.toHex(msgs.get(1)[1]), Bytes.toHex(msg2));
        byte[] got2 = new byte[payload2.length];
        assertEquals(Reason.ACCEPTED,
                IKpsk2.readMessage2(initiator, iEphemeral, iStatic, psk, msg2, 0, payload2.length, got2));
        assertArrayEquals(payload2, got2);

        assertEquals(field("handshake_hash"), Bytes.toHex(initiator.h));
        assertEquals(field("handshake_hash"), Bytes.toHex(responder.h));

        // Transport: Split(); messages alternate initiator->responder and back with nonces 0, 0, 1, 1.
        byte[][] iKeys = initiator.split();
        byte[][] rKeys = responder.split();
        assertArrayEquals(iKeys[0], rKeys[0]);
        assertArrayEquals(iKeys[1], rKeys[1]);
        long[] nonces = {0, 0, 1, 1};
        for (int i = 2; i < 6; i++) {
            byte[] key = (i % 2 == 0) ? iKeys[0] : iKeys[1];
            byte[] plain = msgs.get(i)[0];
            byte[] ct = new byte[plain.length + Aead.TAG_SIZE];
            try (Aead aead = Aeads.fastest().create(key)) {
                aead.seal(nonces[i - 2], null, ByteBuffer.wrap(plain), 0, plain.length, ByteBuffer.wrap(ct), 0);
            }
            assertEquals(Bytes.toHex(msgs.get(i)[1]), Bytes.toHex(ct), "transport message " + (i + 1));
        }
    }

    private static String jsonArrayFirst(String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\\[\\s*\"([0-9a-f]*)\"").matcher(json);
        assertTrue(m.find(), name);
        return m.group(1);
    }
}
