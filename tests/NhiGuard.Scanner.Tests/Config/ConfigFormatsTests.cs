using System.Diagnostics;
using NhiGuard.Scanner.Config;

namespace NhiGuard.Scanner.Tests.Config;

public sealed class ConfigFormatsTests
{
    [Theory]
    [InlineData("src/Api/appsettings.Production.json", typeof(JsonConfigFormat))]
    [InlineData("home/u/.docker/config.json", typeof(DockerConfigFormat))]
    [InlineData("tool/config.json", typeof(DockerConfigFormat))]
    [InlineData("Web.config", typeof(XmlConfigFormat))]
    [InlineData("NuGet.Config", typeof(XmlConfigFormat))]
    [InlineData("k8s/secret.yaml", typeof(YamlConfigFormat))]
    [InlineData(".env.local", typeof(DotEnvConfigFormat))]
    [InlineData("app.properties", typeof(PropertiesConfigFormat))]
    [InlineData("setup.cfg", typeof(IniConfigFormat))]
    [InlineData("prod.auto.tfvars", typeof(TfvarsConfigFormat))]
    [InlineData(".npmrc", typeof(NpmrcConfigFormat))]
    [InlineData(".git-credentials", typeof(GitCredentialsConfigFormat))]
    public void ChoosesTheReaderByName(string path, Type expected) =>
        Assert.IsType(expected, ConfigFormats.For(path));

    [Theory]
    [InlineData("README.md")]
    [InlineData("pom.xml")]
    [InlineData("package.json")]
    [InlineData("main.tf")]
    [InlineData("nginx.conf")]
    public void OtherFilesHaveNoReader(string path) => Assert.Null(ConfigFormats.For(path));

    [Fact]
    public void DockerDirectoryConfigIsReadWithoutAuths() =>
        Assert.Same(DockerConfigFormat.DockerDirectory, ConfigFormats.For(".docker/config.json"));
}

/// <summary>Every reader is total: malformed, truncated, binary-ish or huge input returns entries in range and never throws.</summary>
public sealed class ConfigRobustnessTests
{
    public static TheoryData<string, string> Samples => new()
    {
        { "appsettings.json", "{ \"A\": { \"B\": [\"x\", {\"C\": \"y\\u00e9\"}] }, // c\n \"D\": \"z\", }" },
        { ".docker/config.json", "{\"auths\":{\"r\":{\"auth\":\"YTpi\"}}}" },
        { "web.config", "<?xml version=\"1.0\"?><configuration><appSettings><add key=\"K\" value=\"a&amp;b\"/></appSettings><x password='p'/><pwd>q</pwd></configuration>" },
        { "a.yaml", "a: &x {b: [1, 'c', \"d\\n\"]}\nkind: Secret\ndata:\n  p: YTpi\ne: |\n  text\n---\nservices:\n  s:\n    environment:\n      - K=v\n" },
        { ".env", "export A=\"x\\\"y\"\nB='z'\nC=w # c\n" },
        { "a.properties", "a=b\\\n  c\nd: \\u00e9\n" },
        { "a.ini", "[s]\na=\"b\"\n" },
        { "a.tfvars", "a = { b = [\"c\", <<EOF\nx\nEOF\n] }\nd = \"${e}\"\n" },
        { ".npmrc", "//r/:_authToken=t\n" },
        { ".git-credentials", "https://u:p%41@h/x\n" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void EveryTruncationIsSafe(string path, string text)
    {
        IConfigFormat format = ConfigFormats.For(path)!;
        Assert.NotEmpty(format.Read(text));
        for (int length = 0; length <= text.Length; length++)
        {
            string prefix = text[..length];
            ConfigAssert.SpansInside(prefix, format.Read(prefix));
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void RandomMutationsAreSafe(string path, string text)
    {
        IConfigFormat format = ConfigFormats.For(path)!;
        var random = new Random(20240601);
        const string Alphabet = "{}[]()<>\"'`:=,;#!/*\\&$%@-|>?\n\r\t \0\uFEFF\uD83D\uDE00\uD800aZ9";
        for (int round = 0; round < 300; round++)
        {
            char[] chars = text.ToCharArray();
            for (int n = random.Next(1, 5); n > 0; n--)
            {
                chars[random.Next(chars.Length)] = Alphabet[random.Next(Alphabet.Length)];
            }

            string mutated = new(chars);
            ConfigAssert.SpansInside(mutated, format.Read(mutated));
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void HugeInputIsSkippedQuickly(string path, string text)
    {
        IConfigFormat format = ConfigFormats.For(path)!;
        string huge = text + new string('a', 50 * 1024 * 1024);
        Assert.Empty(format.Read(huge));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void LongPathologicalInputIsLinear(string path, string text)
    {
        _ = text;
        IConfigFormat format = ConfigFormats.For(path)!;
        string[] inputs =
        [
            new string('a', 4 * 1024 * 1024),
            string.Concat(Enumerable.Repeat("A='\n", 200_000)),
            string.Concat(Enumerable.Repeat("A=\"\\\n", 200_000)),
            new string('{', 1_000_000),
            new string('[', 1_000_000),
            string.Concat(Enumerable.Repeat("- ", 500_000)),
            string.Concat(Enumerable.Repeat("<a>", 300_000)),
            string.Concat(Enumerable.Repeat("a = <<EOF\n", 200_000)),
            string.Concat(Enumerable.Repeat("\"${", 300_000)),
            string.Concat(Enumerable.Repeat("/*", 500_000)),
        ];
        foreach (string input in inputs)
        {
            var watch = Stopwatch.StartNew();
            ConfigAssert.SpansInside(input, format.Read(input));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{path}: {watch.Elapsed} on a {input.Length}-char input starting '{input[..10]}'");
        }
    }

    public static TheoryData<string, string> HugePrefixes
    {
        get
        {
            string big = new('k', 1024 * 1024);
            return new()
            {
                { "appsettings.json", "{\"" + big + "\": [" + string.Concat(Enumerable.Repeat("\"a\",", 500_000)) + "]}" },
                { "a.yaml", "? " + big + "\n: [" + string.Concat(Enumerable.Repeat("a, ", 400_000)) + "]\n" },
                { "web.config", "<" + big + ">" + string.Concat(Enumerable.Repeat("<add key=\"a\" value=\"b\"/>", 80_000)) + "</" + big + ">" },
                { "a.ini", "[" + big + "]\n" + string.Concat(Enumerable.Repeat("a=b\n", 500_000)) },
                { "a.tfvars", big + " = [" + string.Concat(Enumerable.Repeat("\"a\",", 500_000)) + "]" },
                { ".env", string.Concat(Enumerable.Repeat("a=b\n", 1_000_000)) },
            };
        }
    }

    [Theory]
    [MemberData(nameof(HugePrefixes))]
    public void HugeKeysAndEntryCountsAreBounded(string path, string text)
    {
        var watch = Stopwatch.StartNew();
        var entries = ConfigFormats.For(path)!.Read(text);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{path}: {watch.Elapsed}");
        Assert.InRange(entries.Count, 0, EntryList.MaxEntries);
        Assert.All(entries, e => Assert.InRange(e.Key.Length, 0, EntryList.MaxKeyLength));
    }
}
