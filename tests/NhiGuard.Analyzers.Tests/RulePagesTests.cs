using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NhiGuard.Analyzers.Sinks;
using NhiGuard.TestSupport;

namespace NhiGuard.Analyzers.Tests;

/// <summary>Every diagnostic has its resources, its release entry and its rule page, and they agree.</summary>
public sealed class RulePagesTests
{
    private static readonly string[] Sections =
    {
        "## Cause", "## Rule description", "## How to fix violations", "## How to suppress violations", "## Configuration", "## References",
    };

    public static TheoryData<string> Ids() => new(Descriptors().Select(d => d.Id));

    [Fact]
    public void IdsAreUniqueAndNumbered()
    {
        string[] ids = Descriptors().Select(d => d.Id).ToArray();
        Assert.Equal(ids.Distinct().Count(), ids.Length);
        Assert.All(ids, id => Assert.Matches("^NHI[0-9]{3}$", id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void TheDescriptorHasTextAndAHelpLink(string id)
    {
        DiagnosticDescriptor d = Descriptors().Single(x => x.Id == id);
        Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(d.MessageFormat.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(d.Description.ToString()));
        Assert.Equal($"https://github.com/nhiguard/nhiguard/blob/main/rules/docs/{id}.md", d.HelpLinkUri);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void TheRulePageFollowsTheOutline(string id)
    {
        DiagnosticDescriptor d = Descriptors().Single(x => x.Id == id);
        string page = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "rules", "docs", id + ".md"));

        Assert.StartsWith($"# {id}: {d.Title}\n", page);
        Assert.Contains($"| **Default severity** | {d.DefaultSeverity} |", page);
        int[] at = Sections.Select(s => page.IndexOf("\n" + s + "\n", StringComparison.Ordinal)).ToArray();
        Assert.All(at, i => Assert.True(i >= 0));
        Assert.Equal(at.Order().ToArray(), at);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void TheReleaseIsTracked(string id)
    {
        DiagnosticDescriptor d = Descriptors().Single(x => x.Id == id);
        string unshipped = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "NhiGuard.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains($"{id} | {d.Category} | {d.DefaultSeverity} |", unshipped);
    }

    [Fact]
    public void TheNhi001PageListsEverySink() =>
        Assert.All(SecretSinks.Credentials, sink => Assert.Contains(DocumentedName(sink), Page("NHI001")));

    [Fact]
    public void TheNhi003PageListsEverySink() =>
        Assert.All(SecretSinks.SigningKeys, sink => Assert.Contains(DocumentedName(sink), Page("NHI003")));

    [Fact]
    public void TheNhi101PageListsEverySinkAndEveryScope()
    {
        string page = Page("NHI101");
        Assert.All(ScopeSinks.All, sink => Assert.Contains(DocumentedName(sink), page));
        Assert.All(Analyzers.Scopes.ScopeCatalog.BuiltIn, scope => Assert.Contains($"`{scope.Scope}`", page));
    }

    private static string DocumentedName(Sink sink) => sink.Kind switch
    {
        SinkValueKind.QueryString when sink.Member != Sink.Constructor => sink.Member,
        _ => sink.DisplayName,
    };

    private static string Page(string id) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "rules", "docs", id + ".md"));

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(SecretSinks).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .OrderBy(d => d.Id, StringComparer.Ordinal);
}
