// SPDX-License-Identifier: MIT
// Run by benchmarks/alloc.sh with the JDK's source launcher (java AllocReport.java ...): reads the
// JFR recordings the script took of each daemon over one traffic run and prints what the daemon's
// threads allocated, per thread and per packet, and where (the sampled allocation sites).
//
//   java AllocReport.java totals LABEL PACKETS FILE.jfr     one line: label, packets, bytes, B/packet
//                                                            (all threads; then the data-path threads)
//   java AllocReport.java threads FILE.jfr                   bytes per thread over the recording
//   java AllocReport.java sites N FILE.jfr...                the N heaviest sampled allocation sites
//
// Per-thread totals come from jdk.ThreadAllocationStatistics, which JFR emits for every Java thread
// when a recording starts and when it ends: the difference is exact (the thread's TLAB and
// outside-TLAB bytes), not a sample. Sites come from jdk.ObjectAllocationSample (a sample whose
// weight is the bytes it stands for), so they show shares, not exact sums.
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

public class AllocReport {
    /**
     * Threads that carry packets: the TUN reader ("NAME-tun") and the UDP receiver ("jwg-udp-...":
     * the bind's recvmmsg thread, or Netty's event loop where that is not used).
     */
    static boolean dataPath(String thread) {
        return thread.endsWith("-tun") || thread.startsWith("jwg-udp");
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "totals" -> {
                Map<String, Long> t = perThread(Path.of(args[3]));
                long packets = Long.parseLong(args[2]);
                long all = t.values().stream().mapToLong(Long::longValue).sum();
                long data = t.entrySet().stream().filter(e -> dataPath(e.getKey())).mapToLong(Map.Entry::getValue).sum();
                System.out.printf(Locale.ROOT, "%s\t%d\t%d\t%.1f\t%d\t%.1f%n", args[1], packets, all,
                        packets == 0 ? 0.0 : (double) all / packets, data, packets == 0 ? 0.0 : (double) data / packets);
            }
            case "threads" -> perThread(Path.of(args[1])).entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> System.out.printf(Locale.ROOT, "  %-28s %14d B%n", e.getKey(), e.getValue()));
            case "sites" -> sites(Integer.parseInt(args[1]), List.of(args).subList(2, args.length));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Bytes each thread allocated between the first and the last statistics event of the file. */
    static Map<String, Long> perThread(Path file) throws Exception {
        Map<Long, long[]> firstLast = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ThreadAllocationStatistics")) {
                continue;
            }
            var thread = e.getThread("thread");
            if (thread == null) {
                continue;
            }
            long id = thread.getId();
            long allocated = e.getLong("allocated");
            long at = e.getStartTime().toEpochMilli() * 1_000_000L + e.getStartTime().getNano() % 1_000_000;
            names.put(id, thread.getJavaName() == null ? thread.getOSName() : thread.getJavaName());
            long[] fl = firstLast.computeIfAbsent(id, k -> new long[] {Long.MAX_VALUE, 0, Long.MIN_VALUE, 0});
            if (at < fl[0]) { fl[0] = at; fl[1] = allocated; }
            if (at >= fl[2]) { fl[2] = at; fl[3] = allocated; }
        }
        Map<String, Long> out = new HashMap<>();
        firstLast.forEach((id, fl) -> {
            // A thread seen once started (or ended) within the recording: count all it shows.
            long delta = fl[0] == fl[2] ? 0 : fl[3] - fl[1];
            out.merge(names.get(id), delta, Long::sum);
        });
        return out;
    }

    /** The heaviest allocation sites: class and the first frames outside java.* / jdk.*. */
    static void sites(int n, List<String> files) throws Exception {
        Map<String, Long> weight = new HashMap<>();
        long total = 0;
        for (String f : files) {
            for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(f))) {
                if (!e.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
                    continue;
                }
                var thread = e.getThread("eventThread");
                if (thread == null || !dataPath(thread.getJavaName() == null ? "" : thread.getJavaName())) {
                    continue;
                }
                long w = e.getLong("weight");
                total += w;
                weight.merge(e.getClass("objectClass").getName() + "  <- " + site(e.getStackTrace()), w, Long::sum);
            }
        }
        List<Map.Entry<String, Long>> list = new ArrayList<>(weight.entrySet());
        list.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (int i = 0; i < Math.min(n, list.size()); i++) {
            System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * list.get(i).getValue() / Math.max(1, total), list.get(i).getKey());
        }
    }

    static String site(RecordedStackTrace st) {
        if (st == null) {
            return "?";
        }
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (RecordedFrame f : st.getFrames()) {
            String type = f.getMethod().getType().getName();
            if (shown == 0 && (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun."))) {
                continue;
            }
            if (shown > 0) {
                sb.append(" <- ");
            }
            String simple = type.substring(type.lastIndexOf('.') + 1);
            sb.append(simple).append('.').append(f.getMethod().getName()).append(':').append(f.getLineNumber());
            if (++shown == 3) {
                break;
            }
        }
        return sb.toString();
    }
}
