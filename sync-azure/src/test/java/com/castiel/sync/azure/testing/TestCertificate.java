package com.castiel.sync.azure.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's {@code keytool} when
 * a test needs it: no private key is ever checked in. One per JVM; the PKCS12 file lives in a
 * temporary directory deleted at exit.
 */
public final class TestCertificate {

    private static TestCertificate instance;

    private final Path keyStoreFile;
    private final String password;
    private final KeyStore keyStore;

    private TestCertificate(Path keyStoreFile, String password, KeyStore keyStore) {
        this.keyStoreFile = keyStoreFile;
        this.password = password;
        this.keyStore = keyStore;
    }

    /** The JVM's test certificate, generated on first use. */
    public static synchronized TestCertificate get() {
        if (instance == null) {
            instance = generate();
        }
        return instance;
    }

    private static TestCertificate generate() {
        try {
            Path dir = Files.createTempDirectory("sync-azure-tls");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("server.p12");
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                    "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", password, "-keypass", password))
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            file.toFile().deleteOnExit();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, password.toCharArray());
            }
            return new TestCertificate(file, password, ks);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not create the test certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The PKCS12 file holding the key and certificate. */
    public Path keyStoreFile() {
        return keyStoreFile;
    }

    public String password() {
        return password;
    }

    public X509Certificate certificate() {
        try {
            return (X509Certificate) keyStore.getCertificate("server");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server-side context presenting this certificate. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust manager factory that trusts only this certificate. */
    public TrustManagerFactory trustManagers() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
