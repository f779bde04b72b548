using NhiGuard.Detection;

namespace NhiGuard.Detection.Tests;

public sealed class PrimitivesTests
{
    [Theory]
    [InlineData("", 0.0)]
    [InlineData("aaaa", 0.0)]
    [InlineData("abab", 1.0)]
    [InlineData("abcd", 2.0)]
    public void ShannonEntropy(string value, double bits) => Assert.Equal(bits, Entropy.Shannon(value), 6);

    [Theory]
    [InlineData("ghp_0123456789abcdefghijABCDEFGHIJ012345", "ghp_*****")]
    [InlineData("abcdefghij", "ab*****")]
    [InlineData("short", "*****")]
    public void RedactionKeepsAShortPrefixAndAFixedMask(string secret, string expected) =>
        Assert.Equal(expected, Redaction.Redact(secret));

    [Fact]
    public void RedactionNeverRevealsTheLength() =>
        Assert.Equal(Redaction.Redact(new string('q', 40)).Length, Redaction.Redact(new string('q', 400)).Length);

    [Fact]
    public void FingerprintHashesRulePathAndSecretOnly()
    {
        string a = Fingerprint.Compute("github-pat", "src/a.cs", "s3cr3t-value-1");
        Assert.Equal(a, Fingerprint.Compute("github-pat", "src/a.cs", "s3cr3t-value-1"));
        Assert.NotEqual(a, Fingerprint.Compute("github-pat", "src/b.cs", "s3cr3t-value-1"));
        Assert.NotEqual(a, Fingerprint.Compute("npm-token", "src/a.cs", "s3cr3t-value-1"));
        Assert.NotEqual(a, Fingerprint.Compute("github-pat", "src/a.cs", "s3cr3t-value-2"));
        Assert.Matches("^[0-9a-f]{32}$", a);
        Assert.DoesNotContain("s3cr3t", a);
    }

    [Theory]
    [InlineData("**/*.p12", "a/b/c.p12", true)]
    [InlineData("**/*.p12", "c.p12", true)]
    [InlineData("*.{p12,pfx}", "deep/x.pfx", true)]
    [InlineData("*.{p12,pfx}", "deep/x.pem", false)]
    [InlineData("tests/fixtures/**", "tests/fixtures/a/b.json", true)]
    [InlineData("tests/fixtures/**", "src/tests/fixtures/b.json", false)]
    [InlineData("tests/", "tests/x.cs", true)]
    [InlineData("secrets.json", "config/secrets.json", true)]
    [InlineData("src/*.cs", "src/a/b.cs", false)]
    [InlineData("?.txt", "a.txt", true)]
    public void GlobsMatchLikeGitignore(string glob, string path, bool expected) =>
        Assert.Equal(expected, new Glob(glob).IsMatch(path));
}
