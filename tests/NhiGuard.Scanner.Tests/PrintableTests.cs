using NhiGuard.Scanner.Reports;

namespace NhiGuard.Scanner.Tests;

public sealed class PrintableTests
{
    [Theory]
    [InlineData("src/app.env", "src/app.env")]
    [InlineData("caf\u00e9/\u65e5\u672c.env", "caf\u00e9/\u65e5\u672c.env")]
    [InlineData("a\tb\rc\nd", "a\\tb\\rc\\nd")]
    [InlineData("x\u0000y\u007fz", "x\\u0000y\\u007fz")]
    [InlineData("\u009b31m", "\\u009b31m")]
    [InlineData("\u202egnp.exe\u2066\u2069\u200f", "\\u202egnp.exe\\u2066\\u2069\\u200f")]
    public void ControlAndBidiCharactersAreEscapedAndTheRestIsKept(string text, string shown) =>
        Assert.Equal(shown, Printable.Of(text));

    [Fact]
    public void TextWithNothingToEscapeIsTheSameString()
    {
        string text = "deploy/values.yaml";
        Assert.Same(text, Printable.Of(text));
    }
}
