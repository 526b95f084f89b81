package org.selfhostedgateway;

/**
 * The project images the tests run. {@code -Dsg.images.tag=x} (with {@code SG_IMAGE_TAG=x scripts/prepare-docker.sh})
 * lets two checkouts test their own images side by side on one engine without replacing each other's {@code latest}.
 */
public final class TestImages {

    public static final String TAG = System.getProperty("sg.images.tag", "latest");

    private TestImages() {
    }

    /** {@code selfhosted-gateway/<name>:<tag>}, e.g. {@code image("gateway-link")}. */
    public static String image(String name) {
        return "selfhosted-gateway/" + name + ":" + TAG;
    }

    /** The control plane's settings that make it launch and hand out this run's images. */
    public static String[] controlPlaneSettings() {
        return new String[] {
                "--gateway.docker.link-image=" + image("gateway-link"),
                "--gateway.link.client-image=" + image("client-link")};
    }
}
