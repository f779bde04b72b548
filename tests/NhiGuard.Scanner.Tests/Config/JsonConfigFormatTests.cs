using NhiGuard.Scanner.Config;

namespace NhiGuard.Scanner.Tests.Config;

public sealed class JsonConfigFormatTests
{
    private static IReadOnlyList<ConfigEntry> Read(string text) => JsonConfigFormat.Instance.Read(text);

    [Theory]
    [InlineData("appsettings.json", true)]
    [InlineData("src/Api/appsettings.Development.json", true)]
    [InlineData("Properties/launchSettings.json", true)]
    [InlineData("secrets.json", true)]
    [InlineData("func/local.settings.json", true)]
    [InlineData("app.settings.json", true)]
    [InlineData("package.json", false)]
    [InlineData("appsettings.yaml", false)]
    public void HandlesSettingsFiles(string path, bool expected) =>
        Assert.Equal(expected, JsonConfigFormat.Instance.Handles(path));

    [Fact]
    public void KeysAreJoinedWithColons()
    {
        string text = """
            {
              "AzureAd": { "ClientId": "client-id-value", "ClientSecret": "s3cr3t-value" },
              "Clients": [ { "Secret": "first-fake" }, { "Secret": "second-fake" } ],
              "Port": 8080, "Enabled": true, "Nothing": null
            }
            """;
        var entries = Read(text);
        ConfigAssert.Keys(entries, "AzureAd:ClientId", "AzureAd:ClientSecret", "Clients:0:Secret", "Clients:1:Secret");
        ConfigAssert.Entry(text, entries, "AzureAd:ClientSecret", "s3cr3t-value");
        ConfigAssert.Entry(text, entries, "Clients:1:Secret", "second-fake");
    }

    [Fact]
    public void ArraysOfStringsAreIndexed()
    {
        string text = """{ "Keys": ["one", "two", ["nested"]] }""";
        var entries = Read(text);
        ConfigAssert.Keys(entries, "Keys:0", "Keys:1", "Keys:2:0");
    }

    [Fact]
    public void CommentsAndTrailingCommasAreAccepted()
    {
        string text = """
            {
              // a line comment with "quotes": "not-a-value"
              "Db": {
                /* block "comment" */ "Password": "s3cr3t-value", // after
                "List": [ "a", "b", ],
              },
            }
            """;
        var entries = Read(text);
        ConfigAssert.Keys(entries, "Db:Password", "Db:List:0", "Db:List:1");
        ConfigAssert.Entry(text, entries, "Db:Password", "s3cr3t-value");
    }

    [Fact]
    public void EscapesAreDecodedAndTheSpanCoversTheRawText()
    {
        string text = "{ \"Conn\": \"Server=x;Password=p\\\"w\\\\d\\u0041;\" }";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "Conn", "Server=x;Password=p\"w\\dA;", "Server=x;Password=p\\\"w\\\\d\\u0041;");
    }

    [Fact]
    public void OffsetsAreCharOffsetsInNonAsciiText()
    {
        string text = "\uFEFF{ \"Ünïcødé 😀\": \"välüe 😀\", \"Api\": { \"Key\": \"s3cr3t-value\" } }";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "Ünïcødé 😀", "välüe 😀");
        ConfigAssert.Entry(text, entries, "Api:Key", "s3cr3t-value");
    }

    [Fact]
    public void KeysAreCaseAndEscapePreserving()
    {
        string text = """{ "A\u0042c": { "x:y": "v" } }""";
        ConfigAssert.Entry(text, Read(text), "ABc:x:y", "v");
    }

    [Fact]
    public void TruncatedInputReturnsWhatWasRead()
    {
        string text = """{ "A": "first", "B": { "C": "second", "D": "thi""";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "A", "first");
        ConfigAssert.Entry(text, entries, "B:C", "second");
        ConfigAssert.Entry(text, entries, "B:D", "thi");
    }

    [Fact]
    public void UnterminatedStringEndsAtTheLineBreak()
    {
        string text = "{ \"A\": \"open\n, \"B\": \"closed\" }";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "A", "open");
        ConfigAssert.Entry(text, entries, "B", "closed");
    }

    [Fact]
    public void TopLevelScalarsAndGarbageGiveNothing()
    {
        Assert.Empty(Read("\"just a string\""));
        Assert.Empty(Read("}}]]:,,"));
        Assert.Empty(Read(""));
    }

    [Fact]
    public void DeepNestingStopsWithoutOverflow()
    {
        string text = new string('[', 100_000) + "\"x\"";
        Assert.Empty(Read(text));
        string nested = "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "\"deep\"" + new string('}', 201);
        Assert.Single(Read(nested));
    }
}
