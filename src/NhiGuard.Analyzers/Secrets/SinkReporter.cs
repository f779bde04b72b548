using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
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

    public static void Analyze(SyntaxNodeAnalysisContext context, ResolvedSinks sinks, DiagnosticDescriptor rule)
    {
        if (!sinks.IsCandidate(context.Node))
        {
            return;
        }

        foreach (SinkFinding finding in SinkFlow.Analyze(context.Node, sinks, context.SemanticModel, context.CancellationToken))
        {
            SyntaxNode written = finding.Value.Syntax;
            if (!SecretValues.IsReportable(finding.Value) || SecretValues.IsInTestDouble(written) || SecretValues.IsInTestDouble(context.Node))
            {
                continue;
            }

            // On the literal where it is written; at the argument when that is in another file.
            bool sameTree = written.SyntaxTree == context.Node.SyntaxTree;
            Location location = sameTree ? written.GetLocation() : finding.At.GetLocation();
            ImmutableArray<Location> additional = sameTree && !finding.At.Span.Contains(written.Span)
                ? ImmutableArray.Create(finding.At.GetLocation())
                : ImmutableArray<Location>.Empty;
            ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty
                .Add(DiagnosticIds.SettingNameProperty, SettingName(finding))
                .Add(DiagnosticIds.ReplaceableProperty, finding.Field is null || finding.Sink.Kind is SinkValueKind.FormFields or SinkValueKind.HeaderValue ? "true" : "false");
            context.ReportDiagnostic(Diagnostic.Create(rule, location, additional, properties, finding.Display));
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
