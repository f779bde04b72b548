using NhiGuard.Scanner.Config;

namespace NhiGuard.Scanner.Tests.Config;

public sealed class PropertiesConfigFormatTests
{
    private static IReadOnlyList<ConfigEntry> Read(string text) => PropertiesConfigFormat.Instance.Read(text);

    [Fact]
    public void ReadsSeparatorsCommentsAndEscapes()
    {
        string text = "# comment\n! also comment\ndb.password=s3cr3t-value\nuser: admin\nspaced   value with spaces\nkey\\:with\\=escapes = \\u0041b\\tc\n  indented = x  \nempty=\n";
        var entries = Read(text);
        ConfigAssert.Keys(entries, "db.password", "user", "spaced", "key:with=escapes", "indented", "empty");
        ConfigAssert.Entry(text, entries, "db.password", "s3cr3t-value");
        ConfigAssert.Entry(text, entries, "user", "admin");
        ConfigAssert.Entry(text, entries, "spaced", "value with spaces");
        ConfigAssert.Entry(text, entries, "key:with=escapes", "Ab\tc", "\\u0041b\\tc");
        ConfigAssert.Entry(text, entries, "indented", "x");
    }

    [Fact]
    public void ContinuationLinesAreJoined()
    {
        string text = "long=first \\\r\n    second \\\n  third\nnext=\\\\\nafter=1\n";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "long", "first second third", "first \\\r\n    second \\\n  third");
        ConfigAssert.Entry(text, entries, "next", "\\", "\\\\");
        ConfigAssert.Entry(text, entries, "after", "1");
    }

    [Fact]
    public void HandlesPropertiesFiles()
    {
        Assert.True(PropertiesConfigFormat.Instance.Handles("src/main/resources/application.properties"));
        Assert.False(PropertiesConfigFormat.Instance.Handles("application.props"));
    }
}

public sealed class IniConfigFormatTests
{
    private static IReadOnlyList<ConfigEntry> Read(string text) => IniConfigFormat.Instance.Read(text);

    [Fact]
    public void SectionsPrefixKeys()
    {
        string text = "; comment\ntop = level\n[database]\npassword = s3cr3t-value\nuser: admin\n[ server.main ]\n# comment\ntoken = \"quoted fake\"\nurl = https://x.example.test/?a=b;c\nno separator\n";
        var entries = Read(text);
        ConfigAssert.Keys(entries, "top", "database.password", "database.user", "server.main.token", "server.main.url");
        ConfigAssert.Entry(text, entries, "database.password", "s3cr3t-value");
        ConfigAssert.Entry(text, entries, "server.main.token", "quoted fake");
        ConfigAssert.Entry(text, entries, "server.main.url", "https://x.example.test/?a=b;c");
    }

    [Theory]
    [InlineData("setup.cfg", true)]
    [InlineData("php.ini", true)]
    [InlineData("nginx.conf", false)]
    public void HandlesIniFiles(string path, bool expected) =>
        Assert.Equal(expected, IniConfigFormat.Instance.Handles(path));
}

public sealed class NpmrcConfigFormatTests
{
    [Fact]
    public void RegistryScopedKeysKeepTheirColons()
    {
        string text = "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=npm-fake-token\n; comment\n@scope:registry = https://npm.example.test/\n//npm.example.test/:_password=\"ZmFrZQ==\"\n";
        var entries = NpmrcConfigFormat.Instance.Read(text);
        ConfigAssert.Keys(entries, "registry", "//registry.npmjs.org/:_authToken", "@scope:registry", "//npm.example.test/:_password");
        ConfigAssert.Entry(text, entries, "//registry.npmjs.org/:_authToken", "npm-fake-token");
        ConfigAssert.Entry(text, entries, "//npm.example.test/:_password", "ZmFrZQ==");
    }

    [Fact]
    public void HandlesNpmrc()
    {
        Assert.True(NpmrcConfigFormat.Instance.Handles("web/.npmrc"));
        Assert.False(NpmrcConfigFormat.Instance.Handles("web/.yarnrc"));
    }
}

public sealed class GitCredentialsConfigFormatTests
{
    [Fact]
    public void PasswordsAreKeyedByHost()
    {
        string text = "https://user:s3cr3t-value@github.com\nhttps://ci:p%40ss%2Fword@git.example.test:8443/org/repo.git\nhttp://fake-token-only@gitlab.example.test\nnot a url\nhttps://nouser.example.test/path\n";
        var entries = GitCredentialsConfigFormat.Instance.Read(text);
        ConfigAssert.Keys(entries, "github.com", "git.example.test:8443", "gitlab.example.test");
        ConfigAssert.Entry(text, entries, "github.com", "s3cr3t-value");
        ConfigAssert.Entry(text, entries, "git.example.test:8443", "p@ss/word", "p%40ss%2Fword");
        ConfigAssert.Entry(text, entries, "gitlab.example.test", "fake-token-only");
    }

    [Theory]
    [InlineData(".git-credentials", true)]
    [InlineData("home/me/.git-credentials", true)]
    [InlineData("home/me/.config/git/credentials", true)]
    [InlineData("credentials", false)]
    public void HandlesCredentialStores(string path, bool expected) =>
        Assert.Equal(expected, GitCredentialsConfigFormat.Instance.Handles(path));
}
