using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NhiGuard.Analyzers.ConfigFiles;
using NhiGuard.Detection;

namespace NhiGuard.Analyzers.Secrets;

/// <summary>
/// NHI002: a string literal (regular, verbatim, raw, UTF-8 or interpolated text) has the format of
/// a credential the rule catalog knows. A syntax-tree action: the semantic model is never asked.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CredentialFormatInLiteralAnalyzer : DiagnosticAnalyzer
{
    internal const string DiagnosticId = DiagnosticIds.CredentialFormatInLiteral;

    internal static readonly DiagnosticDescriptor Rule = Descriptors.Create(DiagnosticId, Descriptors.SecretsCategory);

    // No credential format in the catalog is shorter; most literals (names, messages) are skipped here.
    private const int MinimumLength = 8;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            // What the repository's .nhiguard.yaml allows for `nhiguard scan` is not reported here either.
            ProjectAllowlist allow = ProjectAllowlist.For(start.Options, start.CancellationToken);
            start.RegisterSyntaxTreeAction(c => Analyze(c, allow));
        });
    }

    private static void Analyze(SyntaxTreeAnalysisContext context, ProjectAllowlist allow)
    {
        if (allow.AllowsPath(context.Tree.FilePath))
        {
            return;
        }

        // Credential formats are the catalog's rules of medium confidence and up; the generic
        // key = value rules (low) are for NHI001's sinks and for configuration files.
        CatalogDetector.Settings? settings = null;
        LineIndex? lines = null;
        string path = CatalogDetector.NormalizePath(context.Tree.FilePath);
        foreach (SyntaxToken token in context.Tree.GetRoot(context.CancellationToken).DescendantTokens())
        {
            if (!IsStringText(token.Kind()) || token.ValueText is not { Length: >= MinimumLength } value)
            {
                continue;
            }

            // Each literal on its own (measured: several times faster than one pass over all of a
            // file's literals, since a literal wakes few rules), and a keyword elsewhere does not count.
            settings ??= new CatalogDetector.Settings(context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Tree), Confidence.Medium);
            foreach (Finding finding in settings.Scan(value, path))
            {
                if (allow.Disables(finding.RuleId) || allow.AllowsSecret(finding.Secret))
                {
                    continue;
                }

                TextSpan span = SecretSpan(token, finding.Secret);
                lines ??= new LineIndex(context.Tree.GetText(context.CancellationToken).ToString());
                if (InlineAllow.IsAllowed(lines, span.Start, span.Length))
                {
                    continue;
                }

                ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticIds.CatalogRuleProperty, finding.RuleId);
                context.ReportDiagnostic(Diagnostic.Create(Rule, Location.Create(context.Tree, span), properties, finding.Title, finding.RuleId));
            }
        }
    }

    private static bool IsStringText(SyntaxKind kind) => kind switch
    {
        SyntaxKind.StringLiteralToken => true,
        SyntaxKind.Utf8StringLiteralToken => true,
        SyntaxKind.SingleLineRawStringLiteralToken => true,
        SyntaxKind.MultiLineRawStringLiteralToken => true,
        SyntaxKind.Utf8SingleLineRawStringLiteralToken => true,
        SyntaxKind.Utf8MultiLineRawStringLiteralToken => true,
        SyntaxKind.InterpolatedStringTextToken => true,
        _ => false,
    };

    // The secret itself when the source spells it as is (no escapes inside it), else the whole literal.
    private static TextSpan SecretSpan(SyntaxToken token, string secret)
    {
        int at = secret.Length == 0 ? -1 : token.Text.IndexOf(secret, StringComparison.Ordinal);
        return at >= 0 ? new TextSpan(token.SpanStart + at, secret.Length) : token.Span;
    }
}
