using NhiGuard.Scanner.Config;

namespace NhiGuard.Scanner.Tests.Config;

public sealed class DotEnvConfigFormatTests
{
    private static IReadOnlyList<ConfigEntry> Read(string text) => DotEnvConfigFormat.Instance.Read(text);

    [Theory]
    [InlineData(".env", true)]
    [InlineData("app/.env.production", true)]
    [InlineData("config/prod.env", true)]
    [InlineData(".envrc", false)]
    [InlineData("environment.ts", false)]
    public void HandlesEnvFiles(string path, bool expected) =>
        Assert.Equal(expected, DotEnvConfigFormat.Instance.Handles(path));

    [Fact]
    public void ReadsAssignments()
    {
        string text = "# comment line\n\nAPI_KEY=s3cr3t-value\nexport DB_PASS = fake-pass  \n  SPACED=  padded value  # inline comment\nHASH=abc#def\nEMPTY=\nexport=literal-key\nnot an assignment\n";
        var entries = Read(text);
        ConfigAssert.Keys(entries, "API_KEY", "DB_PASS", "SPACED", "HASH", "EMPTY", "export");
        ConfigAssert.Entry(text, entries, "API_KEY", "s3cr3t-value");
        ConfigAssert.Entry(text, entries, "DB_PASS", "fake-pass");
        ConfigAssert.Entry(text, entries, "SPACED", "padded value");
        ConfigAssert.Entry(text, entries, "HASH", "abc#def");
        ConfigAssert.Entry(text, entries, "EMPTY", "");
    }

    [Fact]
    public void QuotedValues()
    {
        string text = "D=\"a\\nb \\\"q\\\" # not comment\" # comment\r\nS='single \\n #raw'\r\nB=`back`\r\nM=\"line1\nline2\"\r\nNEXT=after\r\n";
        var entries = Read(text);
        ConfigAssert.Keys(entries, "D", "S", "B", "M", "NEXT");
        ConfigAssert.Entry(text, entries, "D", "a\nb \"q\" # not comment", "a\\nb \\\"q\\\" # not comment");
        ConfigAssert.Entry(text, entries, "S", "single \\n #raw");
        ConfigAssert.Entry(text, entries, "B", "back");
        ConfigAssert.Entry(text, entries, "M", "line1\nline2");
        ConfigAssert.Entry(text, entries, "NEXT", "after");
    }

    [Fact]
    public void UnterminatedQuoteTakesTheRestOfTheLine()
    {
        string text = "A='open\nB=fine\nC=\"also open\n";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "A", "open");
        ConfigAssert.Entry(text, entries, "B", "fine");
        ConfigAssert.Entry(text, entries, "C", "also open");
        // A quote closed on a later line makes a multi-line value, as dotenv reads it.
        string multi = "A='one\nB=two'\nC=three\n";
        ConfigAssert.Keys(Read(multi), "A", "C");
    }

    [Fact]
    public void NonAsciiOffsets()
    {
        string text = "\uFEFFÜ=😀välüe\nK=\"ä😀\"\n";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "Ü", "😀välüe");
        ConfigAssert.Entry(text, entries, "K", "ä😀");
    }
}
