package dev.herald.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Files that Herald serves from its own jar, its webjars' among them. */
public final class JarResources {

    private JarResources() {
    }

    public static byte[] read(String resource) {
        try (InputStream in = JarResources.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not in the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a webjar keeps its files: {@code META-INF/resources/webjars/<artifact>/<version>/}. */
    public static String webjar(String groupId, String artifactId) {
        Properties webjar = new Properties();
        try (InputStream in = JarResources.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("The webjar " + artifactId + " is not in the jar");
            }
            webjar.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "META-INF/resources/webjars/" + artifactId + "/" + webjar.getProperty("version") + "/";
    }
}
