using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NhiGuard.Analyzers.Secrets;

namespace NhiGuard.Analyzers.Expiry;

/// <summary>
/// NHI201: an access token (or the result that carries it) stored in a field, a property or a
/// long-lived <c>HttpClient</c>'s default Authorization header, or handed to project code that keeps
/// it there, in a type that never reads the token's expiry (<c>ExpiresOn</c>, <c>RefreshOn</c>,
/// <c>ExpiresIn</c>), nor hands the result to a helper that does, nor stores it in another type's
/// member whose expiry that type reads: it is used after it expires.
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

            var handoffs = new TokenHandoffs();
            start.RegisterSymbolStartAction(type => AnalyzeType(type, tokens, handoffs), SymbolKind.NamedType);
        });
    }

    /// <summary>A token kept beyond the call; <paramref name="Holder"/> is the field or property of another type that keeps it, if any.</summary>
    private sealed record Store(AccessTokenKind Kind, Location Location, string Target, ISymbol? Holder);

    private static void AnalyzeType(SymbolStartAnalysisContext context, AccessTokenTypes tokens, TokenHandoffs handoffs)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var stores = new ConcurrentBag<Store>();
        var expiryRead = new ConcurrentDictionary<AccessTokenKind, bool>();

        // Calls that may hand a token's carrier to a helper reading its expiry: bound only at the end,
        // and only in a type that keeps a token it does not check itself.
        var handovers = new ConcurrentBag<(SyntaxNode Call, SemanticModel Model)>();

        context.RegisterSyntaxNodeAction(
            c =>
            {
                var assignment = (AssignmentExpressionSyntax)c.Node;
                if (!MentionsToken(assignment.Right) || c.SemanticModel.GetOperation(assignment, c.CancellationToken) is not IAssignmentOperation operation)
                {
                    return;
                }

                if (StoredToken(operation, tokens, handoffs, c) is { } store)
                {
                    stores.Add(store with { Location = assignment.GetLocation(), Target = assignment.Left.ToString() });
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

        context.RegisterSyntaxNodeAction(
            c =>
            {
                ArgumentListSyntax? arguments = c.Node switch
                {
                    InvocationExpressionSyntax invocation => invocation.ArgumentList,
                    BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
                    _ => null,
                };
                if (arguments is null || arguments.Arguments.Count == 0)
                {
                    return;
                }

                if (c.Node is not InvocationExpressionSyntax || !arguments.Arguments.Any(a => MentionsToken(a.Expression)))
                {
                    handovers.Add((c.Node, c.SemanticModel));
                    return;
                }

                // _store.Remember(result.AccessToken): a method that keeps the token in a field.
                if (c.SemanticModel.GetOperation(c.Node, c.CancellationToken) is IInvocationOperation call)
                {
                    if (KeptByCall(call, tokens, handoffs, c) is { } store)
                    {
                        stores.Add(store);
                    }

                    foreach (AccessTokenKind kind in HandedToExpiryReaders(call.Arguments, tokens, handoffs, c.CancellationToken))
                    {
                        expiryRead[kind] = true;
                    }
                }
            },
            SyntaxKind.InvocationExpression,
            SyntaxKind.ObjectCreationExpression,
            SyntaxKind.ImplicitObjectCreationExpression);

        context.RegisterSymbolEndAction(end =>
        {
            // Handled in this type, or by the other type whose member holds the token.
            Store[] unhandled = stores
                .Where(s => !expiryRead.ContainsKey(s.Kind)
                    && !(s.Holder is { } holder
                         && !SymbolEqualityComparer.Default.Equals(holder.ContainingType, type)
                         && handoffs.ReadsExpiryThrough(holder, s.Kind, end.CancellationToken)))
                .ToArray();
            if (unhandled.Length == 0)
            {
                return;
            }

            // Or by a helper of any type that this one hands the result to.
            var handled = new HashSet<AccessTokenKind>();
            foreach ((SyntaxNode call, SemanticModel model) in handovers)
            {
                ImmutableArray<IArgumentOperation> arguments = model.GetOperation(call, end.CancellationToken) switch
                {
                    IInvocationOperation invocation => invocation.Arguments,
                    IObjectCreationOperation creation => creation.Arguments,
                    _ => ImmutableArray<IArgumentOperation>.Empty,
                };
                handled.UnionWith(HandedToExpiryReaders(arguments, tokens, handoffs, end.CancellationToken));
            }

            foreach (Store store in unhandled.Where(s => !handled.Contains(s.Kind)).OrderBy(s => s.Location.SourceSpan.Start))
            {
                end.ReportDiagnostic(Diagnostic.Create(Rule, store.Location, store.Kind.Source, store.Target, string.Join(" or ", store.Kind.ExpiryMembers)));
            }
        });
    }

    // The kinds whose carrier (the AuthenticationResult, AccessToken, TokenResponse) goes to a source
    // method that reads the corresponding parameter's expiry.
    private static IEnumerable<AccessTokenKind> HandedToExpiryReaders(ImmutableArray<IArgumentOperation> arguments, AccessTokenTypes tokens, TokenHandoffs handoffs, CancellationToken cancellationToken)
    {
        foreach (IArgumentOperation argument in arguments)
        {
            if (tokens.KindOf(WithoutConversions(argument.Value).Type) is { } kind
                && argument.Parameter is { } parameter
                && handoffs.ReadsExpiry(parameter, kind, cancellationToken))
            {
                yield return kind;
            }
        }
    }

    // A call on a long-lived receiver (this, a field or property, a static method) whose method keeps
    // a token argument in a field or property.
    private static Store? KeptByCall(IInvocationOperation call, AccessTokenTypes tokens, TokenHandoffs handoffs, SyntaxNodeAnalysisContext context)
    {
        bool longLived = call.Instance is null
            ? !call.TargetMethod.IsExtensionMethod
            : WithoutConversions(call.Instance) is IInstanceReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation;
        if (!longLived)
        {
            return null;
        }

        foreach (IArgumentOperation argument in call.Arguments)
        {
            if ((TokenString(argument.Value, tokens, context.SemanticModel, context) ?? tokens.KindOf(WithoutConversions(argument.Value).Type)) is { } kind
                && argument.Parameter is { } parameter
                && handoffs.KeptIn(parameter, context.CancellationToken) is { } member)
            {
                ISymbol? holder = parameter.ContainingType.GetMembers(member).FirstOrDefault(m => m is IFieldSymbol or IPropertySymbol);
                return new Store(kind, call.Syntax.GetLocation(), $"{parameter.ContainingType.Name}.{member}", holder);
            }
        }

        return null;
    }

    // Cheap syntax gate: AccessToken, token, GetTokenAsync, AcquireTokenForClient, AuthenticationHeaderValue...
    private static bool MentionsToken(ExpressionSyntax value) =>
        value.DescendantNodesAndSelf().OfType<SimpleNameSyntax>().Any(n => n.Identifier.ValueText.IndexOf("token", System.StringComparison.OrdinalIgnoreCase) >= 0 || n.Identifier.ValueText == "AuthenticationHeaderValue");

    // A token kept beyond the call: in a field or property (not a local), or in the default
    // Authorization header of an HttpClient that is itself a field or property. Location and target
    // are the caller's to fill in.
    private static Store? StoredToken(IAssignmentOperation assignment, AccessTokenTypes tokens, TokenHandoffs handoffs, SyntaxNodeAnalysisContext context)
    {
        SemanticModel model = context.SemanticModel;
        switch (assignment.Target)
        {
            case IPropertyReferenceOperation { Property.Name: "Authorization", Instance: IPropertyReferenceOperation { Property.Name: "DefaultRequestHeaders", Instance: { } client } }:
                return IsLongLived(client) && Unwrap(assignment.Value) is IObjectCreationOperation { Type.Name: "AuthenticationHeaderValue" } header
                       && header.Arguments.Where(a => a.Parameter?.Name == "parameter").Select(a => TokenString(a.Value, tokens, model, context)).FirstOrDefault() is { } headerKind
                    ? new Store(headerKind, Location.None, "", null)
                    : null;
            case IFieldReferenceOperation { Field: var field }:
                return Kept(assignment.Value, tokens, handoffs, context) is { } fieldKind ? new Store(fieldKind, Location.None, "", field) : null;
            case IPropertyReferenceOperation { Property: { IsIndexer: false } property }:
                return Kept(assignment.Value, tokens, handoffs, context) is { } propertyKind ? new Store(propertyKind, Location.None, "", property) : null;
            default:
                return null;
        }
    }

    // The token string, its carrier (also when awaited), or a new object of a source type that keeps
    // the token (record CachedToken(string Value)).
    private static AccessTokenKind? Kept(IOperation value, AccessTokenTypes tokens, TokenHandoffs handoffs, SyntaxNodeAnalysisContext context)
    {
        if ((TokenString(value, tokens, context.SemanticModel, context) ?? tokens.KindOf(WithoutConversions(value).Type)) is { } kind)
        {
            return kind;
        }

        if (WithoutConversions(value) is IObjectCreationOperation creation)
        {
            foreach (IArgumentOperation argument in creation.Arguments)
            {
                if ((TokenString(argument.Value, tokens, context.SemanticModel, context) ?? tokens.KindOf(WithoutConversions(argument.Value).Type)) is { } argumentKind
                    && argument.Parameter is { } parameter
                    && handoffs.KeptIn(parameter, context.CancellationToken) is not null)
                {
                    return argumentKind;
                }
            }
        }

        return null;
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

    private static IOperation WithoutConversions(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value;
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
