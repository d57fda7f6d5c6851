// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import io.jwg.noise.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One row of wireguard-go-set-cases.tsv or wireguard-go-set-cases-more.tsv: a raw request sent to
 * the real wireguard-go after the baseline state of the fixtures' README, its exact reply, and how
 * its state changed. {@link #expectedChange()} is what jwg must do instead: the same as
 * wireguard-go where it succeeds, nothing where it fails (wireguard-go half-applies), and the few
 * documented differences.
 */
record SetCase(String id, String description, String request, String reply, String wireguardGoChange) {
    /** Rows where jwg deliberately ends in another state than wireguard-go 0.0.20220316. */
    private static final Map<String, String> JWG_DIFFERS = Map.of(
            // Newer wireguard-go (which newer wg needs) removes the prefix from this peer; 0.0.20220316
            // refused the syntax.
            "P60", "-a8bf915d:allowed_ip=10.0.0.2/32",
            // jwg's Endpoint keeps IPv4-mapped addresses as IPv4.
            "P29", "-a8bf915d:endpoint=192.0.2.2:51820 +a8bf915d:endpoint=192.0.2.7:51820",
            // A late update_only on a new peer leaves the prefix it took with its owner.
            "X72", "unchanged",
            // Only the last private_key counts; the first would have removed peer1.
            "X73", "unchanged");

    /** The baseline every row starts from (the README's "Error and edge cases"). */
    static String baseline(Map<String, String> hex) {
        return "set=1\nprivate_key=" + hex.get("dev.private") + "\nlisten_port=51820\nfwmark=0\nreplace_peers=true\n"
                + "public_key=" + hex.get("peer1.public") + "\npreshared_key=" + hex.get("psk1.preshared")
                + "\nendpoint=192.0.2.2:51820\nallowed_ip=10.0.0.2/32\nallowed_ip=10.10.0.0/16\n\n";
    }

    /** Every set row (not the framing rows, F*) of both tables. */
    static List<SetCase> all() {
        Map<String, String> hex = UapiFixtures.hexKeys();
        List<SetCase> out = new ArrayList<>();
        for (String file : List.of("wireguard-go-set-cases.tsv", "wireguard-go-set-cases-more.tsv")) {
            for (String line : UapiFixtures.resource(file).split("\n")) {
                if (line.startsWith("#") || line.startsWith("F") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                String reply = UapiFixtures.unescape(f[3]);
                if (!reply.endsWith("<EOF>")) {
                    throw new IllegalStateException("reply without EOF in " + line);
                }
                out.add(new SetCase(f[0], f[1], request(f[0], UapiFixtures.unescape(f[2]), hex),
                        reply.substring(0, reply.length() - "<EOF>".length()), f[4]));
            }
        }
        return out;
    }

    /** The table shortens long requests; these are rebuilt as the capture script sent them. */
    private static String request(String id, String shown, Map<String, String> hex) {
        if (!shown.contains("...(")) {
            return shown;
        }
        return switch (id) {
            case "D34" -> "set=1\nfoo=" + "a".repeat(65531) + "\n\n";
            case "D35" -> "set=1\nfoo=" + "a".repeat(65532) + "\n\n";
            case "H02" -> "set=1\nprivate_key=" + PrivateKey.generate(new SplittableRandom(4)).toHex()
                    + "\nlisten_port=51825\npublic_key=" + hex.get("peer2.public") + "\nallowed_ip=10.0.0.3/32\n"
                    + "public_key=" + hex.get("peer1.public") + "\nremove=true\npublic_key=" + hex.get("peer3.public")
                    + "\nendpoint=nope\n\n";
            default -> throw new IllegalStateException("no full request known for shortened row " + id);
        };
    }

    /** The reply jwg must send: wireguard-go's, except where jwg accepts what it refused. */
    String expectedReply() {
        return id.equals("P60") ? "errno=0\n\n" : reply;
    }

    /** The errno jwg must reply. */
    int errno() {
        String r = expectedReply();
        return Integer.parseInt(r.substring("errno=".length(), r.indexOf('\n')));
    }

    /** The state change jwg must show, in the table's notation; "+listen_port=*" for a random port. */
    String expectedChange() {
        if (errno() != 0) {
            return "unchanged";
        }
        if (id.equals("D18")) {
            return "-listen_port=51820 +listen_port=*";
        }
        return JWG_DIFFERS.getOrDefault(id, wireguardGoChange);
    }

    /** Only for D19: the port that another socket holds while the request runs. */
    int blockedPort() {
        return id.equals("D19") ? 51830 : 0;
    }

    @Override
    public String toString() {
        return id + " " + description;
    }
}
