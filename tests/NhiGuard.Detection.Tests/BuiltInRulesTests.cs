using System.Text.RegularExpressions;
using NhiGuard.Detection;

namespace NhiGuard.Detection.Tests;

public sealed class BuiltInRulesTests
{
    public static TheoryData<string> RuleIds() => new(BuiltInRules.All.Where(r => r.Regex is not null).Select(r => r.Id));

    // Built-in patterns are not parsed at start-up, so this is where a bad one is caught; and a
    // pattern meant for NonBacktracking must not fall back to backtracking unnoticed.
    [Theory]
    [MemberData(nameof(RuleIds))]
    public void PatternCompilesUnderTheEngineItGets(string id)
    {
        Rule rule = BuiltInRules.All.Single(r => r.Id == id);
        _ = new Regex(rule.Regex!, RegexOptions.CultureInvariant);
        if (!RegexShape.SuitsInterpreter(rule.Regex!))
        {
            _ = new Regex(rule.Regex!, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
    }

    [Fact]
    public void CatalogIsAtLeastAsBroadAsGitleaks()
    {
        Assert.True(BuiltInRules.All.Count >= 200, $"{BuiltInRules.All.Count} rules");
        Assert.All(BuiltInRules.All, r => Assert.True(r.IsBuiltIn));
    }

    [Fact]
    public void BuiltInRulesAreNotParsedUntilUsed()
    {
        // A broken pattern marked built-in only fails when its keyword is hit.
        var broken = new Rule { Id = "broken", Keywords = ["zzq"], Regex = "(unclosed", IsBuiltIn = true };
        var detector = new Detector([broken]);
        Assert.Empty(detector.Scan(new Fragment("nothing here", "a")));
        Assert.Throws<RuleException>(() => detector.Scan(new Fragment("zzq", "a")));
    }
}
