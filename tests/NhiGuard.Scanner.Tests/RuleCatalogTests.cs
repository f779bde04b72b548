using NhiGuard.Detection;
using NhiGuard.Scanner.Rules;
using NhiGuard.TestSupport;

namespace NhiGuard.Scanner.Tests;

public sealed class RuleCatalogTests
{
    private static readonly IReadOnlyList<RuleDefinition> Catalog = RuleCatalog.ReadDirectory(RepositoryPaths.Rules);

    [Fact]
    public void RuleExamplesBehave()
    {
        var failures = RuleExampleRunner.Check(Catalog);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void CatalogIsCurrent()
    {
        string generated = RuleCatalog.ToCSharp(Catalog, RepositoryPaths.Root);
        string path = Path.Combine(RepositoryPaths.Root, "src", "NhiGuard.Detection", "Catalog", "BuiltInRules.g.cs");
        if (Environment.GetEnvironmentVariable("NHIGUARD_UPDATE_CATALOG") == "1")
        {
            File.WriteAllText(path, generated);
            return;
        }

        Assert.True(generated == File.ReadAllText(path), "BuiltInRules.g.cs is stale: run NHIGUARD_UPDATE_CATALOG=1 dotnet test tests/NhiGuard.Scanner.Tests --filter CatalogIsCurrent");
    }

    [Fact]
    public void BuiltInRulesMatchTheCatalogFiles()
    {
        Assert.Equal(Catalog.Select(d => d.Rule.Id), BuiltInRules.All.Select(r => r.Id));
    }

    [Fact]
    public void EveryRuleHasTitleDescriptionAndKeywordsOrPath()
    {
        foreach (RuleDefinition d in Catalog)
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Rule.Title), d.Rule.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Rule.Description), $"{d.Rule.Id} has no description");
            Assert.True(d.Rule.Keywords.Count > 0 || d.Rule.Path is not null, $"{d.Rule.Id} has neither keywords nor a path");
        }
    }
}
