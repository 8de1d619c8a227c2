package io.triad.probe;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/** TLS contexts from PEM text: a client identity (certificate and key) and the CA to trust, or none (trust any, like curl -k). */
public final class Tls {

    private Tls() { }

    /** A context presenting {@code certPem}/{@code keyPem} (both null: no client certificate), trusting {@code caPem} (null: any). */
    public static SSLContext context(String certPem, String keyPem, String caPem) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            javax.net.ssl.KeyManager[] keys = null;
            if (certPem != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                Collection<? extends Certificate> chain = certificates(certPem);
                store.setKeyEntry("client", privateKey(keyPem), new char[0], chain.toArray(Certificate[]::new));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, new char[0]);
                keys = new javax.net.ssl.KeyManager[] {presentAlways((javax.net.ssl.X509KeyManager) kmf.getKeyManagers()[0])};
            }
            TrustManager[] trust;
            if (caPem != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (Certificate c : certificates(caPem)) {
                    store.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                trust = tmf.getTrustManagers();
            } else {
                trust = trustAny();
            }
            context.init(keys, trust, null);
            return context;
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot make a TLS context from the PEM given: " + e.getMessage(), e);
        }
    }

    /**
     * Presents the identity whatever issuers the server names. The JDK's own key manager sends no
     * certificate when its issuer is not among those the server asks for: a probe given another
     * CA's certificate would then try "no certificate", and a port that takes any certificate
     * unchecked would never be shown one.
     */
    private static javax.net.ssl.X509ExtendedKeyManager presentAlways(javax.net.ssl.X509KeyManager keys) {
        return new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return new String[] {"client"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return "client";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
                return "client";
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return keys.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return keys.chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return keys.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return keys.getPrivateKey(alias);
            }
        };
    }

    /** Trusts any server certificate, like curl -k: for probes that test something other than the server's identity. */
    public static TrustManager[] trustAny() {
        return new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) { }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) { }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }};
    }

    static Collection<? extends Certificate> certificates(String pem) throws java.security.cert.CertificateException {
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        if (certs.isEmpty()) {
            throw new java.security.cert.CertificateException("no certificate in the PEM text");
        }
        return certs;
    }

    static PrivateKey privateKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException("no private key in the PEM text");
        }
    }
}
