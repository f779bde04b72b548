using Microsoft.CodeAnalysis;

namespace NhiGuard.Analyzers;

/// <summary>Builds descriptors from <c>Resources.resx</c> (keys <c>{id}Title</c>, <c>{id}MessageFormat</c>, <c>{id}Description</c>).</summary>
internal static class Descriptors
{
    /// <summary>Where the rule pages live; each descriptor's help link is this plus <c>{id}.md</c>.</summary>
    internal const string HelpLinkBase = "https://github.com/nhiguard/nhiguard/blob/main/rules/docs/";

    internal const string SecretsCategory = "NhiGuard.Secrets";
    internal const string ScopesCategory = "NhiGuard.Scopes";
    internal const string ExpiryCategory = "NhiGuard.Expiry";

    public static DiagnosticDescriptor Create(string id, string category, DiagnosticSeverity severity = DiagnosticSeverity.Warning) =>
        new(
            id,
            Resource(id + "Title"),
            Resource(id + "MessageFormat"),
            category,
            severity,
            isEnabledByDefault: true,
            description: Resource(id + "Description"),
            helpLinkUri: HelpLinkBase + id + ".md");

    private static LocalizableResourceString Resource(string name) =>
        new(name, Resources.ResourceManager, typeof(Resources));
}
