package io.deliverylab.lab.images;

import io.deliverylab.lab.LabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A kustomize overlay on top of one of {@code k8s/overlays}, pointing every image the manifests name at
 * the registry: {@code kubectl apply -k <dir>} then deploys exactly what was pushed.
 */
public final class Overlay {

    private Overlay() {
    }

    public static Path write(Path dir, Path base, List<ImagePublisher.Published> images) {
        StringBuilder y = new StringBuilder()
                .append("# Written by ./lab images: ").append(base.getFileName()).append(" with the images of the registry.\n")
                .append("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n")
                .append("  - ").append(dir.toAbsolutePath().normalize().relativize(base.toAbsolutePath().normalize())).append('\n')
                .append("images:\n");
        for (ImagePublisher.Published image : images) {
            y.append("  - {name: ").append(image.name()).append(", newName: ").append(image.repository())
                    .append(image.digest() != null ? ", digest: " + image.digest() : ", newTag: " + image.tag()).append("}\n");
        }
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("kustomization.yaml");
            Files.writeString(file, y);
            return file;
        } catch (IOException e) {
            throw new LabException("cannot write the overlay in " + dir + ": " + e.getMessage());
        }
    }
}
