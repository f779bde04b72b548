using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using NhiGuard.TestSupport;

namespace NhiGuard.Cli.Tests;

public sealed class KeystoreTests
{
    [Fact]
    public void OnlyPkcs12KeystoresThatOpenWithoutAPasswordAreFindings()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=nhiguard-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);

        using var dir = new TempDirectory();
        dir.Write("certs/open.pfx", certificate.Export(X509ContentType.Pkcs12));
        dir.Write("certs/locked.p12", certificate.Export(X509ContentType.Pkcs12, "correct-horse-battery"));
        dir.Write("certs/public-only.pfx", publicOnly.Export(X509ContentType.Pkcs12));

        var r = Cli.Run(dir.Path, "scan", ".", "--format", "json");
        Assert.True(r.ExitCode == 1, r.ToString());
        using var doc = JsonDocument.Parse(r.StdOut);
        var f = Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("certs/open.pfx", f.GetProperty("path").GetString());
        Assert.Equal("pkcs12-keystore", f.GetProperty("ruleId").GetString());
        Assert.Equal("high", f.GetProperty("confidence").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("summary").GetProperty("filesScanned").GetInt32());
    }
}
