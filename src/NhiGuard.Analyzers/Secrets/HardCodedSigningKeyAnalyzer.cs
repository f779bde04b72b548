using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NhiGuard.Analyzers.ConfigFiles;
using NhiGuard.Analyzers.Sinks;

namespace NhiGuard.Analyzers.Secrets;

/// <summary>NHI003: a token signing key written in the code (a string, its bytes, or a byte array).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HardCodedSigningKeyAnalyzer : DiagnosticAnalyzer
{
    internal const string DiagnosticId = DiagnosticIds.HardCodedSigningKey;

    internal static readonly DiagnosticDescriptor Rule = Descriptors.Create(DiagnosticId, Descriptors.SecretsCategory);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            // Zero cost for projects that do not reference Microsoft.IdentityModel.Tokens.
            if (ResolvedSinks.Resolve(start.Compilation, SecretSinks.SigningKeys) is not { } sinks)
            {
                return;
            }

            // A semantic model action, not syntax-node actions: the walk for candidates is ours, and
            // the driver's per-declaration machinery for node actions is not paid for a few calls.
            ProjectAllowlist allow = ProjectAllowlist.For(start.Options, start.CancellationToken);
            start.RegisterSemanticModelAction(c => SinkReporter.Analyze(c, sinks, Rule, allow));
        });
    }
}
