using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NhiGuard.Analyzers.ConfigFiles;
using NhiGuard.Analyzers.Sinks;

namespace NhiGuard.Analyzers.Secrets;

/// <summary>
/// A value written in the code that reaches one of a table of sinks (NHI001: credentials, NHI003:
/// signing keys): the two differ only in their rule and their table.
/// </summary>
public abstract class HardCodedValueAnalyzer : DiagnosticAnalyzer
{
    private readonly DiagnosticDescriptor _rule;
    private readonly IEnumerable<Sink> _sinks;

    private protected HardCodedValueAnalyzer(DiagnosticDescriptor rule, IEnumerable<Sink> sinks)
    {
        _rule = rule;
        _sinks = sinks;
        SupportedDiagnostics = ImmutableArray.Create(rule);
    }

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            // Zero cost for projects that reference none of the table's SDKs.
            if (ResolvedSinks.Resolve(start.Compilation, _sinks) is not { } sinks)
            {
                return;
            }

            // A semantic model action, not syntax-node actions: the walk for candidates is ours, and
            // the driver's per-declaration machinery for node actions is not paid for a few calls.
            ProjectAllowlist allow = ProjectAllowlist.For(start.Options, start.CancellationToken);
            start.RegisterSemanticModelAction(c => SinkReporter.Analyze(c, sinks, _rule, allow));
        });
    }
}
