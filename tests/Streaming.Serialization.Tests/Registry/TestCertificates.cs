using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Streaming.Serialization.Tests.Registry;

/// <summary>A throwaway certificate authority and the certificates it signs, for TLS tests on 127.0.0.1.</summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public TestCertificates(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name} test CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UnixEpoch.AddYears(50), DateTimeOffset.UnixEpoch.AddYears(100));
        Server = Issue("CN=localhost", ServerAuth, subjectAlternativeNames: true);
        Client = Issue($"CN={name} client", ClientAuth, subjectAlternativeNames: false);
    }

    public X509Certificate2 Authority { get; }

    /// <summary>For localhost and 127.0.0.1, signed by <see cref="Authority"/>.</summary>
    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    /// <summary>The CA certificate alone, without its private key, as a client is given it.</summary>
    public X509Certificate2 PublicAuthority() => X509CertificateLoader.LoadCertificate(Authority.RawData);

    public bool IssuedClient(X509Certificate2 certificate) => certificate.Thumbprint == Client.Thumbprint;

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        Client.Dispose();
    }

    private X509Certificate2 Issue(string subject, Oid usage, bool subjectAlternativeNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], critical: false));
        if (subjectAlternativeNames)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        using var issued = request.Create(Authority, Authority.NotBefore, Authority.NotAfter.AddDays(-1), serial);
        // Kestrel and SslStream need the key attached; an exported PFX round trip makes it usable on every platform.
        return X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pfx), null);
    }
}
