package io.deliverylab.lab.images;

import io.deliverylab.lab.Commands;
import io.deliverylab.lab.LabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds images from the modules' own {@code src/main/docker} Containerfiles with podman (no Docker
 * daemon), tags them for the user's registry and pushes them. A pushed image is pinned by the digest
 * the registry answered, so a re-push of the same tag can never leave a node on an older image.
 */
public final class ImagePublisher {

    /** One image the manifests name ({@code name}) and what the registry holds for it. */
    public record Published(String name, String repository, String tag, String digest) {
    }

    private final Path home;
    private final String registry;
    private final boolean tlsVerify;
    private final Consumer<String> log;

    public ImagePublisher(Path home, String registry, boolean tlsVerify, Consumer<String> log) {
        this.home = home;
        this.registry = registry.replaceAll("/+$", "");
        this.tlsVerify = tlsVerify;
        this.log = log;
    }

    /**
     * Builds {@code module}'s image as {@code name} from its {@code src/main/docker/<containerfile>}, with
     * the module as the build context; {@code from} replaces the Containerfile's base image (a mirror
     * the machine can reach, or an offline stand-in) or is null.
     */
    public Published build(String module, String containerfile, String name, String tag, String from) {
        Path file = home.resolve(module).resolve("src/main/docker").resolve(containerfile);
        String repository = registry + "/" + name;
        List<String> cmd = new ArrayList<>(List.of("podman", "build", "-q", "-f", file.toString(), "-t", repository + ":" + tag));
        if (from != null) {
            cmd.addAll(List.of("--from", from));
        }
        cmd.add(home.resolve(module).toString());
        log.accept("building " + repository + ":" + tag + " from " + home.relativize(file));
        run(cmd, 20);
        return new Published(name, repository, tag, null);
    }

    /** Tags a local image for the registry under {@code name}'s last path element (the offline stand-ins). */
    public Published retag(String name, String localImage) {
        String base = localImage.replaceAll("[:@].*$", "");
        String repository = registry + "/" + base.substring(base.lastIndexOf('/') + 1);
        String tag = localImage.contains(":") ? localImage.substring(localImage.lastIndexOf(':') + 1) : "latest";
        run(List.of("podman", "tag", localImage, repository + ":" + tag), 2);
        return new Published(name, repository, tag, null);
    }

    /** Pushes the image and returns it pinned by the digest the registry stored. */
    public Published push(Published image) {
        try {
            Path digestFile = Files.createTempFile("deliverylab-digest", ".txt");
            try {
                log.accept("pushing " + image.repository() + ":" + image.tag());
                run(List.of("podman", "push", "-q", "--tls-verify=" + tlsVerify, "--digestfile", digestFile.toString(),
                        image.repository() + ":" + image.tag()), 20);
                String digest = Files.readString(digestFile).trim();
                if (!digest.startsWith("sha256:")) {
                    throw new LabException("podman push gave no digest for " + image.repository());
                }
                return new Published(image.name(), image.repository(), image.tag(), digest);
            } finally {
                Files.deleteIfExists(digestFile);
            }
        } catch (IOException e) {
            throw new LabException("cannot push " + image.repository() + ": " + e.getMessage());
        }
    }

    /** Runs a podman command; the last line it printed goes to the error message when it fails. */
    static void run(List<String> cmd, int minutes) {
        try {
            Commands.Result r = Commands.run(cmd, Duration.ofMinutes(minutes));
            if (r.exit() != 0) {
                throw new LabException(String.join(" ", cmd.subList(0, 2)) + " failed (exit " + r.exit() + "): "
                        + r.output().strip().lines().reduce((a, b) -> b).orElse(""));
            }
        } catch (IOException e) {
            throw new LabException("podman is needed to build images (apt-get install podman): " + e.getMessage());
        }
    }
}
