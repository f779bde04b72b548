using System;
using System.Collections.Immutable;
using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NhiGuard.Detection;

namespace NhiGuard.Analyzers.ConfigFiles;

/// <summary>
/// NHI004: a secret in a configuration file passed to the compiler as an additional file
/// (appsettings*.json, *.config, .env); the finding points at its line in that file. The
/// <c>allow:</c> and <c>disable:</c> of the project's <c>.nhiguard.yaml</c> apply, as in <c>nhiguard scan</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConfigFileSecretAnalyzer : DiagnosticAnalyzer
{
    internal const string DiagnosticId = DiagnosticIds.ConfigFileSecret;

    internal static readonly DiagnosticDescriptor Rule = Descriptors.Create(DiagnosticId, Descriptors.SecretsCategory);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            ProjectAllowlist allow = ProjectAllowlist.For(start.Options, start.CancellationToken);
            start.RegisterAdditionalFileAction(file => Analyze(file, allow));
        });
    }

    /// <summary>appsettings*.json, *.config (web.config, app.config, NuGet.config), .env, .env.*, *.env.</summary>
    internal static bool IsConfigFile(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        return (name.StartsWith("appsettings", StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal))
            || name.EndsWith(".config", StringComparison.Ordinal)
            || name == ".env"
            || name.StartsWith(".env.", StringComparison.Ordinal)
            || name.EndsWith(".env", StringComparison.Ordinal);
    }

    private static void Analyze(AdditionalFileAnalysisContext context, ProjectAllowlist allow)
    {
        AdditionalText file = context.AdditionalFile;
        if (!IsConfigFile(file.Path) || allow.AllowsPath(file.Path) || file.GetText(context.CancellationToken) is not { } source)
        {
            return;
        }

        // The detector honours nhiguard:allow comments itself, since it sees the whole file.
        var settings = new CatalogDetector.Settings(context.Options.AnalyzerConfigOptionsProvider.GetOptions(file), Confidence.Low);
        foreach (Finding finding in settings.Scan(source.ToString(), CatalogDetector.NormalizePath(file.Path)))
        {
            // What the project's .nhiguard.yaml allows for `nhiguard scan` is allowed here too.
            if (allow.Disables(finding.RuleId) || allow.AllowsSecret(finding.Secret))
            {
                continue;
            }

            var span = new TextSpan(finding.Offset, finding.Length);
            Location location = Location.Create(file.Path, span, source.Lines.GetLinePositionSpan(span));
            ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticIds.CatalogRuleProperty, finding.RuleId);
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, finding.Title, finding.RuleId));
        }
    }
}
