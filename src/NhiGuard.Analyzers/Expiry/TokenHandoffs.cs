using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NhiGuard.Analyzers.Expiry;

/// <summary>
/// What source code of other types does with an access token handed to it (NHI201): whether a
/// method keeps a parameter in a field or property, whether it reads the expiry of a parameter, and
/// whether a type reads the expiry of what one of its members holds. Read from the declaring syntax,
/// by name, since the other type may not have been analysed yet; the parameter or member itself is
/// known from the caller's semantic model. One instance per compilation, each answer computed once.
/// </summary>
internal sealed class TokenHandoffs
{
    private readonly ConcurrentDictionary<IParameterSymbol, string?> _kept = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, ImmutableHashSet<string>> _expiryReadThrough = new(SymbolEqualityComparer.Default);

    /// <summary>The field or property (<c>_token</c>) of its type that the method or record of <paramref name="parameter"/> keeps it in; null when it does not.</summary>
    public string? KeptIn(IParameterSymbol parameter, CancellationToken cancellationToken) =>
        _kept.GetOrAdd(parameter, p => FindKept(p, cancellationToken));

    /// <summary>Whether the method of <paramref name="parameter"/> reads its expiry (<c>result.ExpiresOn</c>).</summary>
    public bool ReadsExpiry(IParameterSymbol parameter, AccessTokenKind kind, CancellationToken cancellationToken) =>
        ExpiryReadThrough(parameter, parameter.ContainingSymbol, cancellationToken).Overlaps(kind.ExpiryMembers);

    /// <summary>Whether the source type declaring <paramref name="member"/> reads the expiry of what it holds (<c>Token.ExpiresOn</c>, <c>Current?.ExpiresOn</c>).</summary>
    public bool ReadsExpiryThrough(ISymbol member, AccessTokenKind kind, CancellationToken cancellationToken) =>
        ExpiryReadThrough(member, member.ContainingType, cancellationToken).Overlaps(kind.ExpiryMembers);

    // The expiry members read through the name of a parameter or member, anywhere in its method or type.
    private ImmutableHashSet<string> ExpiryReadThrough(ISymbol symbol, ISymbol? scope, CancellationToken cancellationToken) =>
        _expiryReadThrough.GetOrAdd(symbol, s =>
            scope is null
                ? ImmutableHashSet<string>.Empty
                : scope.DeclaringSyntaxReferences.SelectMany(r => ExpiryReadsOf(r.GetSyntax(cancellationToken), s.Name)).ToImmutableHashSet());

    private static IEnumerable<SyntaxNode> Bodies(ISymbol symbol, CancellationToken cancellationToken) =>
        symbol.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken));

    // "name.ExpiresOn", "name?.ExpiresOn", "this.name.ExpiresOn", "x.name.RefreshOn".
    private static IEnumerable<string> ExpiryReadsOf(SyntaxNode body, string name)
    {
        foreach (SyntaxNode node in body.DescendantNodes())
        {
            (string member, ExpressionSyntax? holder) = node switch
            {
                MemberAccessExpressionSyntax access => (access.Name.Identifier.ValueText, access.Expression),
                MemberBindingExpressionSyntax binding => (binding.Name.Identifier.ValueText, binding.FirstAncestorOrSelf<ConditionalAccessExpressionSyntax>()?.Expression),
                _ => ("", null),
            };
            if (AccessTokenTypes.ExpiryNames.Contains(member) && LastName(holder) == name)
            {
                yield return member;
            }
        }
    }

    private static string? LastName(ExpressionSyntax? expression) => expression switch
    {
        IdentifierNameSyntax id => id.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        ParenthesizedExpressionSyntax parenthesized => LastName(parenthesized.Expression),
        PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } bang => LastName(bang.Operand),
        _ => null,
    };

    private static string? FindKept(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method)
        {
            return null;
        }

        foreach (SyntaxNode body in Bodies(method, cancellationToken))
        {
            switch (body)
            {
                // record CachedToken(string Value): the parameter is a property.
                case RecordDeclarationSyntax:
                    return parameter.Name;
                // class Holder(string token): kept when a member uses it.
                case TypeDeclarationSyntax declaration:
                    if (declaration.Members.Any(m => m.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText == parameter.Name)))
                    {
                        return parameter.Name;
                    }

                    break;
                default:
                    if (AssignedTo(body, parameter.Name) is { } target)
                    {
                        return target;
                    }

                    break;
            }
        }

        return null;
    }

    // "_token = token", "Token ??= token", "this._token = token", "(_token, _expiresOn) = (token, expiresOn)":
    // the member assigned, when it is not a local of the method.
    private static string? AssignedTo(SyntaxNode body, string parameter)
    {
        HashSet<string>? locals = null;
        foreach (AssignmentExpressionSyntax assignment in body.DescendantNodes().OfType<AssignmentExpressionSyntax>())
        {
            if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && !assignment.IsKind(SyntaxKind.CoalesceAssignmentExpression))
            {
                continue;
            }

            foreach ((ExpressionSyntax left, ExpressionSyntax right) in Pairs(assignment.Left, assignment.Right))
            {
                if (right is not IdentifierNameSyntax { Identifier.ValueText: var value } || value != parameter)
                {
                    continue;
                }

                string? member = left switch
                {
                    IdentifierNameSyntax id => id.Identifier.ValueText,
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
                    _ => null,
                };
                locals ??= new HashSet<string>(body.DescendantNodes().OfType<VariableDeclaratorSyntax>().Select(d => d.Identifier.ValueText)
                    .Concat(body.DescendantNodes().OfType<SingleVariableDesignationSyntax>().Select(d => d.Identifier.ValueText)));
                if (member is not null && !locals.Contains(member))
                {
                    return member;
                }
            }
        }

        return null;
    }

    // The element pairs of a tuple assignment, or the assignment itself.
    private static IEnumerable<(ExpressionSyntax Left, ExpressionSyntax Right)> Pairs(ExpressionSyntax left, ExpressionSyntax right) =>
        left is TupleExpressionSyntax lefts && right is TupleExpressionSyntax rights && lefts.Arguments.Count == rights.Arguments.Count
            ? lefts.Arguments.Zip(rights.Arguments, (l, r) => (l.Expression, r.Expression))
            : ImmutableArray.Create((left, right));
}
