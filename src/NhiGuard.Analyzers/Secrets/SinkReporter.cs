using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NhiGuard.Analyzers.ConfigFiles;
using NhiGuard.Analyzers.Sinks;

namespace NhiGuard.Analyzers.Secrets;

/// <summary>Reports the hard-coded values that reach a sink (NHI001, NHI003).</summary>
internal static class SinkReporter
{
    // Parameter names too generic to name a setting on their own.
    private static readonly Dictionary<string, string> GenericNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["key"] = "ApiKey",
        ["token"] = "AccessToken",
        ["json"] = "GoogleCredentialJson",
        ["signature"] = "SasSignature",
        ["parameter"] = "ApiToken",
        ["secret"] = "ClientSecret",
        ["Authorization"] = "AuthorizationHeader",
        ["Proxy-Authorization"] = "ProxyAuthorizationHeader",
    };

    /// <summary>
    /// The candidates in one file: a walk of its syntax, and the semantic model (already built for
    /// the file, shared by every analyzer) asked only about the nodes that name a sink.
    /// </summary>
    public static void Analyze(SemanticModelAnalysisContext context, ResolvedSinks sinks, DiagnosticDescriptor rule, ProjectAllowlist allow)
    {
        foreach (SyntaxNode node in sinks.CandidatesIn(context.SemanticModel.SyntaxTree.GetRoot(context.CancellationToken)))
        {
            Report(node, sinks, rule, allow, context.SemanticModel, context.ReportDiagnostic, context.CancellationToken);
        }
    }

    private static void Report(SyntaxNode node, ResolvedSinks sinks, DiagnosticDescriptor rule, ProjectAllowlist allow, SemanticModel model, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        foreach (SinkFinding finding in SinkFlow.Analyze(node, sinks, model, cancellationToken))
        {
            SyntaxNode written = finding.Value.Syntax;

            // What the repository's .nhiguard.yaml allows (a path, a dummy value) is not reported.
            if (allow.AllowsPath(written.SyntaxTree.FilePath) || (finding.Value.Text is { } text && allow.AllowsSecret(text)))
            {
                continue;
            }

            if (!SecretValues.IsReportable(finding.Value) || SecretValues.IsInTestDouble(written) || SecretValues.IsInTestDouble(node))
            {
                continue;
            }

            // On the literal where it is written; at the argument when that is in another file.
            bool sameTree = written.SyntaxTree == node.SyntaxTree;
            Location location = sameTree ? written.GetLocation() : finding.At.GetLocation();
            ImmutableArray<Location> additional = sameTree && !finding.At.Span.Contains(written.Span)
                ? ImmutableArray.Create(finding.At.GetLocation())
                : ImmutableArray<Location>.Empty;
            ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty
                .Add(DiagnosticIds.SettingNameProperty, SettingName(finding))
                .Add(DiagnosticIds.ReplaceableProperty, finding.Field is null || finding.Sink.Kind is SinkValueKind.FormFields or SinkValueKind.HeaderValue ? "true" : "false");
            report(Diagnostic.Create(rule, location, additional, properties, finding.Display));
        }
    }

    // ClientSecret, Password, SecretKey, ClientSecret (from 'client_secret'), JwtSigningKey: the fix's setting.
    private static string SettingName(SinkFinding finding)
    {
        if (finding.Sink.Kind == SinkValueKind.SigningKey)
        {
            return "JwtSigningKey";
        }

        string raw = finding.Field ?? (finding.Sink.IsProperty ? finding.Sink.Member : finding.Sink.Parameter ?? "Secret");
        if (GenericNames.TryGetValue(raw, out string? specific))
        {
            return specific;
        }

        if (raw.StartsWith("X-", StringComparison.OrdinalIgnoreCase))
        {
            raw = raw.Substring(2);
        }

        string[] words = raw.Split('_', '-').Where(w => w.Length > 0).ToArray();
        return string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + (w.All(c => !char.IsLower(c)) ? w.Substring(1).ToLowerInvariant() : w.Substring(1))));
    }
}
