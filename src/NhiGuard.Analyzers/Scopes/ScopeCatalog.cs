using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NhiGuard.Analyzers.Scopes;

/// <summary>A scope that grants more than most code needs.</summary>
/// <param name="Provider">Whose scope it is (Microsoft Graph, Google, GitHub...).</param>
/// <param name="Scope">The scope as requested.</param>
/// <param name="Grants">What it grants, completing "grants ...".</param>
/// <param name="AnyAfter">A separator after which any suffix still matches (<c>admin.</c> matches <c>admin.users:write</c>).</param>
internal sealed record BroadScope(string Provider, string Scope, string Grants, string? AnyAfter = null)
{
    private const string GraphPrefix = "https://graph.microsoft.com/";

    /// <summary>Whether a requested scope is this one; Graph scopes match with or without their resource prefix.</summary>
    public bool Matches(string requested)
    {
        string scope = Provider == MicrosoftGraph && requested.StartsWith(GraphPrefix, StringComparison.OrdinalIgnoreCase)
            ? requested.Substring(GraphPrefix.Length)
            : requested;
        return string.Equals(scope, Scope, StringComparison.OrdinalIgnoreCase)
            || (AnyAfter is not null && scope.StartsWith(Scope + AnyAfter, StringComparison.OrdinalIgnoreCase));
    }

    public const string MicrosoftGraph = "Microsoft Graph";
}

/// <summary>
/// The over-broad scope catalog, per provider, and its per-project adjustments from
/// <c>.editorconfig</c>: <c>nhiguard.allowed_scopes</c> and <c>nhiguard.forbidden_scopes</c>.
/// </summary>
internal sealed class ScopeCatalog
{
    private const string AllowedKey = "nhiguard.allowed_scopes";
    private const string ForbiddenKey = "nhiguard.forbidden_scopes";

    public static readonly ImmutableArray<BroadScope> BuiltIn = ImmutableArray.Create(
        new BroadScope(BroadScope.MicrosoftGraph, "Directory.ReadWrite.All", "read and write access to the whole directory"),
        new BroadScope(BroadScope.MicrosoftGraph, "RoleManagement.ReadWrite.Directory", "the right to assign any directory role, Global Administrator included"),
        new BroadScope(BroadScope.MicrosoftGraph, "Application.ReadWrite.All", "control of every app registration and its credentials"),
        new BroadScope(BroadScope.MicrosoftGraph, "AppRoleAssignment.ReadWrite.All", "the right to grant any application permission, to itself too"),
        new BroadScope(BroadScope.MicrosoftGraph, "Mail.ReadWrite", "read and write access to mailboxes"),
        new BroadScope(BroadScope.MicrosoftGraph, "Files.ReadWrite.All", "read and write access to every file it can reach"),
        new BroadScope(BroadScope.MicrosoftGraph, "Sites.FullControl.All", "full control of every SharePoint site"),
        new BroadScope(BroadScope.MicrosoftGraph, "User.ReadWrite.All", "read and write access to every user's profile"),
        new BroadScope(BroadScope.MicrosoftGraph, "Group.ReadWrite.All", "read and write access to every group and its content"),
        new BroadScope("Google", "https://www.googleapis.com/auth/cloud-platform", "access to every Google Cloud resource the identity can reach"),
        new BroadScope("Google", "https://mail.google.com/", "full access to the Gmail mailbox, permanent deletion included"),
        new BroadScope("Google", "https://www.googleapis.com/auth/drive", "full access to every Google Drive file"),
        new BroadScope("GitHub", "repo", "full control of private repositories"),
        new BroadScope("GitHub", "admin:org", "full control of the organization, its teams and members"),
        new BroadScope("GitHub", "delete_repo", "the right to delete repositories"),
        new BroadScope("GitHub", "workflow", "the right to change GitHub Actions workflows"),
        new BroadScope("Slack", "admin", "administration of the workspace", AnyAfter: "."),
        new BroadScope("Salesforce", "full", "access to all data the user can reach"),
        new BroadScope("any provider", "*", "every permission there is"));

    // Google's generated API clients name their scopes in static fields without a constant value.
    private static readonly Dictionary<string, string> GoogleScopeFields = new(StringComparer.Ordinal)
    {
        ["CloudPlatform"] = "https://www.googleapis.com/auth/cloud-platform",
        ["MailGoogleCom"] = "https://mail.google.com/",
        ["Drive"] = "https://www.googleapis.com/auth/drive",
    };

    private readonly ImmutableArray<BroadScope> _entries;
    private readonly ImmutableHashSet<string> _allowed;

    private ScopeCatalog(ImmutableArray<BroadScope> entries, ImmutableHashSet<string> allowed)
    {
        _entries = entries;
        _allowed = allowed;
    }

    public static ScopeCatalog For(AnalyzerConfigOptions options)
    {
        ImmutableHashSet<string> allowed = List(options, AllowedKey).ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);
        ImmutableArray<BroadScope> entries = BuiltIn.AddRange(
            List(options, ForbiddenKey).Select(s => new BroadScope("this project's policy", s, "a permission this project does not allow")));
        return new ScopeCatalog(entries, allowed);
    }

    /// <summary>The entry a requested scope matches, unless the project allows it.</summary>
    public BroadScope? Find(string requested)
    {
        if (requested.Length == 0 || _allowed.Contains(requested))
        {
            return null;
        }

        foreach (BroadScope entry in _entries)
        {
            if (entry.Matches(requested))
            {
                return _allowed.Contains(entry.Scope) ? null : entry;
            }
        }

        return null;
    }

    /// <summary>The scope a Google API client's scope field stands for (<c>DriveService.Scope.Drive</c>).</summary>
    public static string? GoogleScopeField(string containingNamespace, string containingType, string field) =>
        containingNamespace.StartsWith("Google.Apis", StringComparison.Ordinal) && containingType is "Scope" or "ScopeConstants"
        && GoogleScopeFields.TryGetValue(field, out string? scope) ? scope : null;

    private static IEnumerable<string> List(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out string? value)
            ? value.Split(',', ';', ' ').Select(s => s.Trim()).Where(s => s.Length > 0)
            : Enumerable.Empty<string>();
}
