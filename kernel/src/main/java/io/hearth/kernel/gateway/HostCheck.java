package io.hearth.kernel.gateway;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.hc.client5.http.psl.PublicSuffixMatcherLoader;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.HttpClientHostnameVerifier;

/**
 * The host name check of the gateway's certificate (HttpClient's RFC 2818 rules), always done; a mismatch throws
 * {@link WrongHostException}, which names the host the URL asked for and the names the certificate is for.
 */
final class HostCheck implements HttpClientHostnameVerifier {

    // DNS and IP address entries of subjectAltName (RFC 5280).
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private final DefaultHostnameVerifier rules = new DefaultHostnameVerifier(PublicSuffixMatcherLoader.getDefault());

    @Override
    public void verify(String host, X509Certificate certificate) throws SSLException {
        try {
            rules.verify(host, certificate);
        } catch (SSLException e) {
            throw new WrongHostException(host, namesOf(certificate));
        }
    }

    @Override
    public boolean verify(String host, SSLSession session) {
        try {
            verify(host, (X509Certificate) session.getPeerCertificates()[0]);
            return true;
        } catch (SSLException | ClassCastException e) {
            return false;
        }
    }

    /** The DNS names and addresses the certificate is for; its subject's CN when it has none. */
    static List<String> namesOf(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    Object type = entry.get(0);
                    if (type instanceof Integer t && (t == DNS_NAME || t == IP_ADDRESS)) {
                        names.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable extension names nothing.
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (InvalidNameException e) {
                // A subject that is no distinguished name names nothing.
            }
        }
        return names;
    }

    /** The gateway's certificate is not for the host its URL names. */
    static final class WrongHostException extends SSLPeerUnverifiedException {

        private final String host;
        private final transient List<String> names;

        WrongHostException(String host, List<String> names) {
            super("the certificate is for " + names + ", not for " + host);
            this.host = host;
            this.names = List.copyOf(names);
        }

        String host() {
            return host;
        }

        /** The names the certificate is for (empty when it names none). */
        List<String> names() {
            return names;
        }
    }
}
