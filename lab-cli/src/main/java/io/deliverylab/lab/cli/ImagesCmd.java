package io.deliverylab.lab.cli;

import io.deliverylab.lab.LabException;
import io.deliverylab.lab.images.ImagePublisher;
import io.deliverylab.lab.images.Overlay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lab images}: build, push, and point a kustomize overlay at the user's registry. */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = "Build the services' and the lab's images with podman, push them to your registry (--push) and write a kustomize "
                + "overlay that points the manifests at them: kubectl apply -k <the printed directory>.")
final class ImagesCmd implements Callable<Integer> {
    @CommandLine.ParentCommand
    Lab lab;

    @Option(names = "--registry", required = true, description = "Registry and optional path, e.g. registry.example:5000 or quay.io/me.")
    String registry;

    @Option(names = "--push", description = "Push the images and pin the overlay to the pushed digests (without it: build and tag only).")
    boolean push;

    @Option(names = "--flavour", defaultValue = "jvm", description = "jvm or native: which Containerfile of src/main/docker (default: ${DEFAULT-VALUE}).")
    String flavour;

    @Option(names = "--tag", description = "Image tag (default: the flavour).")
    String tag;

    @Option(names = "--overlay", description = "The overlay of k8s/overlays to build on (default: k8s/overlays/<flavour>).")
    Path overlay;

    @Option(names = "--out", description = "Where to write the overlay (default: <work-dir>/k8s/<overlay>).")
    Path out;

    @Option(names = "--from", description = "Replace the Containerfiles' base image (a mirror of it, or an offline stand-in).")
    String from;

    @Option(names = "--add", description = "Also publish a local image for a name the manifests use, NAME=LOCAL-IMAGE "
            + "(e.g. apache/kafka=localhost/deliverylab-kafka:local); repeatable.")
    Map<String, String> add = new LinkedHashMap<>();

    @Option(names = "--tls-verify", defaultValue = "true", arity = "1", description = "false for a registry served over plain HTTP (default: ${DEFAULT-VALUE}).")
    boolean tlsVerify;

    @Override
    public Integer call() {
        if (!registry.matches("[A-Za-z0-9.-]+(:\\d{1,5})?(/[a-z0-9._-]+)*")) {
            throw new IllegalArgumentException("--registry must look like host[:port][/path], not '" + registry + "'");
        }
        if (!flavour.equals("jvm") && !flavour.equals("native")) {
            throw new IllegalArgumentException("--flavour must be jvm or native, not '" + flavour + "'");
        }
        Path home = Path.of(System.getProperty("deliverylab.home", "."));
        Path base = overlay != null ? overlay : home.resolve("k8s/overlays").resolve(flavour);
        if (!Files.isRegularFile(base.resolve("kustomization.yaml"))) {
            throw new IllegalArgumentException("--overlay " + base + " has no kustomization.yaml");
        }
        for (String module : List.of("producer-service", "consumer-service")) {
            Path built = home.resolve(module).resolve(flavour.equals("jvm") ? "target/quarkus-app/quarkus-run.jar" : "target");
            if (!Files.exists(built) || flavour.equals("native") && !hasRunner(built)) {
                throw new LabException(module + " is not built for " + flavour + ": run " + (flavour.equals("native")
                        ? "./mvnw package -Dnative -pl " + module + " -am (GraalVM or Mandrel, see docs/kubernetes.md)"
                        : "./mvnw install -DskipTests") + " first");
            }
        }
        ImagePublisher publisher = new ImagePublisher(home, registry, tlsVerify, line -> Lab.OUT.println("[images] " + line));
        String t = tag != null ? tag : flavour;
        List<ImagePublisher.Published> images = new ArrayList<>();
        for (String module : List.of("producer-service", "consumer-service")) {
            images.add(publisher.build(module, "Containerfile." + flavour, "deliverylab/" + module, t, from));
        }
        // The lab itself, for the in-cluster chaos Job (k8s/components/chaos-job).
        images.add(publisher.build("lab-cli", "Containerfile", "deliverylab/lab", t, from));
        add.forEach((name, local) -> images.add(publisher.retag(name, local)));
        List<ImagePublisher.Published> result = push ? images.stream().map(publisher::push).toList() : images;
        Path dir = out != null ? out : Lab.abs(lab.workDir).resolve("k8s").resolve(base.toAbsolutePath().normalize().getFileName());
        Path file = Overlay.write(dir, base, result);
        Lab.OUT.println("overlay: " + Lab.abs(file));
        result.forEach(i -> Lab.OUT.println("  " + i.name() + " -> " + i.repository() + (i.digest() != null ? "@" + i.digest() : ":" + i.tag())));
        Lab.OUT.println(push ? "deploy: kubectl apply -k " + Lab.abs(dir)
                : "not pushed: podman push each image above, or run again with --push");
        return 0;
    }

    private static boolean hasRunner(Path target) {
        try (var files = Files.list(target)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith("-runner"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
