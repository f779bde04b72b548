using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NhiGuard.Analyzers.Secrets;

namespace NhiGuard.Analyzers.Expiry;

/// <summary>
/// NHI201: an access token (or the result that carries it) stored in a field, a property or a
/// long-lived <c>HttpClient</c>'s default Authorization header, in a type that never reads the
/// token's expiry (<c>ExpiresOn</c>, <c>RefreshOn</c>, <c>ExpiresIn</c>): it is used after it expires.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CachedTokenWithoutExpiryAnalyzer : DiagnosticAnalyzer
{
    internal const string DiagnosticId = DiagnosticIds.CachedTokenWithoutExpiry;

    internal static readonly DiagnosticDescriptor Rule = Descriptors.Create(DiagnosticId, Descriptors.ExpiryCategory);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            if (AccessTokenTypes.Resolve(start.Compilation) is not { } tokens)
            {
                return;
            }

            start.RegisterSymbolStartAction(type => AnalyzeType(type, tokens), SymbolKind.NamedType);
        });
    }

    private sealed record Store(AccessTokenKind Kind, Location Location, string Target);

    private static void AnalyzeType(SymbolStartAnalysisContext context, AccessTokenTypes tokens)
    {
        var stores = new ConcurrentBag<Store>();
        var expiryRead = new ConcurrentDictionary<AccessTokenKind, bool>();

        context.RegisterSyntaxNodeAction(
            c =>
            {
                var assignment = (AssignmentExpressionSyntax)c.Node;
                if (!MentionsToken(assignment.Right) || c.SemanticModel.GetOperation(assignment, c.CancellationToken) is not IAssignmentOperation operation)
                {
                    return;
                }

                if (StoredToken(operation, tokens, c.SemanticModel, c) is { } kind)
                {
                    stores.Add(new Store(kind, assignment.GetLocation(), assignment.Left.ToString()));
                }
            },
            SyntaxKind.SimpleAssignmentExpression,
            SyntaxKind.CoalesceAssignmentExpression);

        context.RegisterSyntaxNodeAction(
            c =>
            {
                string name = c.Node switch
                {
                    MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                    MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                    _ => "",
                };
                if (AccessTokenTypes.ExpiryNames.Contains(name)
                    && c.SemanticModel.GetOperation(c.Node, c.CancellationToken) is IPropertyReferenceOperation property
                    && tokens.ExpiryOf(property.Property) is { } kind)
                {
                    expiryRead[kind] = true;
                }
            },
            SyntaxKind.SimpleMemberAccessExpression,
            SyntaxKind.MemberBindingExpression);

        context.RegisterSymbolEndAction(end =>
        {
            foreach (Store store in stores)
            {
                if (!expiryRead.ContainsKey(store.Kind))
                {
                    end.ReportDiagnostic(Diagnostic.Create(Rule, store.Location, store.Kind.Source, store.Target, string.Join(" or ", store.Kind.ExpiryMembers)));
                }
            }
        });
    }

    // Cheap syntax gate: AccessToken, token, GetTokenAsync, AcquireTokenForClient, AuthenticationHeaderValue...
    private static bool MentionsToken(ExpressionSyntax value) =>
        value.DescendantNodesAndSelf().OfType<SimpleNameSyntax>().Any(n => n.Identifier.ValueText.IndexOf("token", System.StringComparison.OrdinalIgnoreCase) >= 0 || n.Identifier.ValueText == "AuthenticationHeaderValue");

    // A token kept beyond the call: in a field or property (not a local), or in the default
    // Authorization header of an HttpClient that is itself a field or property.
    private static AccessTokenKind? StoredToken(IAssignmentOperation assignment, AccessTokenTypes tokens, SemanticModel model, SyntaxNodeAnalysisContext context)
    {
        switch (assignment.Target)
        {
            case IPropertyReferenceOperation { Property.Name: "Authorization", Instance: IPropertyReferenceOperation { Property.Name: "DefaultRequestHeaders", Instance: { } client } }:
                return IsLongLived(client) && Unwrap(assignment.Value) is IObjectCreationOperation { Type.Name: "AuthenticationHeaderValue" } header
                    ? header.Arguments.Where(a => a.Parameter?.Name == "parameter").Select(a => TokenString(a.Value, tokens, model, context)).FirstOrDefault()
                    : null;
            case IFieldReferenceOperation:
            case IPropertyReferenceOperation { Property.IsIndexer: false }:
                return TokenString(assignment.Value, tokens, model, context) ?? tokens.KindOf(Unwrap(assignment.Value).Type);
            default:
                return null;
        }
    }

    private static bool IsLongLived(IOperation client) =>
        Unwrap(client) is IFieldReferenceOperation or IPropertyReferenceOperation;

    // result.AccessToken, token.Token, response.AccessToken - directly or through a local.
    private static AccessTokenKind? TokenString(IOperation value, AccessTokenTypes tokens, SemanticModel model, SyntaxNodeAnalysisContext context)
    {
        IOperation unwrapped = Unwrap(value);
        if (unwrapped is ILocalReferenceOperation && HardCodedValue.InitializerOf(unwrapped, model, context.CancellationToken) is { } initializer)
        {
            unwrapped = Unwrap(initializer);
        }

        return unwrapped is IPropertyReferenceOperation property ? tokens.TokenStringOf(property.Property) : null;
    }

    private static IOperation Unwrap(IOperation value)
    {
        while (true)
        {
            switch (value)
            {
                case IConversionOperation conversion:
                    value = conversion.Operand;
                    break;
                case IAwaitOperation awaited:
                    value = awaited.Operation;
                    break;
                default:
                    return value;
            }
        }
    }
}
