package io.deliverylab.lab.stack;

import io.deliverylab.lab.Commands;
import io.deliverylab.lab.LabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts one local broker off from the other brokers and from every client, as Jepsen's partition
 * nemesis does, with iptables on the loopback interface only (everything runs on 127.0.0.1):
 * <ul>
 * <li>packets to its listener ports (broker and controller) are dropped: nobody reaches it;</li>
 * <li>its connections to others that already exist (found with {@code ss}) are dropped both ways;</li>
 * <li>the process moves into a cgroup of its own, and packets from sockets it opens later are dropped
 * ({@code -m cgroup --path}).</li>
 * </ul>
 * All rules live in one chain per victim, so the heal removes exactly them. Needs root and iptables.
 */
public final class NetworkPartition {

    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup/unified");
    private static final Pattern CONNECTION = Pattern.compile("127\\.0\\.0\\.1:(\\d+)\\s+127\\.0\\.0\\.1:(\\d+).*pid=(\\d+),");

    private final String chain;
    private final String cgroup;
    private final long pid;
    private final List<Integer> listenerPorts;

    /** @param tag unique per stack and victim (a chain name is at most 28 characters) */
    public NetworkPartition(String tag, long pid, List<Integer> listenerPorts) {
        this.chain = ("DLAB-" + tag).substring(0, Math.min(28, 5 + tag.length()));
        this.cgroup = "deliverylab-" + tag;
        this.pid = pid;
        this.listenerPorts = List.copyOf(listenerPorts);
    }

    /** Why a partition cannot be made here, or null when it can. */
    public static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "partition needs root (iptables)";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/iptables")) && !Files.isExecutable(Path.of("/sbin/iptables"))) {
            return "partition needs iptables (apt-get install iptables)";
        }
        if (!Files.isDirectory(CGROUP_ROOT)) {
            return "partition needs the cgroup v2 hierarchy at " + CGROUP_ROOT;
        }
        return null;
    }

    public void cut() {
        String why = unavailable();
        if (why != null) {
            throw new LabException(why);
        }
        Path group = CGROUP_ROOT.resolve(cgroup);
        try {
            Files.createDirectories(group);
            Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
        } catch (IOException e) {
            throw new LabException("cannot move pid " + pid + " into cgroup " + group + ": " + e.getMessage());
        }
        iptables("-N", chain);
        for (int port : listenerPorts) {
            iptables("-A", chain, "-p", "tcp", "--dport", Integer.toString(port), "-j", "DROP");
        }
        for (int[] c : connections()) {
            if (listenerPorts.contains(c[0])) {
                continue; // accepted connections: their packets in are dropped by the rules above
            }
            iptables("-A", chain, "-p", "tcp", "--sport", Integer.toString(c[0]), "--dport", Integer.toString(c[1]), "-j", "DROP");
            iptables("-A", chain, "-p", "tcp", "--sport", Integer.toString(c[1]), "--dport", Integer.toString(c[0]), "-j", "DROP");
        }
        iptables("-A", chain, "-m", "cgroup", "--path", cgroup, "-j", "DROP");
        iptables("-I", "INPUT", "1", "-i", "lo", "-j", chain);
        iptables("-I", "OUTPUT", "1", "-o", "lo", "-j", chain);
    }

    /** Removes every rule of this partition and puts the process back; safe to call twice. */
    public void heal() {
        iptablesQuietly("-D", "INPUT", "-i", "lo", "-j", chain);
        iptablesQuietly("-D", "OUTPUT", "-o", "lo", "-j", chain);
        iptablesQuietly("-F", chain);
        iptablesQuietly("-X", chain);
        Path group = CGROUP_ROOT.resolve(cgroup);
        try {
            if (Files.isDirectory(group)) {
                if (ProcessHandle.of(pid).isPresent()) {
                    Files.writeString(CGROUP_ROOT.resolve("cgroup.procs"), Long.toString(pid));
                }
                Files.delete(group);
            }
        } catch (IOException e) {
            throw new LabException("cannot remove cgroup " + group + ": " + e.getMessage());
        }
    }

    /** Established TCP connections of the process: {local port, peer port}. */
    private List<int[]> connections() {
        List<int[]> out = new ArrayList<>();
        for (String line : run(List.of("ss", "-tnpH", "state", "established")).split("\n")) {
            Matcher m = CONNECTION.matcher(line);
            if (m.find() && Long.parseLong(m.group(3)) == pid) {
                out.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
            }
        }
        return out;
    }

    private static void iptables(String... args) {
        List<String> cmd = new ArrayList<>(List.of("iptables", "-w"));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void iptablesQuietly(String... args) {
        try {
            iptables(args);
        } catch (LabException ignored) {
            // already gone
        }
    }

    private static String run(List<String> cmd) {
        try {
            Commands.Result r = Commands.run(cmd, Duration.ofSeconds(30));
            if (r.exit() != 0) {
                throw new LabException(String.join(" ", cmd) + " failed: " + r.output().strip());
            }
            return r.output();
        } catch (IOException e) {
            throw new LabException(cmd.get(0) + " cannot run: " + e.getMessage());
        }
    }
}
