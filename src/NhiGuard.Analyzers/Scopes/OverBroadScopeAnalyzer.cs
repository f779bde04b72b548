using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NhiGuard.Analyzers.Sinks;

namespace NhiGuard.Analyzers.Scopes;

/// <summary>NHI101: a token request asks for a scope that grants far more than most code needs.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OverBroadScopeAnalyzer : DiagnosticAnalyzer
{
    internal const string DiagnosticId = DiagnosticIds.OverBroadScope;

    internal static readonly DiagnosticDescriptor Rule = Descriptors.Create(DiagnosticId, Descriptors.ScopesCategory);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            if (ResolvedSinks.Resolve(start.Compilation, ScopeSinks.All) is not { } sinks)
            {
                return;
            }

            // Candidates found by a walk of the syntax; the semantic model is asked about them only (as NHI001).
            start.RegisterSemanticModelAction(c => Analyze(c, sinks));
        });
    }

    private static void Analyze(SemanticModelAnalysisContext context, ResolvedSinks sinks)
    {
        SyntaxTree tree = context.SemanticModel.SyntaxTree;
        ScopeCatalog? catalog = null;
        foreach (SyntaxNode node in sinks.CandidatesIn(tree.GetRoot(context.CancellationToken)))
        {
            foreach (RequestedScope requested in ScopeFlow.Analyze(node, sinks, context.SemanticModel, context.CancellationToken))
            {
                catalog ??= ScopeCatalog.For(context.Options.AnalyzerConfigOptionsProvider.GetOptions(tree));
                if (catalog.Find(requested.Scope) is not { } entry)
                {
                    continue;
                }

                // On the scope inside its literal when the source spells it as is; else on the whole value.
                bool sameTree = requested.Syntax.SyntaxTree == tree;
                Location location = sameTree ? Narrow(requested) : node.GetLocation();
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, requested.Scope, entry.Provider, entry.Grants));
            }
        }
    }

    private static Location Narrow(RequestedScope requested)
    {
        SyntaxNode syntax = requested.Syntax;
        if (syntax is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            string text = literal.Token.Text;
            for (int at = text.IndexOf(requested.Scope, System.StringComparison.Ordinal); at >= 0; at = text.IndexOf(requested.Scope, at + 1, System.StringComparison.Ordinal))
            {
                if (IsBoundary(text, at - 1, before: true) && IsBoundary(text, at + requested.Scope.Length, before: false))
                {
                    return Location.Create(syntax.SyntaxTree, new TextSpan(literal.Token.SpanStart + at, requested.Scope.Length));
                }
            }
        }

        return syntax.GetLocation();
    }

    // "repo" in "read:user%20repo" or "openid repo", not in "repository" or "public_repo".
    private static bool IsBoundary(string text, int index, bool before)
    {
        if (index < 0 || index >= text.Length)
        {
            return true;
        }

        char c = text[index];
        if (before && index >= 2 && string.CompareOrdinal(text, index - 2, "%20", 0, 3) == 0)
        {
            return true;
        }

        return !(char.IsLetterOrDigit(c) || c is '.' or '_' or ':' or '/' or '-');
    }
}
