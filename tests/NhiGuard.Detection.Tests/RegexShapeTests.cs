using NhiGuard.Detection;

namespace NhiGuard.Detection.Tests;

public sealed class RegexShapeTests
{
    [Theory]
    [InlineData(@"\b(?<secret>ghp_[0-9A-Za-z]{36})\b", true)]
    [InlineData(@"(?i)(?:aws[_.\-]?secret)\s*[:=]\s*(?<secret>[A-Za-z0-9/+]{40})", true)]
    [InlineData(@"\b(?:AKIA|ASIA)[A-Z0-9]{16}", true)]
    [InlineData(@"(?i:datadog|dd_api)[\w\s]{0,64}key", true)]
    [InlineData(@"(?i:datadog|\bdd)[\w\s]{0,64}key", false)]
    [InlineData(@"[A-Za-z0-9]{52}AzSe[A-D]", false)]
    [InlineData(@"(?:^|[^A-Za-z0-9])(?<secret>[a-z0-9]{32})", false)]
    [InlineData(@"abc(?:d+)+e", false)]
    [InlineData(@"ab?c", false)]
    [InlineData(@"xoxb-\d+-(?<secret>.+)", true)]
    public void PicksTheInterpreterOnlyForLiteralPrefixesWithoutRepeatedGroups(string pattern, bool interpreter) =>
        Assert.Equal(interpreter, RegexShape.SuitsInterpreter(pattern));
}
