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

    [Fact]
    public void GlobsMatchExactlyWhatTheirRegexSays()
    {
        // The hand matcher against the regex that states the same meaning, over every pairing.
        string[] globs =
        [
            "**/*.p12", "*.{p12,pfx}", "**/*.{jks,keystore}", "**/{.pgpass,pgpass.conf}", "tests/fixtures/**", "tests/",
            "/src/*.cs", "src/**/*.cs", "**/locales/**", "**/{locales,i18n}/**", "docs/**/api?.md", "a**b", "**", "*",
            "*.min.js", "vendor/", "**/node_modules/**", "x/*/y", "{,.}env", "config\\secrets.json", "?.txt", "a*b*c*d",
        ];
        string[] paths =
        [
            "a/b/c.p12", "c.p12", "deep/x.pfx", "deep/x.pem", "tests/fixtures/a/b.json", "src/tests/fixtures/b.json",
            "tests/x.cs", "src/a.cs", "src/a/b.cs", "lib/src/a.cs", "app/locales/en.json", "locales", "docs/v1/api1.md",
            "docs/api2.md", "docs/v1/apis.md", "aXb", "a/x/b", "b", "x.min.js", "web/x.min.js.map", "vendor/lib/a.js",
            "a/node_modules/b/c.js", "x/1/y", "x/1/2/y", "x/y", ".env", "env", "config/secrets.json", "a.txt", "ab.txt",
            "a1b2c3d", "a/bcd", "", "keystore/x.jks", "home/.pgpass", "pgpass.conf.bak", "i18n/x", "src/i18n/a/b",
        ];
        foreach (string glob in globs)
        {
            var regex = new System.Text.RegularExpressions.Regex(Glob.ToRegex(glob));
            var matcher = new Glob(glob);
            foreach (string path in paths)
            {
                Assert.True(regex.IsMatch(path) == matcher.IsMatch(path), $"{glob} on {path}: regex {regex.IsMatch(path)}");
            }
        }
    }

    [Fact]
    public void APathologicalGlobGivesUpInsteadOfSearchingForever()
    {
        // Without a bound this would try some 10^30 ways to place the stars.
        Assert.False(new Glob("*a*a*a*a*a*a*a*a*a*a*b").IsMatch(new string('a', 5000)));
        Assert.True(new Glob("*a*b").IsMatch("xxaxxb"));
    }
}
